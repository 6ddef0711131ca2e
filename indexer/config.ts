// Reads and validates the environment once, at start-up. Every later module gets a typed Config.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors.js';

export interface Config {
  port: number;
  /** Absolute path; created if missing and checked writable. */
  dataDir: string;
  /** External Meilisearch; when absent the embedded binary is started. */
  meiliUrl: string | undefined;
  meiliMasterKey: string | undefined;
  indexName: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Requests per minute one client may make to /api/*; 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** Reverse proxies in front of the server whose X-Forwarded-For is believed (0: none). */
  trustProxy: number;
}

const optional = (s: z.ZodString) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), s.optional());

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
  const dataDir = path.resolve(cwd, e.DATA_DIR);
  ensureWritableDir(dataDir);
  return {
    port: Number(e.PORT),
    dataDir,
    meiliUrl: e.MEILI_URL?.replace(/\/+$/, ''),
    meiliMasterKey: e.MEILI_MASTER_KEY,
    indexName: e.INDEX_NAME,
    logLevel: e.LOG_LEVEL,
    rateLimitPerMinute: Number(e.RATE_LIMIT_PER_MINUTE),
    trustProxy: Number(e.TRUST_PROXY),
  };
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
