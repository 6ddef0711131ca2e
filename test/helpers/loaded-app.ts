// A real Meilisearch loaded with the shared corpus (seed, feedx, cdt, hkcnews-sample) through the
// real reindex, and the app on top of it with the server's search-only key.
import path from 'node:path';
import { createLogger } from '../../indexer/log.js';
import { parseAll } from '../../indexer/parse-stream.js';
import { reindex } from '../../indexer/reindex/run.js';
import type { Article } from '../../indexer/schema.js';
import { createApp } from '../../server/app.js';
import { searchClient } from '../../server/search-client.js';
import { searchOnlyKey } from '../../indexer/meili/keys.js';
import { corpusDir } from './corpus.js';
import { startTestMeili, type TestMeili } from './meili.js';

export const CORPUS_TREES = ['seed', 'feedx', 'cdt', 'hkcnews-sample'].map((t) => path.join(corpusDir, t));

export interface LoadedApp {
  meili: TestMeili;
  app: ReturnType<typeof createApp>;
  searchKey: string;
  /** The articles as parsed (duplicates by URL removed): the independent truth for counts. */
  articles: Article[];
  cleanup(): Promise<void>;
}

export async function loadedApp(): Promise<LoadedApp> {
  const meili = await startTestMeili();
  const log = createLogger('silent');
  await reindex({ client: meili.client, indexName: 'articles', dataDir: meili.dataDir, roots: CORPUS_TREES, incremental: false, prune: false, log });
  const searchKey = await searchOnlyKey(meili.client, 'articles');
  const client = searchClient(meili.url, searchKey);
  const app = createApp({ client, indexName: 'articles', log });
  const articles: Article[] = [];
  const seen = new Set<string>();
  for await (const r of parseAll(CORPUS_TREES)) {
    if (r.ok && !seen.has(r.doc.id)) {
      seen.add(r.doc.id);
      articles.push(r.doc);
    }
  }
  return { meili, app, searchKey, articles, cleanup: () => meili.cleanup() };
}

/** Calendar day (YYYY-MM-DD) of an ISO instant in Hong Kong/Beijing time. */
export function chinaDay(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
}
