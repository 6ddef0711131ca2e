// What a reindex is given and what it reports, whichever the mode (full.ts, incremental.ts).
import type { Meilisearch } from 'meilisearch';
import type { Logger } from '../../core/log.js';
import { checkNotFull } from '../disk.js';
import type { Instance } from './instances.js';
import type { Progress } from './progress.js';

export interface ReindexOptions {
  /** Where documents are sent: the one Meilisearch, or the first instance of a network. */
  client: Meilisearch;
  /**
   * Every instance of a network, each with its name and the shards it holds: each story is sent
   * to the replicas of its shard (shards.ts), indexes and swaps are made on each that is up and
   * up to date (catch-up.ts). Absent: `client` alone.
   */
  instances?: Instance[];
  /** The shards of the network (one per instance of MEILI_INSTANCES); 1 (absent) for one Meilisearch. */
  shards?: number;
  /** Instances of the network that did not answer when the run started (they stay stale). */
  down?: Array<{ instance: string; reason: string }>;
  indexName: string;
  dataDir: string;
  roots: string[];
  incremental: boolean;
  prune: boolean;
  /** Let the run remove more of the live index than shrink-guard.ts allows. */
  allowShrink?: boolean;
  log: Logger;
  progress?: Progress;
  batchBytes?: number;
  /** Files scanned after a story's best copy so far before a full reindex sends it (provisional.ts). */
  lag?: number;
  /** The share of the corpus a full reindex sends while it parses (STREAM_SHARE, stream-decision.ts). */
  streamShare?: number;
  /**
   * false: stories are sent without their keywords and names (empty lists). Only bench:index
   * sets it, to measure what extraction adds to a full reindex; no command offers it.
   */
  extractTerms?: boolean;
  /** Parse worker threads; 0 parses on the main thread. Default: one per core for big runs. */
  parseWorkers?: number;
  /** Meilisearch keeps its database in DATA_DIR (embedded): watch that disk while it indexes. */
  meiliOnDataDir?: boolean;
}

export interface ReindexSummary {
  index: string;
  mode: 'full' | 'incremental';
  /** Stories (documents) that are new to the live index. */
  indexed: number;
  /** Stories whose document was replaced (changed text, new representative or copies). */
  updated: number;
  deleted: number;
  unchanged: number;
  /** Rejected files that are junk pages (site notices, error pages, empty bodies). */
  junk: number;
  /** Articles collapsed into another version of the same story (near-duplicates). */
  copies: number;
  rejected: Array<{ path: string; reason: string }>;
  warnings: Array<{ path: string; warning: string }>;
  /** Documents in the live index afterwards. */
  documents: number;
  durationMs: number;
  /** Peak resident memory of this (indexer) process, in MB. */
  peakRssMb: number;
  /**
   * With --prune: paths that could not be read (folders that could not be listed, files that
   * could not be opened), with the files under them whose documents were kept, not pruned.
   */
  notPruned?: Array<{ path: string; files: number }>;
  /** Why a requested incremental run became a full one, and what --allow-shrink let through, if anything. */
  note?: string;
  /** On a network: instances that did not receive every write of the run (down, or lost during it), stale until repaired. */
  stale?: string[];
  /** On a network: instances brought up to date before the run (catch-up.ts). */
  repaired?: string[];
}

/** What one mode's run reports; run.ts adds the time and memory it took and the replicas' state. */
export type RunCounts = Omit<ReindexSummary, 'durationMs' | 'peakRssMb' | 'stale' | 'repaired'>;

/** The instances the run writes to: those of the network, or the one Meilisearch. */
export function everyInstance(opts: Pick<ReindexOptions, 'client' | 'instances'>): Instance[] {
  return opts.instances ?? [{ name: 'meilisearch', client: opts.client, shards: [0] }];
}

/**
 * What DocumentSender runs while it waits for Meilisearch when Meilisearch's database is on
 * DATA_DIR: fail with DiskFullError (saying `while_`) rather than wait on a full disk forever.
 */
export function diskWatch(opts: Pick<ReindexOptions, 'dataDir' | 'meiliOnDataDir'>, while_: string): (() => void) | undefined {
  return opts.meiliOnDataDir ? () => checkNotFull(opts.dataDir, while_) : undefined;
}
