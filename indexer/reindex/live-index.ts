// What the live index holds, read before a run changes it: its document count (does the saved
// state still describe it?) and its ids (what would a full reindex remove?), on every instance.
import type { Index } from 'meilisearch';
import { documentsOn, type Instance } from './instances.js';

/** Documents of the live index on all instances; undefined if it is missing on any. */
export async function liveDocumentCount(instances: Instance[], indexName: string): Promise<number | undefined> {
  const counts = await documentsOn(instances, indexName);
  return counts.includes(undefined) ? undefined : counts.reduce<number>((a, b) => a + b!, 0);
}

/** Ids of the live index's documents on all instances; none where it is missing. */
export async function liveIds(instances: Instance[], indexName: string): Promise<Set<string>> {
  const ids = new Set<string>();
  const counts = await documentsOn(instances, indexName);
  for (const [n, i] of instances.entries()) {
    if (counts[n] !== undefined) for (const id of await allIds(i.client.index(indexName))) ids.add(id);
  }
  return ids;
}

async function allIds(index: Index): Promise<Set<string>> {
  const ids = new Set<string>();
  for (let offset = 0; ; offset += 1000) {
    const page = await index.getDocuments<{ id: string }>({ fields: ['id'], offset, limit: 1000 });
    for (const d of page.results) ids.add(d.id);
    if (page.results.length < 1000) break;
  }
  return ids;
}
