// A real Meilisearch loaded with the fixture corpus through the real reindex, and the app on top
// of it with the server's search-only key. A setup that fails stops its Meilisearch before it throws.
import { createLogger } from '../../core/log.js';
import { parseAll } from '../../indexer/parse-stream.js';
import { reindex } from '../../indexer/reindex/run.js';
import { loadState } from '../../indexer/reindex/state.js';
import type { Article } from '../../core/schema.js';
import { createApp } from '../../server/app.js';
import { searchClient } from '../../server/search-client.js';
import { searchOnlyKey } from '../../core/meili/keys.js';
import { FIXTURE_TREES } from './corpus.js';
import { startTestMeili, type TestMeili } from './meili.js';
import { singleBackend } from '../../server/search/backend.js';

export const CORPUS_TREES = FIXTURE_TREES;

export interface LoadedApp {
  meili: TestMeili;
  app: ReturnType<typeof createApp>;
  searchKey: string;
  /** The stories as parsed (copies folded, duplicate URLs removed): the independent truth for counts. */
  articles: Article[];
  cleanup(): Promise<void>;
}

export async function loadedApp(roots: string[] = CORPUS_TREES): Promise<LoadedApp> {
  const meili = await startTestMeili();
  try {
    const log = createLogger('silent');
    await reindex({ client: meili.client, indexName: 'articles', dataDir: meili.dataDir, roots, incremental: false, prune: false, log });
    const searchKey = await searchOnlyKey(meili.client, 'articles');
    const client = searchClient(meili.url, searchKey);
    const app = createApp({ backend: singleBackend(client, 'articles'), log });
    // The stories: one representative per group of near-duplicate copies, as indexed.
    const live = new Set(Object.keys((await loadState(meili.dataDir, 'articles')).state!.live));
    const articles: Article[] = [];
    for await (const r of parseAll(roots)) {
      if (r.ok && live.delete(r.doc.id)) articles.push(r.doc);
    }
    return { meili, app, searchKey, articles, cleanup: () => meili.cleanup() };
  } catch (err) {
    await meili.cleanup();
    throw err;
  }
}

/** Calendar day (YYYY-MM-DD) of an ISO instant in Hong Kong/Beijing time. */
export function chinaDay(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
}
