// View model of the search page: everything the template shows, links included, computed from
// the same SearchResult the JSON API returns. The page and its live update (/fragments/search)
// render this one model with the same partials.
import { inScript } from '../search/display.js';
import type { FacetValue } from '../search/facets.js';
import { NAME_FACETS, selectedYear, type NameFacet } from '../search/filters.js';
import { SORTS, type SearchParams } from '../search/params.js';
import type { SearchResult } from '../search/search-result.js';
import type { QueryTree } from '../api/responses.js';
import { scriptSwitch, strings, type ScriptLink, type Strings } from './strings.js';
import { monthBounds, monthIndex } from '../search/coverage-buckets.js';
import { coverageView, type CoverageView } from './coverage.js';
import { outletLabel, publicationDay, topicLabel } from './labels.js';
import { resultLinks } from './links.js';
import { searchUrl, toggle, withChanges, type UrlState } from './url.js';

export interface FacetLink extends FacetValue {
  href: string;
  selected: boolean;
}

/** A year of the date facet: one choice at a time (it looks like a radio button). */
export interface YearLink extends FacetLink {
  /** Part of a chosen range of days that is not this one year (the range spans it, or part of it). */
  within: boolean;
}

/**
 * The date facet's own controls: the from/to form (a plain GET form: no JavaScript needed) with
 * the rest of the search in hidden fields, and the link to the stories without a date.
 */
export interface DateControls {
  from: string;
  to: string;
  /** The search but its dates and page, for the form's hidden fields. */
  keep: FormState;
  undated?: FacetLink;
}

export interface Chip {
  label: string;
  href: string;
}

export interface PageLink {
  label: string;
  href?: string;
  current?: boolean;
}

/** One word of the terms panel: a link that adds it to the query, its exact count, and its bar. */
export interface TermView {
  label: string;
  href: string;
  count: string;
  /** The bar's length out of 100: its stories against the word with the most. */
  bar: number;
  /** What the bar says, for the word's tooltip and screen readers. */
  detail: string;
}

export interface TermsView {
  items: TermView[];
}

/** How the query was read, in the reader's script: its OR structure, the words of segmented strings, and notes. */
export interface Reading {
  /** A query with OR, as words and operators in the reader's script: terms are marked. */
  tree?: Array<{ text: string; term: boolean }>;
  segmented: Array<{ words: string[]; exact: string; exactHref: string }>;
  notes: string[];
}

/**
 * A query tree in the reader's words: alternatives joined by 或, words by ＋, an excluded word as
 * 不含 word, a group in full-width parentheses when it sits inside another.
 */
export function treeWords(tree: QueryTree, shown: (canonical: string) => string, t: Strings): Array<{ text: string; term: boolean }> {
  const out: Array<{ text: string; term: boolean }> = [];
  const op = (text: string) => out.push({ text, term: false });
  const walk = (node: QueryTree, inner: boolean) => {
    if ('term' in node) {
      if (node.term.exclude) op(`${t.notWord} `);
      const text = shown(node.term.text);
      out.push({ text: node.term.phrase ? `“${text}”` : text, term: true });
      return;
    }
    if (inner) op('（');
    node.items.forEach((item, i) => {
      if (i > 0) op(node.op === 'or' ? ` ${t.orWord} ` : ' ＋ ');
      walk(item, true);
    });
    if (inner) op('）');
  };
  walk(tree, false);
  return out;
}

/** A result as the page shows it: names in the reader's script, the article's link keeping the query. */
export interface HitView {
  href: string;
  lang: string;
  titleHtml: string;
  snippetHtml: string;
  outlet: string;
  topics: string[];
  publishedAt: string | null;
  /** The UTC+8 day, or undefined when the article has no date. */
  day?: string;
  /** "另有 2 个版本" when the story has copies under other URLs. */
  copies?: string;
}

/** The search's state the form carries (hidden fields) when the reader types a new query. */
export type FormState = Array<{ name: string; value: string }>;

export interface SearchPageModel {
  t: Strings;
  /** The page's title and its URL without defaults (the live update puts it in the address bar). */
  title: string;
  canonical: string;
  /** No query and no filter: the results are the whole archive, and the summary says so. */
  home: boolean;
  /** The positions of the stories shown (1-based, inclusive), when there are any. */
  range?: { first: number; last: number };
  /** The page asked for is past the last one (and there are results): say so, link the last. */
  pastLast: boolean;
  hits: HitView[];
  formState: FormState;
  reading: Reading;
  state: UrlState;
  result: SearchResult;
  outlets: FacetLink[];
  topics: FacetLink[];
  /** The name facets, each with its heading (empty lists are not shown). */
  names: Array<{ param: NameFacet; heading: string; values: FacetLink[] }>;
  years: YearLink[];
  months: FacetLink[];
  dates: DateControls;
  chips: Chip[];
  clearAll?: string;
  sorts: Array<{ label: string; href: string; current: boolean }>;
  scripts: ScriptLink[];
  pages: PageLink[];
  prev?: string;
  next?: string;
  /** The last page, for a page past it. */
  lastPage: string;
  /** How many stories a page shows (PER_PAGE_CHOICES), as links. */
  perPage: Array<{ label: string; href: string; current: boolean }>;
  coverage?: CoverageView;
  /** The words that stand out (the terms panel), when the search asked for them. */
  terms?: TermsView;
  /** Where the results can go: export, the Atom feed, the compare page. */
  links: { csv: string; jsonl: string; feed: string; compare?: string };
}

/**
 * The page sizes the page offers (perPage accepts 1–100): short pages to skim, long ones to read
 * through or to print.
 */
export const PER_PAGE_CHOICES = [10, 20, 50, 100] as const;

const monthEnd = (ym: string) => monthBounds(monthIndex(ym)).to;

/** `YYYY-MM` when from/to cover exactly one calendar month. */
function selectedMonth(p: Pick<SearchParams, 'from' | 'to'>): string | undefined {
  const ym = p.from?.slice(0, 7);
  return ym && p.from === `${ym}-01` && p.to === monthEnd(ym) ? ym : undefined;
}

export function searchPageModel(p: SearchParams, result: SearchResult): SearchPageModel {
  const t = strings(p.script);
  const state: UrlState = { ...p };
  const year = selectedYear(p);
  const oneMonth = selectedMonth(p);

  const outlets = result.facets.outlet.map((f) => ({
    ...f,
    selected: p.outlet.includes(f.value),
    href: withChanges(state, { outlet: toggle(p.outlet, f.value) }),
  }));
  const topics = result.facets.topic.map((f) => ({
    ...f,
    selected: p.topic.includes(f.value),
    href: withChanges(state, { topic: toggle(p.topic, f.value) }),
  }));
  const names = (Object.keys(NAME_FACETS) as NameFacet[]).map((param) => ({
    param,
    heading: t[NAME_HEADINGS[param]],
    values: result.facets[param].map((f) => ({
      ...f,
      selected: p[param].includes(f.value),
      href: withChanges(state, { [param]: toggle(p[param], f.value) }),
    })),
  }));
  const oneYear = year !== undefined && p.from === `${year}-01-01` && p.to === `${year}-12-31`;
  const years = result.facets.year.map((f) => {
    const selected = year === Number(f.value) && !oneMonth;
    const within = !selected && !oneMonth && overlapsYear(p, f.value);
    return {
      ...f,
      selected,
      within,
      href:
        selected && oneYear
          ? withChanges(state, { from: null, to: null })
          : withChanges(state, { from: `${f.value}-01-01`, to: `${f.value}-12-31`, undated: null }),
    };
  });
  const months = (result.facets.month ?? []).map((f) => {
    const selected = oneMonth === f.value;
    const y = f.value.slice(0, 4);
    const href = selected
      ? withChanges(state, { from: `${y}-01-01`, to: `${y}-12-31` })
      : withChanges(state, { from: `${f.value}-01`, to: monthEnd(f.value) });
    return { ...f, selected, href };
  });

  const chips: Chip[] = [];
  for (const o of p.outlet)
    chips.push({
      label: `${t.outlets}：${result.facets.outlet.find((f) => f.value === o)?.label ?? outletLabel({ id: o, name: o }, p.script)}`,
      href: withChanges(state, { outlet: p.outlet.filter((v) => v !== o) }),
    });
  for (const tp of p.topic)
    chips.push({
      label: `${t.topics}：${result.facets.topic.find((f) => f.value === tp)?.label ?? topicLabel(tp, p.script)}`,
      href: withChanges(state, { topic: p.topic.filter((v) => v !== tp) }),
    });
  for (const { param, heading, values } of names) {
    for (const v of p[param])
      chips.push({
        label: `${heading}：${values.find((f) => f.value === v)?.label ?? inScript(v, p.script)}`,
        href: withChanges(state, { [param]: p[param].filter((x) => x !== v) }),
      });
  }
  if (p.from || p.to) chips.push({ label: `${t.dates}：${dateRangeLabel(p, t)}`, href: withChanges(state, { from: null, to: null }) });
  if (p.undated) chips.push({ label: `${t.dates}：${t.undated}`, href: withChanges(state, { undated: null }) });

  const sorts = SORTS.filter((s) => s !== 'relevance' || p.q).map((s) => ({
    label: t[s],
    href: withChanges(state, { sort: s }),
    current: result.query.sort === s,
  }));
  const scripts = scriptSwitch(p.script, (s) => searchUrl({ ...state, script: s }));

  const total = result.totalPages;
  const pages: PageLink[] = [];
  // Past the last page, the pages shown are those before the end.
  const at = Math.min(p.page, total);
  const window = new Set([1, total, at - 2, at - 1, at, at + 1, at + 2].filter((n) => n >= 1 && n <= total));
  let previous = 0;
  for (const n of [...window].sort((a, b) => a - b)) {
    if (n - previous > 1) pages.push({ label: '…' });
    pages.push({ label: String(n), href: n === p.page ? undefined : withChanges(state, { page: n }), current: n === p.page });
    previous = n;
  }
  return {
    t,
    title: p.q ? `${p.q} · ${t.siteName} Tongwen` : `${t.siteName} Tongwen · ${t.tagline}`,
    canonical: searchUrl(state),
    home: !p.q && !p.outlet.length && !p.topic.length && !named(p) && !p.from && !p.to && !p.undated,
    range: result.hits.length
      ? { first: (result.page - 1) * result.perPage + 1, last: (result.page - 1) * result.perPage + result.hits.length }
      : undefined,
    pastLast: result.hits.length === 0 && result.total > 0 && p.page > total,
    hits: result.hits.map((h) => hitView(h, state)),
    formState: formState(state),
    reading: readingOf(p, result, t, state),
    state,
    result,
    outlets,
    topics,
    names,
    years,
    months,
    dates: dateControls(p, result, state),
    chips,
    clearAll:
      chips.length > 1
        ? withChanges(state, { outlet: [], topic: [], person: [], place: [], organization: [], from: null, to: null, undated: null })
        : undefined,
    sorts,
    scripts,
    pages,
    prev: p.page > 1 && p.page <= total + 1 ? withChanges(state, { page: p.page - 1 }) : undefined,
    next: p.page < total ? withChanges(state, { page: p.page + 1 }) : undefined,
    lastPage: withChanges(state, { page: Math.max(1, total) }),
    perPage: PER_PAGE_CHOICES.map((n) => ({
      label: String(n),
      href: withChanges(state, { perPage: n, page: firstPageShowing(Math.min(p.page, Math.max(1, total)), p.perPage, n) }),
      current: p.perPage === n,
    })),
    coverage: result.coverage && coverageView(result.coverage, result.total, state, t),
    // Always present (undefined without a panel): the templates read it.
    terms: result.terms ? termsView(result.terms, state, t) : undefined,
    links: resultLinks(state),
  };
}

const NAME_HEADINGS = { person: 'people', place: 'places', organization: 'organizations' } as const;

/** Is a person, place or organization chosen? */
const named = (p: SearchParams) => p.person.length + p.place.length + p.organization.length > 0;

/** The terms panel: each word's link adds it to the query (in the reader's script, as shown). */
function termsView(panel: NonNullable<SearchResult['terms']>, state: UrlState, t: Strings): TermsView {
  const most = Math.max(1, ...panel.terms.map((w) => w.stories));
  return {
    items: panel.terms.map((w) => ({
      label: w.label,
      href: withChanges(state, { q: `${state.q} ${w.label}`.trim() }),
      count: t.termsCount.replace('{n}', w.stories.toLocaleString('en-US')),
      bar: Math.max(1, Math.round((w.stories / most) * 100)),
      detail: t.termsLift.replace('{lift}', String(w.lift)),
    })),
  };
}

/** The page of `perPage` stories that holds the first story shown now: a new page size keeps the reader's place. */
function firstPageShowing(page: number, perPage: number, newPerPage: number): number {
  return Math.floor(((page - 1) * perPage) / newPerPage) + 1;
}

/** Do from/to (either may be open) share a day with calendar year `y`? */
function overlapsYear(p: Pick<SearchParams, 'from' | 'to'>, y: string): boolean {
  if (!p.from && !p.to) return false;
  return (!p.from || p.from <= `${y}-12-31`) && (!p.to || p.to >= `${y}-01-01`);
}

/** A range of days as a reader says it: whole years and months by name, other days as written. */
function dateRangeLabel(p: Pick<SearchParams, 'from' | 'to'>, t: Strings): string {
  const { from, to } = p;
  const wholeYears = from?.endsWith('-01-01') && to?.endsWith('-12-31');
  if (from && to && wholeYears) {
    const [a, b] = [from.slice(0, 4), to.slice(0, 4)];
    return a === b ? `${a}${t.yearSuffix}` : `${a}${t.yearSuffix}–${b}${t.yearSuffix}`;
  }
  const month = selectedMonth(p);
  if (month) return `${month.slice(0, 4)}${t.yearSuffix}${Number(month.slice(5, 7))}${t.monthSuffix}`;
  return `${from ?? '…'} – ${to ?? '…'}`;
}

function dateControls(p: SearchParams, result: SearchResult, state: UrlState): DateControls {
  const undatedCount = result.facets.undated;
  const selected = p.undated === 'only';
  return {
    from: p.from ?? '',
    to: p.to ?? '',
    keep: formState({ ...state, from: null, to: null, undated: null }, true),
    undated:
      undatedCount > 0 || selected
        ? {
            value: 'only',
            label: strings(p.script).undated,
            count: undatedCount,
            selected,
            href: withChanges(state, selected ? { undated: null } : { from: null, to: null, undated: 'only' }),
          }
        : undefined,
  };
}

/**
 * `canonical` (a part of the canonical query) as the reader typed it: the same characters of the
 * typed query when conversion kept its length, else the canonical text in the reader's script.
 */
export function typedForm(q: string, normalized: string, canonical: string, script: SearchParams['script']): string {
  const at = normalized.indexOf(canonical);
  if (script === 'orig' && at >= 0 && normalized.length === q.length) return q.slice(at, at + canonical.length);
  return inScript(canonical, script === 'orig' ? 'hans' : script);
}

function readingOf(p: SearchParams, result: SearchResult, t: Strings, state: UrlState): Reading {
  const { q, normalized } = result.query;
  const shown = (text: string) => typedForm(q, normalized, text, p.script);
  return {
    ...(result.query.tree ? { tree: treeWords(result.query.tree, shown, t) } : {}),
    segmented: result.query.segmented.map((s) => {
      const exact = shown(s.from);
      return { words: s.words.map(shown), exact, exactHref: withChanges(state, { q: `"${exact}"` }) };
    }),
    notes: result.query.notes.map((n) => t[`note_${n.code}`].replace('{text}', n.text ? shown(n.text) : '')),
  };
}

function hitView(h: SearchResult['hits'][number], state: UrlState): HitView {
  const qs = new URLSearchParams({
    ...(state.q ? { q: state.q } : {}),
    ...(state.script !== 'orig' ? { script: state.script } : {}),
  }).toString();
  return {
    href: `/article/${encodeURIComponent(h.id)}${qs ? `?${qs}` : ''}`,
    lang: h.lang,
    titleHtml: h.titleHtml,
    snippetHtml: h.snippetHtml,
    outlet: outletLabel(h.outlet, state.script),
    topics: h.topics.map((x) => topicLabel(x, state.script)),
    publishedAt: h.publishedAt,
    day: publicationDay(h.publishedAt),
    copies: h.copies > 0 ? strings(state.script).copyCount.replace('{n}', String(h.copies)) : undefined,
  };
}

/**
 * Everything of the search but the query and the page: a new query keeps the filters, the sort,
 * the page size and the script, and starts at page 1 (with or without the page's script). With
 * `withQuery`, the query too (the date form, whose own fields are the dates).
 */
function formState(state: UrlState, withQuery = false): FormState {
  return [...new URLSearchParams(searchUrl({ ...state, q: withQuery ? state.q : '', page: 1 }, ''))].map(([name, value]) => ({
    name,
    value,
  }));
}
