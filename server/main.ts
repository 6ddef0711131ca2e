// Entry point of `npm start`: validate config, connect to (or start) Meilisearch, serve HTTP,
// and shut everything down cleanly on SIGINT/SIGTERM.
import http, { type Server } from 'node:http';
import { Meilisearch } from 'meilisearch';
import { loadConfig, type Config } from '../indexer/config.js';
import { ConfigError, DataDirBusyError, MeiliStartError } from '../indexer/errors.js';
import { createLogger, type Logger } from '../indexer/log.js';
import { connectMeili, type MeiliConnection } from '../indexer/meili/connect.js';
import { ensureIndex } from '../indexer/meili/ensure-index.js';
import { createApp } from './app.js';
import { searchClient } from './search-client.js';
import { searchOnlyKey } from '../indexer/meili/keys.js';


async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    fatal(createLogger('info'), err);
  }
  const log = createLogger(config.logLevel);
  log.info({ event: 'server.starting', port: config.port, dataDir: config.dataDir, indexName: config.indexName });

  let meili: MeiliConnection;
  try {
    meili = await connectMeili(config, log, 'server');
  } catch (err) {
    fatal(log, err);
  }

  let server: Server | undefined;
  let stopping = false;
  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    log.info({ event: 'server.stopping', reason });
    if (server) {
      server.close();
      server.closeIdleConnections();
      setTimeout(() => server?.closeAllConnections(), 5_000).unref();
    }
    await meili.close();
    log.info({ event: 'server.stopped' });
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown('SIGINT', 0));
  process.once('SIGTERM', () => void shutdown('SIGTERM', 0));

  let searchKey: string | undefined;
  try {
    const admin = new Meilisearch({ host: meili.host, apiKey: meili.apiKey, timeout: 30_000 });
    const created = await ensureIndex(admin, config.indexName);
    log.info({ event: 'index.ready', index: config.indexName, created: created === 'created' });
    // Without a master key (an unsecured external Meilisearch) there are no keys to use.
    searchKey = meili.apiKey ? await searchOnlyKey(admin, config.indexName) : undefined;
  } catch (err) {
    log.fatal({ event: 'index.setup_failed', reason: (err as Error).message });
    await shutdown('index setup failed', 1);
    return;
  }

  const client = searchClient(meili.host, searchKey);
  const app = createApp({ client, indexName: config.indexName, log, rateLimitPerMinute: config.rateLimitPerMinute, trustProxy: config.trustProxy });
  // A slow or stalled client cannot hold a connection: headers within 10 s, the whole request
  // within 30 s (checked every 2 s, not Node's default 30 s), idle keep-alive closed after 5 s.
  server = http.createServer({ headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 2_000 }, app);
  server.keepAliveTimeout = 5_000;
  server.listen(config.port);
  server.on('listening', () => {
    log.info({ event: 'server.listening', port: config.port, url: `http://localhost:${config.port}/` });
  });
  server.on('error', (err: NodeJS.ErrnoException) => {
    const reason = err.code === 'EADDRINUSE' ? `PORT: ${config.port} is already in use` : err.message;
    log.fatal({ event: 'server.listen_failed', reason });
    void shutdown('listen failed', 1);
  });
}

/** Known start-up failures print one clear line; anything else is a bug and keeps its stack. */
function fatal(log: Logger, err: unknown): never {
  const known = err instanceof ConfigError || err instanceof DataDirBusyError || err instanceof MeiliStartError;
  log.fatal({ event: 'server.start_failed', reason: (err as Error).message, ...(known ? {} : { err }) });
  process.stderr.write(`tongwen: ${(err as Error).message}\n`);
  process.exit(1);
}

void main();
