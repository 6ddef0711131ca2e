// Creates the live index (with its settings) if it does not exist yet, so the UI and API work
// before the first reindex.
import { MeilisearchApiError, type Meilisearch } from 'meilisearch';
import { applySettings } from '../index-settings.js';

export async function ensureIndex(client: Meilisearch, indexName: string): Promise<'created' | 'exists'> {
  try {
    await client.getRawIndex(indexName);
    return 'exists';
  } catch (err) {
    if (!(err instanceof MeilisearchApiError) || err.cause?.code !== 'index_not_found') throw err;
  }
  const task = await client.createIndex(indexName, { primaryKey: 'id' }).waitTask({ timeout: 60_000 });
  // A parallel starter may have won the race; that is fine.
  if (task.status !== 'succeeded' && task.error?.code !== 'index_already_exists') {
    throw new Error(`creating index ${indexName} failed: ${task.error?.message ?? task.status}`);
  }
  await applySettings(client.index(indexName));
  return 'created';
}
