// The instances a reindex writes to: one Meilisearch, or every instance of a network. Documents
// go to the first, and Meilisearch's sharding forwards them to the others, each keeping its
// share; index creation, settings, swaps and deletions are per instance, so they go to each.
import { MeilisearchApiError, type Meilisearch } from 'meilisearch';

export interface Instance {
  name: string;
  client: Meilisearch;
}

/**
 * Documents in `indexUid` on each instance, in order; undefined where the index does not exist.
 */
export async function documentsOn(instances: Instance[], indexUid: string): Promise<Array<number | undefined>> {
  return Promise.all(
    instances.map(async ({ client }) => {
      try {
        return (await client.index(indexUid).getStats()).numberOfDocuments;
      } catch (err) {
        if (err instanceof MeilisearchApiError && err.cause?.code === 'index_not_found') return undefined;
        throw err;
      }
    }),
  );
}

/** "ms0 1,204 + ms1 1,190 + …", for messages. */
export function perInstance(instances: Instance[], counts: Array<number | undefined>): string {
  return instances.map((i, n) => `${i.name} ${counts[n] ?? 'no index'}`).join(' + ');
}

/** Each instance's newest task uid (-1 for none): what `settle` counts from. Clocks may differ; uids do not go back. */
export async function latestTasks(instances: Instance[]): Promise<number[]> {
  return Promise.all(instances.map(async ({ client }) => (await client.tasks.getTasks({ limit: 1 })).results[0]?.uid ?? -1));
}

/**
 * Waits until no instance has work left on `indexUid`, and fails on any task there that failed
 * or was cancelled after `after` (latestTasks): the writes the first instance forwarded are tasks
 * of the others.
 */
export async function settle(instances: Instance[], indexUid: string, after: number[], watch?: () => void): Promise<void> {
  for (const [n, { name, client }] of instances.entries()) {
    for (;;) {
      watch?.();
      const pending = await client.tasks.getTasks({ indexUids: [indexUid], statuses: ['enqueued', 'processing'], limit: 1 });
      if (pending.results.length === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    // Newest first: the newest failed task on the index, if it belongs to this run.
    const task = (await client.tasks.getTasks({ indexUids: [indexUid], statuses: ['failed', 'canceled'], limit: 1 })).results[0];
    if (task && task.uid > after[n]!) {
      throw new Error(`Meilisearch instance ${name}: task ${task.uid} (${task.type} on ${indexUid}) ${task.status}: ${task.error?.message ?? 'no error message'}`);
    }
  }
}
