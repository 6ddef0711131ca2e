// Reads and validates the environment once, at start-up. Every later module gets a typed Config.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { ringPlacement } from './shards.js';

export interface Config {
  port: number;
  /** Absolute path; created if missing and checked writable. */
  dataDir: string;
  /** External Meilisearch; when absent the embedded binary is started. */
  meiliUrl: string | undefined;
  meiliMasterKey: string | undefined;
  /**
   * Several Meilisearch instances sharing the index (MEILI_INSTANCES): Tongwen places each story on
   * one shard and searches them all in one federated search (Meilisearch's network, remote
   * federated search; no Meilisearch sharding). Undefined for one instance (embedded or MEILI_URL).
   */
  meiliInstances: MeiliInstance[] | undefined;
  /**
   * Instances that hold each shard (MEILI_REPLICAS, default 1): with N instances there are N
   * shards, shard k on instances k … k+R-1 (core/shards.ts). Undefined without MEILI_INSTANCES.
   */
  meiliReplicas: number | undefined;
  indexName: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Requests per minute one client may make to /api/*; 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** Reverse proxies in front of the server whose X-Forwarded-For is believed (0: none). */
  trustProxy: number;
  /** Month counts in every search and the coverage chart on the search page. */
  coverageChart: boolean;
  /** Memory for whole search answers kept until the live index changes; 0 keeps none. */
  resultCacheMb: number;
}

/** One Meilisearch of a network: its name in the network, its URL (reachable by the app and by the other instances) and its master key. */
export interface MeiliInstance {
  name: string;
  url: string;
  masterKey: string;
  /** The shards whose stories it holds (core/shards.ts ringPlacement), ascending. */
  shards: number[];
}

/** Memory for whole search answers, by default (RESULT_CACHE_MB; server/search/result-cache.ts). */
export const DEFAULT_RESULT_CACHE_MB = 64;
/** RESULT_CACHE_MB at most: a cache is a share of the server's memory, not the archive's size. */
export const MAX_RESULT_CACHE_MB = 16_384;

const optional = (s: z.ZodString) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), s.optional());

const envSchema = z.object({
  PORT: z
    .string()
    .default('3000')
    .refine((v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535, {
      message: 'must be an integer port number between 1 and 65535',
    }),
  DATA_DIR: z.string().min(1, 'must not be empty').default('./data'),
  MEILI_URL: optional(
    z.string().refine((v) => /^https?:\/\/[^/\s]+/.test(v), {
      message: 'must be an http:// or https:// URL, e.g. http://localhost:7700',
    }),
  ),
  MEILI_MASTER_KEY: optional(z.string().min(16, 'must be at least 16 bytes (Meilisearch rule)')),
  MEILI_INSTANCES: optional(z.string()),
  MEILI_MASTER_KEYS: optional(z.string()),
  MEILI_SHARDS: optional(z.string()),
  MEILI_REPLICAS: optional(z.string()),
  INDEX_NAME: z
    .string()
    .default('articles')
    .refine((v) => /^[A-Za-z0-9_-]{1,200}$/.test(v), {
      message: 'may contain only letters, digits, - and _ (Meilisearch index uid rule)',
    }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  RATE_LIMIT_PER_MINUTE: z
    .string()
    .default('300')
    .refine((v) => /^\d{1,7}$/.test(v), { message: 'must be a whole number of requests per minute (0 turns the limit off)' }),
  COVERAGE_CHART: z.enum(['on', 'off'], { message: 'must be on or off' }).default('on'),
  RESULT_CACHE_MB: z
    .string()
    .default(String(DEFAULT_RESULT_CACHE_MB))
    .refine((v) => /^\d{1,5}$/.test(v) && Number(v) <= MAX_RESULT_CACHE_MB, {
      message: `must be a whole number of megabytes, 0 (no cache) to ${MAX_RESULT_CACHE_MB}`,
    }),
  TRUST_PROXY: z
    .string()
    .default('0')
    .refine((v) => /^\d$/.test(v), { message: 'must be the number of reverse proxies in front of the server, 0 to 9' }),
});

/** Validate `env`; throws ConfigError listing every problem with its variable name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`, problems);
  }
  const e = parsed.data;
  if (e.MEILI_REPLICAS !== undefined && e.MEILI_INSTANCES === undefined) {
    throw new ConfigError(
      'invalid configuration: MEILI_REPLICAS: the number of instances of MEILI_INSTANCES that hold each shard; set MEILI_INSTANCES too',
      ['MEILI_REPLICAS: set MEILI_INSTANCES too'],
    );
  }
  const network = e.MEILI_INSTANCES === undefined ? undefined : parseInstances(e);
  const dataDir = path.resolve(cwd, e.DATA_DIR);
  ensureWritableDir(dataDir);
  return {
    port: Number(e.PORT),
    dataDir,
    meiliUrl: e.MEILI_URL?.replace(/\/+$/, ''),
    meiliMasterKey: e.MEILI_MASTER_KEY,
    meiliInstances: network?.instances,
    meiliReplicas: network?.replicas,
    indexName: e.INDEX_NAME,
    logLevel: e.LOG_LEVEL,
    rateLimitPerMinute: Number(e.RATE_LIMIT_PER_MINUTE),
    trustProxy: Number(e.TRUST_PROXY),
    coverageChart: e.COVERAGE_CHART === 'on',
    resultCacheMb: Number(e.RESULT_CACHE_MB),
  };
}

const INSTANCE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const URL_RULE = /^https?:\/\/[^/\s]+/;

/** `name=value` pairs separated by commas, in order; throws on a malformed pair. */
function pairs(variable: string, text: string, problems: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) problems.push(`${variable}: "${part.length > 40 ? `${part.slice(0, 40)}…` : part}" is not name=value`);
    else out.push([part.slice(0, eq).trim(), part.slice(eq + 1).trim()]);
  }
  return out;
}

/**
 * MEILI_INSTANCES="ms0=http://meili-0:7700,ms1=http://meili-1:7700,…" with one master key for all
 * (MEILI_MASTER_KEY) or one each (MEILI_MASTER_KEYS="ms0=…,ms1=…"), and optionally MEILI_REPLICAS
 * (replicasOf). Every problem is reported.
 */
function parseInstances(e: {
  MEILI_INSTANCES?: string;
  MEILI_MASTER_KEY?: string;
  MEILI_MASTER_KEYS?: string;
  MEILI_URL?: string;
  MEILI_SHARDS?: string;
  MEILI_REPLICAS?: string;
}): { instances: MeiliInstance[]; replicas: number } {
  const problems: string[] = [];
  const entries = pairs('MEILI_INSTANCES', e.MEILI_INSTANCES ?? '', problems);
  if (e.MEILI_URL) problems.push('MEILI_URL: set either MEILI_URL (one Meilisearch) or MEILI_INSTANCES (several), not both');
  if (entries.length < 2 && problems.length === 0)
    problems.push('MEILI_INSTANCES: name at least two instances (name=url,name=url); for one, set MEILI_URL instead');
  const names = new Set<string>();
  const urls = new Set<string>();
  for (const [name, url] of entries) {
    if (!INSTANCE_NAME.test(name))
      problems.push(`MEILI_INSTANCES: instance name "${name}" may contain only letters, digits, - and _ (at most 64)`);
    if (names.has(name)) problems.push(`MEILI_INSTANCES: instance name "${name}" is given twice`);
    if (!URL_RULE.test(url))
      problems.push(`MEILI_INSTANCES: the URL of ${name} must be an http:// or https:// URL, e.g. http://meili-0:7700`);
    const clean = url.replace(/\/+$/, '');
    if (urls.has(clean)) problems.push(`MEILI_INSTANCES: ${clean} is given twice`);
    names.add(name);
    urls.add(clean);
  }
  const keys = masterKeys(e.MEILI_MASTER_KEYS ?? '', [...names], problems);
  if (e.MEILI_MASTER_KEYS && e.MEILI_MASTER_KEY)
    problems.push('MEILI_MASTER_KEYS: set either MEILI_MASTER_KEY (one key for every instance) or MEILI_MASTER_KEYS (one each), not both');
  if (e.MEILI_SHARDS !== undefined)
    problems.push(
      'MEILI_SHARDS: no longer read; with N instances there are N shards placed on a ring: set MEILI_REPLICAS to the instances that hold each shard',
    );
  const replicas = replicasOf(e.MEILI_REPLICAS, entries.length, problems);
  const placement = problems.length === 0 ? ringPlacement(entries.length, replicas) : [];
  const instances = entries.map(([name, url], n) => {
    const masterKey = keys.get(name) ?? e.MEILI_MASTER_KEY ?? '';
    if (!masterKey)
      problems.push(`MEILI_MASTER_KEY: instance ${name} needs a master key (MEILI_MASTER_KEY for all, or ${name}=… in MEILI_MASTER_KEYS)`);
    else if (Buffer.byteLength(masterKey) < 16)
      problems.push(`MEILI_MASTER_KEYS: the key of ${name} must be at least 16 bytes (Meilisearch rule)`);
    return { name, url: url.replace(/\/+$/, ''), masterKey, shards: placement[n] ?? [] };
  });
  if (problems.length) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`, problems);
  return { instances, replicas };
}

/**
 * MEILI_REPLICAS="2": how many instances hold each shard, from 1 (the default: each story on one
 * instance) to the number of instances (every instance holds every story). A shard is searchable
 * while one of its replicas is up: any R - 1 instances may be down and answers stay whole.
 */
function replicasOf(text: string | undefined, instances: number, problems: string[]): number {
  if (text === undefined) return 1;
  const replicas = /^\d{1,3}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!(replicas >= 1 && replicas <= instances)) {
    problems.push(
      `MEILI_REPLICAS: "${text.length > 20 ? `${text.slice(0, 20)}…` : text}" must be a whole number from 1 to the number of instances of MEILI_INSTANCES (${instances})`,
    );
    return 1;
  }
  return replicas;
}

/**
 * MEILI_MASTER_KEYS="ms0=<key>,ms1=<key>": entries separated by commas, each an instance name,
 * `=` and its key. So a key may not contain a comma (it may contain `=`). A message names the
 * entry by its place and never quotes it: any part of it may be part of a key.
 */
function masterKeys(text: string, instances: string[], problems: string[]): Map<string, string> {
  const keys = new Map<string, string>();
  if (!text.trim()) return keys;
  const entries = text.split(',');
  entries.forEach((raw, i) => {
    const entry = raw.trim();
    if (!entry) return;
    const where = `MEILI_MASTER_KEYS: entry ${i + 1} of ${entries.length} (counting by commas)`;
    const eq = entry.indexOf('=');
    const name = eq > 0 ? entry.slice(0, eq).trim() : '';
    if (!instances.includes(name)) {
      problems.push(
        `${where} is not <instance>=<key> for an instance of MEILI_INSTANCES (${instances.join(', ')}); ` +
          'entries are separated by commas, so a key may not contain one (the entry is not shown: it may hold a key)',
      );
    } else if (keys.has(name)) problems.push(`${where} gives the key of ${name} a second time`);
    else keys.set(name, entry.slice(eq + 1).trim());
  });
  return keys;
}

function ensureWritableDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Root ignores permission bits, so prove writability by writing.
    const probe = path.join(dir, `.write-test-${process.pid}`);
    fs.writeFileSync(probe, '');
    fs.rmSync(probe);
  } catch (err) {
    const reason = err instanceof Error && 'code' in err ? String(err.code) : String(err);
    throw new ConfigError(`DATA_DIR: ${dir} is not a writable directory (${reason})`);
  }
}
