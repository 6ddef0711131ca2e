// Brings the stale instances of a network up to date before a reindex run writes, and is all
// that `tongwen repair` does. Which instances are stale follows from the generations they hold
// (core/meili/generation.ts): the highest one among the instances that answer is current, and an
// instance behind it missed writes (it was down during a run, or is a new, empty instance put in
// place of a dead one). Such an instance is rebuilt: each shard it holds is copied from a current
// replica, page by page through the documents API, into a build index beside its live one, which
// is checked to hold what the replica holds and swapped in (build-index.ts); then it gets the
// current generation, and serves again. Only then does a run write to it.
import { readGeneration, writeGeneration } from '../../core/meili/generation.js';
import type { Logger } from '../../core/log.js';
import { BuildIndex } from './build-index.js';
import { ReindexFailed } from './failed.js';
import { perInstance, shardCountsOn, type Instance } from './instances.js';
import { Replicas, shardsWithoutReplica, unreachable } from './replicas.js';
import { DocumentSender } from './sender.js';

/** Documents read from a replica per request while rebuilding a stale one. */
export const REPAIR_PAGE = 500;

export interface Survey {
  /** The generation of the live index on the current instances. */
  generation: number;
  current: Instance[];
  /** Up, but behind the current generation. */
  behind: Instance[];
  down: Array<{ instance: string; reason: string }>;
}

/** The generation each instance holds, read with its short-timeout client. */
export async function survey(instances: Instance[], indexName: string): Promise<Survey> {
  const read = await Promise.allSettled(instances.map((i) => readGeneration(i.quick ?? i.client, indexName, 'reindex-key')));
  const down: Survey['down'] = [];
  const answered: Array<{ i: Instance; generation: number }> = [];
  for (const [n, r] of read.entries()) {
    const i = instances[n]!;
    if (r.status === 'fulfilled') answered.push({ i, generation: r.value });
    else if (unreachable(r.reason)) down.push({ instance: i.name, reason: 'did not answer' });
    else throw r.reason;
  }
  const generation = Math.max(0, ...answered.map((a) => a.generation));
  return {
    generation,
    current: answered.filter((a) => a.generation === generation).map((a) => a.i),
    behind: answered.filter((a) => a.generation < generation).map((a) => a.i),
    down,
  };
}

export interface CaughtUp {
  generation: number;
  /** Current instances, those rebuilt among them, in the order given. */
  current: Instance[];
  repaired: string[];
  /** Instances that did not answer, or stopped answering while rebuilt: still stale. */
  down: Array<{ instance: string; reason: string }>;
}

/**
 * Rebuilds every instance that is behind from the current ones. Throws ReindexFailed when a
 * shard has no current replica (nothing can be copied, nothing is changed). `rebuild: false`
 * (a full reindex, which builds every instance it writes anew): those behind are only counted
 * among the instances to write.
 */
export async function catchUp(
  instances: Instance[],
  indexName: string,
  shards: number,
  log: Logger,
  opts: { downBefore?: Array<{ instance: string; reason: string }>; rebuild?: boolean } = {},
): Promise<CaughtUp> {
  const downBefore = opts.downBefore ?? [];
  const s = await survey(instances, indexName);
  const down = [...downBefore, ...s.down];
  const orphans = shardsWithoutReplica(opts.rebuild === false ? [...s.current, ...s.behind] : s.current, shards);
  if (orphans.length > 0) {
    const why = [...down.map((d) => `${d.instance} ${d.reason}`), ...s.behind.map((i) => `${i.name} behind its replicas`)].join(', ');
    throw new ReindexFailed(
      `${orphans.length === 1 ? 'shard' : 'shards'} ${orphans.join(', ')} ${orphans.length === 1 ? 'has' : 'have'} no replica up to date (${why || 'none answers'}); bring their instances back and run it again, or rebuild every instance from the article files with a full reindex`,
    );
  }
  if (opts.rebuild === false) {
    if (s.behind.length > 0) log.info({ event: 'reindex.rebuilt_by_full_run', instances: s.behind.map((i) => i.name) });
    return { generation: s.generation, current: instances.filter((i) => !down.some((d) => d.instance === i.name)), repaired: [], down };
  }
  const repaired: Instance[] = [];
  for (const stale of s.behind) {
    try {
      await rebuild(stale, s.current, indexName, shards, log);
      await writeGeneration(stale.client, indexName, s.generation);
      repaired.push(stale);
      log.info({ event: 'reindex.replica_repaired', instance: stale.name, generation: s.generation });
    } catch (err) {
      if (!unreachable(err)) throw err;
      down.push({ instance: stale.name, reason: (err as Error).message });
      log.warn({ event: 'reindex.repair_interrupted', instance: stale.name, reason: (err as Error).message });
    }
  }
  return {
    generation: s.generation,
    current: instances.filter((i) => s.current.includes(i) || repaired.includes(i)),
    repaired: repaired.map((i) => i.name),
    down,
  };
}

/**
 * Copies each shard `stale` holds from a current replica into a build index on it, checks that
 * it holds as many documents of each shard as the replica, and swaps it in.
 */
async function rebuild(stale: Instance, current: Instance[], indexName: string, shards: number, log: Logger): Promise<void> {
  log.info({ event: 'reindex.replica_rebuilding', instance: stale.name, shards: stale.shards });
  const build = await BuildIndex.create(new Replicas([stale], shards), indexName, log);
  try {
    await build.applySettings();
    const sender = new DocumentSender(stale.client, stale.client.index(build.name), { log: log.child({ instance: stale.name }) });
    const expected = new Map<number, number>();
    for (const k of stale.shards) {
      const source = current.find((i) => i.shards.includes(k))!;
      const index = source.client.index(indexName);
      for (let offset = 0; ; offset += REPAIR_PAGE) {
        const page = await index.getDocuments<Record<string, unknown>>({ filter: `shard = ${k}`, offset, limit: REPAIR_PAGE });
        for (const doc of page.results) await sender.addJson(JSON.stringify(doc));
        expected.set(k, page.total);
        if (page.results.length < REPAIR_PAGE) break;
      }
      log.info({ event: 'reindex.shard_copied', instance: stale.name, from: source.name, shard: k, documents: expected.get(k) });
    }
    await sender.finish();
    const [counts] = await shardCountsOn([stale], build.name, shards);
    const same = stale.shards.every((k) => counts?.get(k) === expected.get(k));
    if (!same)
      throw new ReindexFailed(
        `rebuilding ${stale.name}: it holds ${perInstance([stale], [counts])} where its replicas hold ${[...expected].map(([k, d]) => `shard ${k}: ${d}`).join(', ')}; its live index was left as it is`,
      );
    const documents = [...expected.values()].reduce((a, b) => a + b, 0);
    await build.swapIn({ documents, counts: [counts] });
  } catch (err) {
    await build.discard();
    throw err;
  }
}
