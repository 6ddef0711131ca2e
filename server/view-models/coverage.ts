// The search page's coverage chart: the bar chart's geometry, its title and summary in the
// reader's script, and the rows of its data table.
import type { Coverage } from '../search/coverage-buckets.js';
import { barChart, bucketLabel, type BarChart } from './chart.js';
import type { Strings } from './strings.js';
import { withChanges, type UrlState } from './url.js';

export interface CoverageView {
  id: string;
  title: string;
  summary: string;
  hint: string;
  undated?: string;
  chart: BarChart;
  rows: Array<{ label: string; count: string; href?: string }>;
}

/** Undefined when nothing is dated: a chart of nothing says nothing. */
export function coverageView(coverage: Coverage, total: number, state: UrlState, t: Strings): CoverageView | undefined {
  const { buckets, interval } = coverage;
  if (buckets.length === 0 || buckets.every((b) => b.count === 0)) return undefined;
  // Narrowing keeps the query, filters, sort and script, and starts at page 1.
  const href = (b: { from: string; to: string }) => withChanges(state, { from: b.from, to: b.to });
  const peak = buckets.reduce((a, b) => (b.count > a.count ? b : a));
  const fmt = (n: number) => n.toLocaleString('en-US');
  return {
    id: 'coverage',
    title: interval === 'year' ? t.coveragePerYear : t.coveragePerMonth,
    summary: t.coverageSummary
      .replace('{first}', bucketLabel(buckets[0]!, interval, t))
      .replace('{last}', bucketLabel(buckets[buckets.length - 1]!, interval, t))
      .replace('{total}', fmt(total - coverage.undated))
      .replace('{peak}', bucketLabel(peak, interval, t))
      .replace('{peakCount}', fmt(peak.count)),
    hint: t.coverageHint,
    undated: coverage.undated > 0 ? t.coverageUndated.replace('{n}', fmt(coverage.undated)) : undefined,
    chart: barChart(buckets, interval, t, href),
    rows: buckets.map((b) => ({ label: bucketLabel(b, interval, t), count: fmt(b.count), href: b.count > 0 ? href(b) : undefined })),
  };
}
