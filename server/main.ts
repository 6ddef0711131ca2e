// The server process (`tongwen serve`, what `npm start` runs): validate config, connect to (or
// start) Meilisearch, serve HTTP, and shut everything down cleanly on SIGINT/SIGTERM.
import http, { type Server } from 'node:http';
import { Meilisearch } from 'meilisearch';
import { loadConfig, type Config } from '../core/config.js';
import { ConfigError, DataDirBusyError, MeiliStartError } from '../core/errors.js';
import { createLogger, type Logger } from '../core/log.js';
import { connectMeili, type MeiliConnection } from '../core/meili/connect.js';
import { applySettings } from '../core/index-settings.js';
import { ensureIndex } from '../core/meili/ensure-index.js';
import { createApp } from './app.js';
import { searchClient } from './search-client.js';
import { searchOnlyKey } from '../core/meili/keys.js';
import { configureNetwork, masterClient } from '../core/meili/network.js';
import type { SearchBackend } from './search/backend.js';
import { singleBackend } from './search/backend.js';
import { NetworkBackend } from './search/network-backend.js';
import { warmSegmenter } from './search/segment.js';

export async function serve(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    fatal(createLogger('info'), err);
  }
  const log = createLogger(config.logLevel);
  log.info({ event: 'server.starting', port: config.port, dataDir: config.dataDir, indexName: config.indexName });

  let meili: MeiliConnection | undefined;
  if (!config.meiliInstances) {
    try {
      meili = await connectMeili(config, log, 'server');
    } catch (err) {
      fatal(log, err);
    }
  }
  let backend: SearchBackend | undefined;

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
    backend?.close();
    await meili?.close();
    log.info({ event: 'server.stopped' });
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown('SIGINT', 0));
  process.once('SIGTERM', () => void shutdown('SIGTERM', 0));

  try {
    if (meili) {
      const admin = new Meilisearch({ host: meili.host, apiKey: meili.apiKey, timeout: 30_000 });
      const created = await ensureIndex(admin, config.indexName);
      await updateSettings(admin, config.indexName, log);
      log.info({ event: 'index.ready', index: config.indexName, created: created === 'created' });
      // Without a master key (an unsecured external Meilisearch) there are no keys to use.
      const searchKey = meili.apiKey ? await searchOnlyKey(admin, config.indexName) : undefined;
      backend = singleBackend(searchClient(meili.host, searchKey), config.indexName);
    } else {
      backend = await networkBackend(config, log);
    }
  } catch (err) {
    log.fatal({ event: 'index.setup_failed', reason: (err as Error).message });
    await shutdown('index setup failed', 1);
    return;
  }

  // The segmenter's dictionaries load now, not in the first search that has a long unspaced query.
  const warming = Date.now();
  warmSegmenter();
  log.info({ event: 'server.segmenter_ready', ms: Date.now() - warming });

  const app = createApp({
    backend,
    log,
    rateLimitPerMinute: config.rateLimitPerMinute,
    trustProxy: config.trustProxy,
    coverageChart: config.coverageChart,
    resultCacheMb: config.resultCacheMb,
  });
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

/**
 * An index made by an older version gets this version's settings before searches use them (a
 * sort on `id` fails on an index where `id` is not sortable). Only what differs is applied.
 */
async function updateSettings(admin: Meilisearch, indexName: string, log: Logger, instance?: string): Promise<void> {
  const started = Date.now();
  if (await applySettings(admin.index(indexName))) {
    log.info({ event: 'index.settings_updated', index: indexName, ...(instance ? { instance } : {}), ms: Date.now() - started });
  }
}

/**
 * Several instances (MEILI_INSTANCES): the network configured on all that answer, the live index
 * on each. Instances that are down are searched without, and their key fetched when they answer.
 */
async function networkBackend(config: Config, log: Logger): Promise<NetworkBackend> {
  const instances = config.meiliInstances!;
  const keys = await configureNetwork(instances, config.indexName, log, { tolerateDown: true });
  if (keys.size === 0) throw new Error(`none of the ${instances.length} Meilisearch instances of MEILI_INSTANCES answers`);
  const ready = async (name: string): Promise<void> => {
    const admin = masterClient(instances.find((i) => i.name === name)!);
    const created = await ensureIndex(admin, config.indexName);
    await updateSettings(admin, config.indexName, log, name);
    log.info({ event: 'index.ready', index: config.indexName, instance: name, created: created === 'created' });
  };
  for (const name of keys.keys()) await ready(name);
  log.info({ event: 'meilisearch.network', instances: instances.map((i) => i.name), available: [...keys.keys()] });
  return new NetworkBackend({
    indexName: config.indexName,
    members: instances.map((i) => ({ name: i.name, url: i.url, shards: i.shards, searchKey: keys.get(i.name)?.searchKey })),
    log,
    fetchKey: async (name) => {
      await ready(name);
      return searchOnlyKey(masterClient(instances.find((i) => i.name === name)!), config.indexName);
    },
  });
}

/** Known start-up failures print one clear line; anything else is a bug and keeps its stack. */
function fatal(log: Logger, err: unknown): never {
  const known = err instanceof ConfigError || err instanceof DataDirBusyError || err instanceof MeiliStartError;
  log.fatal({ event: 'server.start_failed', reason: (err as Error).message, ...(known ? {} : { err }) });
  process.stderr.write(`tongwen: ${(err as Error).message}\n`);
  process.exit(1);
}
