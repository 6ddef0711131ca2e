// Query parameters of /api/search and the search page: validated once, at the boundary, into a
// typed SearchParams. Every error names its parameter.
import { z } from 'zod';
import { TOPICS } from '../../core/topics.js';
import { InvalidParameter } from '../errors.js';
import { INTERVALS, type Interval } from './coverage-buckets.js';

export const SORTS = ['relevance', 'newest', 'oldest'] as const;
export const SCRIPTS = ['orig', 'hans', 'hant'] as const;
export type Sort = (typeof SORTS)[number];
export type DisplayScript = (typeof SCRIPTS)[number];
export const MAX_QUERY_CHARS = 200;
export const MAX_FILTER_VALUES = 20;

export interface SearchParams {
  q: string;
  outlet: string[];
  topic: string[];
  /** Inclusive calendar days (YYYY-MM-DD) in UTC+8. */
  from: string | null;
  to: string | null;
  /** The sort asked for; `null` means the default (relevance with a query, newest without). */
  sort: Sort | null;
  page: number;
  perPage: number;
  script: DisplayScript;
}

const one = (param: string, value: unknown): string | undefined => {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw new InvalidParameter(param, `${param} may be given only once`);
  if (typeof value !== 'string') throw new InvalidParameter(param, `${param} must be a plain value`);
  return value;
};

const many = (param: string, value: unknown): string[] => {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  if (list.some((v) => typeof v !== 'string')) throw new InvalidParameter(param, `${param} must be plain values`);
  const values = [...new Set((list as string[]).map((v) => v.trim()).filter(Boolean))];
  if (values.length > MAX_FILTER_VALUES) throw new InvalidParameter(param, `at most ${MAX_FILTER_VALUES} ${param} values`);
  return values;
};

const integer = (param: string, raw: string | undefined, fallback: number, min: number, max: number): number => {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d{1,6}$/.test(raw)) throw new InvalidParameter(param, `${param} must be a whole number from ${min} to ${max}`);
  const n = Number(raw);
  if (n < min || n > max) throw new InvalidParameter(param, `${param} must be a whole number from ${min} to ${max}`);
  return n;
};

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((d) => {
  const t = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
});

const date = (param: string, raw: string | undefined): string | null => {
  if (raw === undefined || raw === '') return null;
  if (!day.safeParse(raw).success) throw new InvalidParameter(param, `${param} must be a calendar day as YYYY-MM-DD`);
  return raw;
};

/** Outlet ids are lower-case letters, digits and dashes; anything else cannot be an outlet. */
const OUTLET_ID = /^[a-z0-9-]{1,40}$/;

export function parseSearchParams(query: Record<string, unknown>): SearchParams {
  const q = (one('q', query.q) ?? '').replace(/\s+/g, ' ').trim();
  if (Array.from(q).length > MAX_QUERY_CHARS) throw new InvalidParameter('q', `q must be at most ${MAX_QUERY_CHARS} characters`);
  const outlet = many('outlet', query.outlet);
  for (const o of outlet) if (!OUTLET_ID.test(o)) throw new InvalidParameter('outlet', `unknown outlet: ${JSON.stringify(o)}`);
  const topic = many('topic', query.topic);
  for (const t of topic) {
    if (!(TOPICS as readonly string[]).includes(t)) throw new InvalidParameter('topic', `unknown topic: ${JSON.stringify(t)}; topics are ${TOPICS.join(', ')}`);
  }
  const from = date('from', one('from', query.from));
  const to = date('to', one('to', query.to));
  if (from && to && from > to) throw new InvalidParameter('from', `from (${from}) is after to (${to})`);
  const sortRaw = one('sort', query.sort);
  if (sortRaw !== undefined && sortRaw !== '' && !(SORTS as readonly string[]).includes(sortRaw)) {
    throw new InvalidParameter('sort', `sort must be one of ${SORTS.join(', ')}`);
  }
  const script = scriptParam(one('script', query.script));
  return {
    q,
    outlet,
    topic,
    from,
    to,
    sort: sortRaw ? (sortRaw as Sort) : null,
    page: integer('page', one('page', query.page), 1, 1, 100_000),
    perPage: integer('perPage', one('perPage', query.perPage), 20, 1, 100),
    script,
  };
}

export const MAX_COMPARED = 5;

/** The compare page: up to MAX_COMPARED queries (`q`, repeated), each validated as a search's. */
export function parseCompareParams(query: Record<string, unknown>): { queries: SearchParams[]; filters: SearchParams; share: boolean } {
  const list = many('q', query.q);
  if (list.length > MAX_COMPARED) throw new InvalidParameter('q', `at most ${MAX_COMPARED} queries can be compared`);
  const filters = parseSearchParams({ ...query, q: undefined, sort: undefined, page: undefined, perPage: undefined });
  const queries = list.map((q) => parseSearchParams({ ...query, q, sort: undefined, page: undefined, perPage: undefined }));
  const share = one('share', query.share);
  if (share !== undefined && share !== '' && share !== '1') throw new InvalidParameter('share', 'share must be 1 or absent');
  return { queries, filters, share: share === '1' };
}

/** The `interval` parameter of a timeline: `month` when absent or empty. */
export function intervalParam(value: unknown): Interval {
  if (value === undefined || value === '') return 'month';
  if (!(INTERVALS as readonly unknown[]).includes(value)) throw new InvalidParameter('interval', `interval must be ${INTERVALS.join(' or ')}`);
  return value as Interval;
}

/** The `script` parameter: `orig` when absent or empty. */
export function scriptParam(value: unknown): DisplayScript {
  if (value === undefined || value === '') return 'orig';
  if (typeof value !== 'string' || !(SCRIPTS as readonly string[]).includes(value)) {
    throw new InvalidParameter('script', `script must be one of ${SCRIPTS.join(', ')}`);
  }
  return value as DisplayScript;
}

export function effectiveSort(p: Pick<SearchParams, 'q' | 'sort'>): Sort {
  return p.sort ?? (p.q ? 'relevance' : 'newest');
}
