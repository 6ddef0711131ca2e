// The new index of a full reindex, built beside the live one on every instance: created with the
// live index's settings, checked to hold every story, swapped in atomically, then deleted (it
// holds the old documents after the swap). Until the swap the live index is untouched; a failed
// run discards the build, and one that was killed leaves it for the next run to remove.
import type { Meilisearch } from 'meilisearch';
import { applySettings } from '../../core/index-settings.js';
import type { Logger } from '../../core/log.js';
import { ensureIndex } from '../../core/meili/ensure-index.js';
import { ReindexFailed } from './failed.js';
import { IndexWriter, type WriterOptions } from './index-writer.js';
import { perInstance, shardCountsOn, storiesOn, type Instance, type ShardCounts } from './instances.js';
import type { Replicas } from './replicas.js';
import { expectSuccess } from './sender.js';

/** A build's name: the live index's, this suffix, and the time it started. */
const BUILD_SUFFIX = '__build_';

/** A verified build: its documents in all, and of each shard on each instance written. */
export interface Built {
  documents: number;
  counts: ShardCounts[];
}

export class BuildIndex {
  private constructor(
    /** The instances written (an instance that stops answering leaves them: replicas.ts). */
    readonly replicas: Replicas,
    /** Every instance the build was created on, to discard it from. */
    readonly created: readonly Instance[],
    readonly liveName: string,
    readonly name: string,
    readonly log: Logger,
  ) {}

  get instances(): readonly Instance[] {
    return this.replicas.writing;
  }

  /** Removes the builds of interrupted runs, then creates this one on every instance written. */
  static async create(replicas: Replicas, liveName: string, log: Logger): Promise<BuildIndex> {
    const instances = [...replicas.writing];
    for (const i of instances) await removeLeftoverBuilds(i.client, liveName, log);
    const name = `${liveName}${BUILD_SUFFIX}${Date.now()}`;
    // The new index on every instance before any document is sent: a document must not create it
    // without its settings.
    for (const i of instances) await expectSuccess(i.client, (await i.client.createIndex(name, { primaryKey: 'id' })).taskUid);
    log.info({ event: 'reindex.build_started', index: name, instances: instances.length });
    return new BuildIndex(replicas, instances, liveName, name, log);
  }

  async applySettings(): Promise<void> {
    for (const i of this.instances) {
      try {
        await applySettings(i.client.index(this.name));
      } catch (err) {
        this.replicas.lose(i, err);
      }
    }
  }

  /** Where the build's documents are sent. */
  writer(opts: WriterOptions): IndexWriter {
    return new IndexWriter({ replicas: this.replicas, indexUid: this.name }, opts);
  }

  /** The build's documents, in all and of each shard on each instance; throws ReindexFailed unless they are `expected`. */
  async verify(expected: number): Promise<Built> {
    const instances = [...this.instances];
    const counts = await shardCountsOn(instances, this.name, this.replicas.shards);
    // One replica per shard counts; replicas of a shard that disagree are a failure too.
    const documents = storiesOn(instances, counts);
    if (documents !== expected) {
      const where = instances.length > 1 ? ` (${perInstance(instances, counts)})` : '';
      const has = documents === undefined ? 'replicas of a shard with different numbers of documents' : `${documents} documents`;
      throw new ReindexFailed(`the new index has ${has}${where} where ${expected} were sent; the live index was left as it is`);
    }
    return { documents, counts };
  }

  /** Swaps the verified build in as the live index on every instance and deletes what was live. */
  async swapIn({ documents, counts }: Built): Promise<void> {
    const { liveName, name } = this;
    const instances = [...this.instances];
    for (const i of instances) await ensureIndex(i.client, liveName);
    // Every swap is enqueued before any is awaited: on a network, instances answer from
    // different versions only between the first swap and the last (milliseconds).
    const swaps = await Promise.all(
      instances.map(async (i) => ({ i, task: (await i.client.swapIndexes([{ indexes: [liveName, name], rename: false }])).taskUid })),
    );
    for (const { i, task } of swaps) await expectSuccess(i.client, task);
    this.log.info({
      event: 'reindex.swapped',
      index: liveName,
      documents,
      ...(instances.length > 1
        ? { perInstance: Object.fromEntries(instances.map((i, n) => [i.name, Object.fromEntries(counts[n] ?? [])])) }
        : {}),
    });
    for (const i of instances) await expectSuccess(i.client, (await i.client.deleteIndex(name)).taskUid);
  }

  /**
   * After a failure: the half-built index is removed now rather than next run (Meilisearch stuck
   * on a full disk retries forever, so its tasks are cancelled first). Never throws.
   */
  async discard(): Promise<void> {
    for (const i of this.created) {
      await i.client.tasks.cancelTasks({ indexUids: [this.name], statuses: ['enqueued', 'processing'] }).catch(() => undefined);
      await i.client.deleteIndex(this.name).catch(() => undefined);
    }
  }
}

/** Indexes left by a reindex that was killed or failed. */
async function removeLeftoverBuilds(client: Meilisearch, liveName: string, log: Logger): Promise<void> {
  const leftovers: string[] = [];
  for (let offset = 0; ; offset += 100) {
    const page = await client.getRawIndexes({ offset, limit: 100 });
    for (const idx of page.results) {
      if (idx.uid.startsWith(`${liveName}${BUILD_SUFFIX}`)) leftovers.push(idx.uid);
    }
    if (offset + 100 >= page.total) break;
  }
  for (const uid of leftovers) {
    await expectSuccess(client, (await client.deleteIndex(uid)).taskUid);
    log.warn({ event: 'reindex.leftover_removed', index: uid }, 'removed an index left by an interrupted reindex');
  }
}
