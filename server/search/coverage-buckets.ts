// Coverage over time: how many of a search's stories were published in each month or year,
// from Meilisearch's facet counts of `month` (exact, and folded over copies like every count),
// so the buckets and the undated stories add up to the search's total.
import type { Bucket, Coverage, Interval } from '../api/responses.js';
import type { SearchParams } from './params.js';

export type { Bucket, Coverage, Interval } from '../api/responses.js';

/** Past this many months a chart counts years. */
export const MAX_MONTH_BUCKETS = 72;

/** Days in a month; Date.UTC alone would read years 0-99 as 1900-1999. */
const lastDay = (year: number, month: number) => {
  const d = new Date(0);
  d.setUTCFullYear(year, month, 0);
  return d.getUTCDate();
};
const pad = (n: number) => String(n).padStart(2, '0');
/** Years as four digits, as in the from/to parameters (0999, not 999). */
const year4 = (y: number) => String(y).padStart(4, '0');

/** `YYYY-MM` as a count of months, so that spans are subtractions. */
export function monthIndex(ym: string): number {
  return Number(ym.slice(0, 4)) * 12 + Number(ym.slice(5, 7)) - 1;
}

/** A month (by monthIndex) as a bucket key and its first and last calendar day. */
export function monthBounds(index: number): Pick<Bucket, 'key' | 'from' | 'to'> {
  const [y, m] = [Math.floor(index / 12), (index % 12) + 1];
  const key = `${year4(y)}-${pad(m)}`;
  return { key, from: `${key}-01`, to: `${key}-${pad(lastDay(y, m))}` };
}

/**
 * Buckets from month counts. The span runs from `range.from`/`range.to` when given, else from
 * the first to the last month with stories. `interval` undefined: months, or years when the
 * span is longer than MAX_MONTH_BUCKETS months.
 */
export function coverageOf(
  months: Record<string, number> | undefined,
  total: number,
  range: Pick<SearchParams, 'from' | 'to'>,
  interval?: Interval,
): Coverage {
  const counts = Object.entries(months ?? {}).filter(([k, n]) => /^\d{4}-\d{2}$/.test(k) && n > 0);
  const dated = counts.reduce((a, [, n]) => a + n, 0);
  const undated = Math.max(0, total - dated);
  const keys = counts.map(([k]) => monthIndex(k));
  const first = range.from ? monthIndex(range.from.slice(0, 7)) : Math.min(...keys);
  const last = range.to ? monthIndex(range.to.slice(0, 7)) : Math.max(...keys);
  if (!Number.isFinite(first) || !Number.isFinite(last) || last < first) return { interval: interval ?? 'month', buckets: [], undated };
  const chosen: Interval = interval ?? (last - first + 1 > MAX_MONTH_BUCKETS ? 'year' : 'month');
  const byMonth = new Map(counts.map(([k, n]) => [monthIndex(k), n]));
  const buckets: Bucket[] = [];
  if (chosen === 'month') {
    for (let i = first; i <= last; i++) buckets.push({ ...monthBounds(i), count: byMonth.get(i) ?? 0 });
  } else {
    for (let y = Math.floor(first / 12); y <= Math.floor(last / 12); y++) {
      let count = 0;
      for (let m = 0; m < 12; m++) count += byMonth.get(y * 12 + m) ?? 0;
      buckets.push({ key: year4(y), from: `${year4(y)}-01-01`, to: `${year4(y)}-12-31`, count });
    }
  }
  return { interval: chosen, buckets, undated };
}
