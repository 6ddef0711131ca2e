// Query parameters of the API and the pages, as zod schemas: the one place their names, limits,
// defaults, messages and descriptions are written. Routes parse req.query with them (every error
// names its parameter); server/openapi.ts writes them into /api/openapi.json; their types are
// z.output of the same schemas.
import { z } from 'zod';
import { TOPICS } from '../../core/topics.js';
import { toCanonical } from '../../core/text/normalize.js';
import { InvalidParameter } from '../errors.js';
import { checkQueryLimits, MAX_TERMS } from './query.js';
import { MAX_ALTERNATIVES, MAX_GROUP_DEPTH } from './query-language.js';

export const SORTS = ['relevance', 'newest', 'oldest'] as const;
export const SCRIPTS = ['orig', 'hans', 'hant'] as const;
export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export const INTERVALS = ['month', 'year'] as const;
/** `undated=only`: the stories without a publication date (the only value). */
export const UNDATED = ['only'] as const;
export type Sort = (typeof SORTS)[number];
export type DisplayScript = (typeof SCRIPTS)[number];
export const MAX_QUERY_CHARS = 200;
export const MAX_FILTER_VALUES = 20;
/** Hits per page when perPage is not given (links leave it out then). */
export const DEFAULT_PER_PAGE = 20;
/** Queries on the compare page at most. */
export const MAX_COMPARED = 5;
/** Outlet ids are lower-case letters, digits and dashes; anything else cannot be an outlet. */
const OUTLET_ID = /^[a-z0-9-]{1,40}$/;

function refuse(ctx: z.core.$RefinementCtx<unknown>, raw: unknown, message: string): never {
  ctx.addIssue({ code: 'custom', input: raw, message });
  return z.NEVER;
}

/**
 * A parameter given at most once: its one string value, or undefined when absent or empty (an
 * optional `value` lets it through, to a default), checked by `value`. Express reads `a=1&a=2`
 * as an array; another query parser could give an object.
 */
function single<T extends z.ZodType<unknown, string | undefined>>(name: string, value: T) {
  return z
    .unknown()
    .optional()
    .transform((raw, ctx) => {
      if (Array.isArray(raw)) return refuse(ctx, raw, `${name} may be given only once`);
      if (raw !== undefined && typeof raw !== 'string') return refuse(ctx, raw, `${name} must be a plain value`);
      return raw === '' ? undefined : raw;
    })
    .pipe(value);
}

/**
 * A repeatable parameter: its values trimmed and normalized (`normalize`), without empty ones or repeats, at most `max`, each
 * checked by `item` (typed as plain strings: the search code takes any values it is given).
 */
function repeated(name: string, item: z.ZodType<string, string>, max: number, tooMany: string, normalize = (v: string) => v) {
  return z
    .unknown()
    .optional()
    .transform((raw, ctx) => {
      const list: unknown[] = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
      if (list.some((v) => typeof v !== 'string')) return refuse(ctx, raw, `${name} must be plain values`);
      return [...new Set((list as string[]).map((v) => normalize(v.trim())).filter(Boolean))];
    })
    .pipe(z.array(item).max(max, tooMany));
}

/**
 * A whole number from `min` to `max` (`value`), and the parameter that gives it (`param`): digits
 * only, no sign, exponent or spaces, and at most six of them (more than any bound needs).
 */
function wholeNumber(name: string, min: number, max: number) {
  const message = `${name} must be a whole number from ${min} to ${max}`;
  const value = z.int().min(min, message).max(max, message);
  return {
    value,
    param: z
      .string()
      .regex(/^\d{1,6}$/, message)
      .transform(Number)
      .pipe(value),
  };
}

const calendarDay = (name: string) => z.iso.date({ error: `${name} must be a calendar day as YYYY-MM-DD` });

const oneOf = <const V extends readonly [string, ...string[]]>(name: string, values: V) =>
  z.enum(values, { error: `${name} must be one of ${values.join(', ')}` });

/** At most `max` characters (code points, as JSON Schema's maxLength counts them, not UTF-16 units). */
const atMostChars = (name: string, max: number) =>
  z
    .string()
    .refine((s) => Array.from(s).length <= max, `${name} must be at most ${max} characters`)
    .meta({ maxLength: max });

// Each parameter once; the routes' schemas below combine them.
const q = single(
  'q',
  z
    .string()
    .overwrite((s) => s.replace(/\s+/g, ' ').trim())
    .pipe(atMostChars('q', MAX_QUERY_CHARS))
    // OR and groups expand into alternatives: past the limits the search is refused before it
    // starts (QueryTooComplex, a 400 on q that says which limit and by how much).
    .refine((value) => {
      checkQueryLimits(value);
      return true;
    })
    .optional(),
)
  .default('')
  .meta({
    description:
      `Query in any script, at most ${MAX_QUERY_CHARS} characters; empty: browse. ` +
      'Words separated by spaces or Chinese punctuation (，、；) must all occur (AND). `OR` (or 或 standing alone) offers alternatives and binds ' +
      'looser than AND: `a b OR c` is (a b) OR c; parentheses (half or full width) group: `(新冠 OR 武漢肺炎) 疫苗`. -word, -"phrase", -(group) and NOT exclude. ' +
      `At most ${MAX_ALTERNATIVES} alternatives after expanding groups, groups nested at most ${MAX_GROUP_DEPTH} deep (past either: 400), ` +
      `and ${MAX_TERMS} terms per alternative (see query.notes). ` +
      'A Chinese word (two characters or more) matches as a substring, in either script and in mainland, Taiwan or Hong Kong vocabulary; ' +
      'unspaced Chinese of up to four characters is one word, longer is segmented and its words must all occur ' +
      '(the exact string ranks first). Other words and numbers match whole, case-insensitive, never as prefixes. "…" is an exact phrase. ' +
      'Single Chinese characters are left out (see query.notes). ' +
      '`total` and every facet count are exact under these rules.',
  });

const outlet = repeated(
  'outlet',
  z.string().regex(OUTLET_ID, { error: (issue) => `unknown outlet: ${JSON.stringify(issue.input)}` }),
  MAX_FILTER_VALUES,
  `at most ${MAX_FILTER_VALUES} outlet values`,
).meta({ description: `Outlet ids (repeatable, OR-ed, at most ${MAX_FILTER_VALUES}).` });

const topic = repeated(
  'topic',
  z.enum(TOPICS, { error: (issue) => `unknown topic: ${JSON.stringify(issue.input)}; topics are ${TOPICS.join(', ')}` }),
  MAX_FILTER_VALUES,
  `at most ${MAX_FILTER_VALUES} topic values`,
).meta({ description: 'Topics (repeatable, OR-ed).' });

/** Longest name a person, place or organization filter takes (the lists' longest is well under it). */
export const MAX_NAME_CHARS = 40;

/** A name filter (people, places, organizations): any script, read in canonical form as the index stores it. */
const named = (name: string, description: string) =>
  repeated(
    name,
    z
      .string()
      // A name has no spaces, ASCII punctuation or control characters.
      .regex(/^[^\s\x00-\x1f\x7f!-/:-@[-`{-~]+$/, { error: (issue) => `not a name: ${JSON.stringify(issue.input)}` })
      .refine((v) => Array.from(v).length <= MAX_NAME_CHARS, `${name} values must be at most ${MAX_NAME_CHARS} characters`),
    MAX_FILTER_VALUES,
    `at most ${MAX_FILTER_VALUES} ${name} values`,
    toCanonical,
  ).meta({ description });

const person = named(
  'person',
  `People named in the story, from the project's list (repeatable, OR-ed, at most ${MAX_FILTER_VALUES}; any script).`,
);
const place = named('place', 'Places named in the story (repeatable, OR-ed; any script).');
const organization = named('organization', 'Organizations named in the story (repeatable, OR-ed; any script).');

/** Inclusive calendar days (YYYY-MM-DD) in UTC+8; null when not given. */
const from = single('from', calendarDay('from').optional())
  .nullable()
  .default(null)
  .meta({ description: 'First day, inclusive (YYYY-MM-DD, UTC+8).' });
const to = single('to', calendarDay('to').optional()).nullable().default(null).meta({
  description:
    'Last day, inclusive (YYYY-MM-DD, UTC+8); not before `from`. When `from` and `to` lie in one year, month counts are returned.',
});

/** Only the stories without a date: no range of days can reach them. Null when not given. */
const undated = single('undated', oneOf('undated', UNDATED).optional())
  .nullable()
  .default(null)
  .meta({ description: '`only`: just the stories without a publication date (facets.undated counts them). Not with `from` or `to`.' });

/** The sort asked for; null means the default (relevance with a query, newest without). */
const sort = single('sort', oneOf('sort', SORTS).optional())
  .nullable()
  .default(null)
  .meta({ description: 'Default: `relevance` with a query, `newest` without.' });
const script = single('script', oneOf('script', SCRIPTS).optional())
  .default('orig')
  .meta({ description: "Script of the text shown: the article's own (`orig`), simplified (`hans`) or traditional (`hant`)." });
// Past the hits pages reach (maxTotalHits), a page answers its count and no hits; the bound only
// keeps the number sane.
export const PAGE = wholeNumber('page', 1, 100_000);
const page = single('page', PAGE.param.optional())
  .default(1)
  .meta({ description: 'From 1. A page past the last (or past the hits pages reach) answers the total and facets, with no hits.' });
export const PER_PAGE = wholeNumber('perPage', 1, 100);
const perPage = single('perPage', PER_PAGE.param.optional()).default(DEFAULT_PER_PAGE).meta({ description: 'Hits per page.' });
const interval = single('interval', z.enum(INTERVALS, { error: `interval must be ${INTERVALS.join(' or ')}` }).optional())
  .default('month')
  .meta({ description: 'Bucket size. Default: month.' });
const format = single('format', oneOf('format', EXPORT_FORMATS));
const terms = single('terms', z.literal('1', { error: 'terms must be 1 or absent' }).optional()).meta({
  description: '`1`: also the words that stand out in the matching stories (`terms`, as /api/terms); one more Meilisearch request.',
});
const share = single('share', z.literal('1', { error: 'share must be 1 or absent' }).optional());

/** `schema` with from ≤ to, checked once both are days (whatever else is wrong: parseQuery picks by order). */
function withDayRange<S extends z.ZodType<{ from: string | null; to: string | null }>>(schema: S): S {
  return schema.refine((p) => !(p.from && p.to && p.from > p.to), {
    path: ['from'],
    error: (issue) => {
      const { from, to } = issue.input as { from: string; to: string };
      return `from (${from}) is after to (${to})`;
    },
    when: (payload) => !payload.issues.some((i) => i.path?.[0] === 'from' || i.path?.[0] === 'to'),
  });
}

/** `schema` without undated=only beside from or to: days and no day at all select nothing together. */
function withUndatedAlone<S extends z.ZodType<{ from: string | null; to: string | null; undated: string | null }>>(schema: S): S {
  return schema.refine((p) => !(p.undated && (p.from || p.to)), {
    path: ['undated'],
    error: 'undated=only cannot be combined with from or to: stories without a date have no day',
    when: (payload) => !payload.issues.some((i) => ['from', 'to', 'undated'].includes(String(i.path?.[0]))),
  });
}

/** The checks of the date parameters together. */
const withDates = <S extends z.ZodType<{ from: string | null; to: string | null; undated: string | null }>>(schema: S): S =>
  withUndatedAlone(withDayRange(schema));

/** The parameters that select stories: the same on every searching route. */
const selection = { q, outlet, topic, person, place, organization, from, to, undated };

/** /api/search and the search page. */
export const searchQuery = withDates(z.object({ ...selection, sort, script, page, perPage, terms }));
/** /api/terms: a search's selection; the words are in the reader's script. */
export const termsQuery = withDates(z.object({ ...selection, script }));
/** /api/timeline: a search's selection (its sort and page are checked, and change nothing), and the bucket size. */
export const timelineQuery = withDates(z.object({ ...selection, sort, script, page, perPage, interval }));
/** /api/export: a search's selection, order and script; every page at once. */
export const exportQuery = withDates(z.object({ format, ...selection, sort, script }));
/** /api/articles/:id and /api/facets. */
export const scriptQuery = z.object({ script });

/** A search's parameters; `terms` (the panel) is asked by the page and by /api/search?terms=1 only. */
export type SearchParams = Omit<z.output<typeof searchQuery>, 'terms'> & { terms?: boolean };

/**
 * `query` checked against `schema`: its values, or InvalidParameter for the parameter at fault
 * that comes first in the schema's order, its own issue before those of its values.
 */
export function parseQuery<S extends z.ZodObject>(schema: S, query: unknown): z.output<S> {
  const result = schema.safeParse(query);
  if (result.success) return result.data;
  const order = Object.keys(schema.shape);
  const place = (i: z.core.$ZodIssue) => [order.indexOf(String(i.path[0])), i.path.length] as const;
  const [issue] = [...result.error.issues].sort((a, b) => place(a)[0] - place(b)[0] || place(a)[1] - place(b)[1]);
  throw new InvalidParameter(String(issue!.path[0]), issue!.message);
}

export function parseSearchParams(query: Record<string, unknown>): SearchParams {
  const { terms, ...params } = parseQuery(searchQuery, query);
  return { ...params, terms: terms === '1' };
}

/** The `script` parameter alone: `orig` when absent or empty. */
export function scriptParam(value: unknown): DisplayScript {
  return parseQuery(scriptQuery, { script: value }).script;
}

const compareQuery = z.object({
  q: repeated('q', z.string(), MAX_COMPARED, `at most ${MAX_COMPARED} queries can be compared`),
  share,
});

/** The compare page: up to MAX_COMPARED queries (`q`, repeated), each validated as a search's. */
export function parseCompareParams(query: Record<string, unknown>): { queries: SearchParams[]; filters: SearchParams; share: boolean } {
  const { q: list } = parseQuery(compareQuery.pick({ q: true }), query);
  const filters = parseSearchParams({ ...query, q: undefined, sort: undefined, page: undefined, perPage: undefined });
  const queries = list.map((q) => parseSearchParams({ ...query, q, sort: undefined, page: undefined, perPage: undefined }));
  const { share } = parseQuery(compareQuery.pick({ share: true }), query);
  return { queries, filters, share: share === '1' };
}

export function effectiveSort(p: Pick<SearchParams, 'q' | 'sort'>): Sort {
  return p.sort ?? (p.q ? 'relevance' : 'newest');
}
