// View model of the error pages (400, 404, 429, 503, 500): what went wrong, in Chinese and in the
// reader's script, the parameter at fault named in plain words with the rule it broke, and the
// reader's query kept in the search box. The JSON API's English error shape is not this.
import { MAX_COMPARED, MAX_FILTER_VALUES, MAX_NAME_CHARS, MAX_QUERY_CHARS, PAGE, PER_PAGE, type DisplayScript } from '../search/params.js';
import { pageLang, strings, type Strings } from './strings.js';

/** Parameters a page takes: each has a plain name and a rule in strings.ts (param_*, rule_*). */
const PAGE_PARAMS = [
  'q',
  'outlet',
  'topic',
  'person',
  'place',
  'organization',
  'from',
  'to',
  'sort',
  'page',
  'perPage',
  'script',
  'share',
] as const;
type PageParam = (typeof PAGE_PARAMS)[number];

/** What a reader typed is echoed at most this long: enough to recognise it, never a wall. */
const GIVEN_CHARS = 60;

export interface ErrorPageModel {
  t: Strings;
  lang: string;
  status: number;
  title: string;
  /** Sentences that say what was wrong and what to do. */
  explanation: string[];
  /** The same request without the parameter at fault (a 400), when that can be tried. */
  retry?: { href: string; label: string };
  /** The reader's query, kept in the search box. */
  q: string;
  /** The script, kept by a new search from the box. */
  formState: Array<{ name: string; value: string }>;
  /** What the search form's tips link keeps. */
  state: { script: DisplayScript };
}

export interface FailedRequest {
  status: number;
  /** The parameter at fault, for a 400. */
  param?: string;
  path: string;
  query: Record<string, unknown>;
  script: DisplayScript;
  /** A 503 because the request's deadline passed: its length. */
  deadlineMs?: number;
  /** A 400 because the query's OR and groups passed a limit: which, and by how much. */
  tooComplex?: { limit: 'alternatives' | 'depth'; found: number; max: number };
}

const isPageParam = (p: string | undefined): p is PageParam => (PAGE_PARAMS as readonly string[]).includes(p ?? '');

/** A parameter's values as one line, cut to GIVEN_CHARS. */
function given(value: unknown): string | undefined {
  const list = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
  if (!list.length) return undefined;
  const chars = Array.from(list.join('、'));
  return chars.length > GIVEN_CHARS ? `${chars.slice(0, GIVEN_CHARS).join('')}…` : chars.join('');
}

/** The rule a parameter broke, its limits filled in from the schemas that enforce them. */
function ruleOf(param: PageParam | undefined, t: Strings): string {
  const rule = param ? t[`rule_${param}`] : t.rule_other;
  return rule
    .replace('{maxChars}', String(MAX_QUERY_CHARS))
    .replace('{maxCompared}', String(MAX_COMPARED))
    .replace('{maxValues}', String(MAX_FILTER_VALUES))
    .replace('{maxNameChars}', String(MAX_NAME_CHARS))
    .replace('{maxPage}', String(PAGE.value.maxValue))
    .replace('{maxPerPage}', String(PER_PAGE.value.maxValue));
}

/** The reader's query: the first `q` (the compare page has several), at most MAX_QUERY_CHARS. */
function queryOf(query: Record<string, unknown>): string {
  const q = Array.isArray(query.q) ? query.q[0] : query.q;
  return typeof q === 'string' ? Array.from(q).slice(0, MAX_QUERY_CHARS).join('') : '';
}

/** The page asked for without `param`: a fragment's error retries on the search page. */
function without(path: string, query: Record<string, unknown>, param: string): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (k === param) continue;
    for (const one of Array.isArray(v) ? v : [v]) if (typeof one === 'string') qs.append(k, one);
  }
  const s = qs.toString();
  const page = path.startsWith('/fragments/') ? '/' : path;
  return s ? `${page}?${s}` : page;
}

export function errorPageModel(req: FailedRequest): ErrorPageModel {
  const t = strings(req.script);
  const status = [400, 404, 429, 503].includes(req.status) ? (req.status as 400 | 404 | 429 | 503) : 500;
  const explanation: string[] = [];
  let retry: ErrorPageModel['retry'];
  if (status === 400) {
    const param = isPageParam(req.param) ? req.param : undefined;
    const name = param ? t[`param_${param}`] : req.param;
    const complex = req.tooComplex;
    const rule = complex
      ? t[`rule_q_${complex.limit}`]
          .replace('{found}', String(complex.found))
          .replace('{max}', String(complex.max))
          .replace('{over}', String(complex.found - complex.max))
      : ruleOf(param, t);
    explanation.push(name ? t.error_400.replace('{name}', name).replace('{rule}', rule) : t.rule_other);
    const value = req.param ? given(req.query[req.param]) : undefined;
    if (value) explanation.push(t.errorGiven.replace('{value}', value));
    if (name && req.param! in req.query)
      retry = { href: without(req.path, req.query, req.param!), label: t.errorRetry.replace('{name}', name) };
  } else if (status === 404) {
    explanation.push(req.path.startsWith('/article/') ? t.error_404_article : t.error_404);
  } else if (status === 503 && req.deadlineMs !== undefined) {
    explanation.push(t.error_deadline.replace('{seconds}', String(req.deadlineMs / 1000)));
  } else {
    explanation.push(t[`error_${status}`]);
  }
  return {
    t,
    lang: pageLang(req.script),
    status,
    title: t[`errorTitle_${status}`],
    explanation,
    retry,
    q: queryOf(req.query),
    formState: req.script === 'orig' ? [] : [{ name: 'script', value: req.script }],
    state: { script: req.script },
  };
}
