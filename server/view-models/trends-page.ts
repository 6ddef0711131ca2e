// View model of the compare page (/trends): up to five queries' stories per month (per year over
// long spans) as lines over the same buckets, as counts or as shares of all stories.
import { coverageOf, MAX_MONTH_BUCKETS, monthBounds, monthIndex, type Interval } from '../search/coverage-buckets.js';
import { inScript } from '../search/display.js';
import { DEFAULT_PER_PAGE, type SearchParams } from '../search/params.js';
import type { MonthCounts } from '../search/timeline.js';
import { bucketLabel, lineChart, type LineChart } from './chart.js';
import type { Strings } from './strings.js';
import { searchUrl } from './url.js';

export interface TrendsModel {
  /** Each query's key: its total, and how many of those are undated and so not in the chart. */
  queries: Array<{ q: string; href: string; total: string; colour: string; dash: string }>;
  chart?: LineChart;
  interval: Interval;
  share: boolean;
  /** The data table's rows: one per bucket, then the undated stories when any query has some. */
  rows: Array<{ label: string; cells: string[] }>;
  columns: string[];
  missing: string[];
}

/** The span every line covers: from/to when given, else the first and last month with stories in any. */
function span(counts: MonthCounts[], filters: SearchParams): Pick<SearchParams, 'from' | 'to'> | undefined {
  const keys = counts.flatMap((c) =>
    Object.entries(c.months)
      .filter(([, n]) => n > 0)
      .map(([k]) => monthIndex(k)),
  );
  if (!keys.length && !(filters.from && filters.to)) return undefined;
  return { from: filters.from ?? monthBounds(Math.min(...keys)).from, to: filters.to ?? monthBounds(Math.max(...keys)).to };
}

/** "43 篇", or "43 篇，其中 1 篇无日期，不在图中": the key's count is what its points add up to, plus the undated. */
function totalLabel(total: number, undated: number, t: Strings): string {
  const fmt = (n: number) => n.toLocaleString('en-US');
  if (undated === 0) return `${fmt(total)} ${t.storiesUnit}`;
  return t.compareUndated.replaceAll('{unit}', t.storiesUnit).replace('{total}', fmt(total)).replace('{undated}', fmt(undated));
}

export function trendsModel(
  queries: SearchParams[],
  counts: MonthCounts[],
  all: MonthCounts | undefined,
  filters: SearchParams,
  t: Strings,
): TrendsModel {
  // The queries in the reader's script, like every label: the key, the chart, the table.
  const shown = (text: string) => (filters.script === 'orig' ? text : inScript(text, filters.script));
  const range = span(counts, filters);
  const months = range ? monthIndex(range.to!.slice(0, 7)) - monthIndex(range.from!.slice(0, 7)) + 1 : 0;
  const interval: Interval = months > MAX_MONTH_BUCKETS ? 'year' : 'month';
  const coverages = counts.map((c) => coverageOf(c.months, c.total, range ?? filters, interval));
  const base = all ? coverageOf(all.months, all.total, range ?? filters, interval) : undefined;
  const buckets = coverages[0]?.buckets ?? [];
  const share = base !== undefined;
  const pct = (n: number, d: number) => (d > 0 ? Math.round((10000 * n) / d) / 100 : 0);
  const input = queries.map((q, i) => {
    const c = coverages[i]!.buckets.map((b) => b.count);
    return { label: shown(q.q), counts: c, values: share ? c.map((n, j) => pct(n, base!.buckets[j]!.count)) : c };
  });
  const chart = buckets.length && input.length ? lineChart(buckets, interval, t, input, share) : undefined;
  const fmt = (n: number) => n.toLocaleString('en-US');
  return {
    queries: queries.map((q, i) => ({
      q: shown(q.q),
      href: searchUrl({ ...q, sort: null, page: 1, perPage: DEFAULT_PER_PAGE }),
      total: totalLabel(counts[i]!.total, coverages[i]!.undated, t),
      colour: chart?.series[i]?.colour ?? '#000',
      dash: chart?.series[i]?.dash ?? '',
    })),
    chart,
    interval,
    share,
    columns: [...queries.map((q) => shown(q.q)), ...(base ? [t.compareAll] : [])],
    rows: [
      ...buckets.map((b, j) => ({
        label: bucketLabel(b, interval, t),
        cells: [
          ...input.map((s) => (share ? `${fmt(s.counts[j]!)}（${s.values[j]!.toFixed(2)}%）` : fmt(s.counts[j]!))),
          ...(base ? [fmt(base.buckets[j]!.count)] : []),
        ],
      })),
      // The undated stories, not in the chart: each column then adds up to its query's total.
      ...(coverages.some((c) => c.undated > 0)
        ? [
            {
              label: t.undated,
              cells: [
                ...coverages.map((c) => (share ? `${fmt(c.undated)}（${pct(c.undated, base!.undated).toFixed(2)}%）` : fmt(c.undated))),
                ...(base ? [fmt(base.undated)] : []),
              ],
            },
          ]
        : []),
    ],
    missing: [...new Set([...counts, ...(all ? [all] : [])].flatMap((c) => c.missing.map((m) => m.instance)))],
  };
}
