// Geometry of the coverage charts, drawn on the server as SVG (views/partials/chart.ejs and
// views/partials/trends-chart.ejs): a bar per month or year on the search page, a line per query
// on the compare page. Each bar is a link that narrows the search to its month or year, each
// shows its exact count on hover or keyboard focus, and every chart comes with a data table.
import type { Bucket, Interval } from '../search/coverage-buckets.js';
import type { Strings } from './strings.js';

export const WIDTH = 720;
const HEIGHT = 190;
/** The narrowest left margin; wider when the value labels need it (leftFor). */
const LEFT = 46;
const RIGHT = 10;
const TOP = 24;
const BOTTOM = 22;
const PLOT_H = HEIGHT - TOP - BOTTOM;

export interface Tick {
  at: number;
  label: string;
  /** SVG text-anchor of a time label (value labels end at the axis). */
  anchor?: 'start' | 'middle';
}

export interface Column {
  key: string;
  /** Left edge and width of the column (the whole height is the bar's target). */
  x: number;
  w: number;
  /** The visible bar. */
  barX: number;
  barW: number;
  barY: number;
  barH: number;
  /** Where the exact count is written when the column has focus or the pointer. */
  tipX: number;
  tipAnchor: 'start' | 'middle' | 'end';
  tip: string;
  href?: string;
}

export interface Frame {
  width: number;
  height: number;
  top: number;
  bottom: number;
  left: number;
  right: number;
  yTicks: Tick[];
  xTicks: Tick[];
}

export interface BarChart extends Frame {
  columns: Column[];
}

/** At most this many intervals between the value ticks: a plot 144 units high reads well with five lines. */
const MAX_INTERVALS = 4;

/**
 * The value axis: a round step (1, 2, 2.5 or 5 times a power of ten; a whole number for counts,
 * which a reader cannot have 2.5 of) and the top at the first step at or above `max`.
 */
function scale(
  max: number,
  whole: boolean,
  format: (v: number) => string = (v) => v.toLocaleString('en-US'),
): { top: number; ticks: Tick[] } {
  if (max <= 0) return { top: 1, ticks: [{ at: TOP + PLOT_H, label: '0' }] };
  for (let exponent = Math.floor(Math.log10(max / MAX_INTERVALS)); ; exponent++) {
    for (const m of [1, 2, 2.5, 5]) {
      const step = m * 10 ** exponent;
      if (whole && !Number.isInteger(step)) continue;
      const intervals = Math.ceil(max / step);
      if (intervals > MAX_INTERVALS) continue;
      const top = intervals * step;
      // toPrecision(12): 3 × 0.1 is 0.30000000000000004 in binary.
      const ticks = Array.from({ length: intervals + 1 }, (_, i) => ({
        at: TOP + PLOT_H - (i / intervals) * PLOT_H,
        label: format(Number((i * step).toPrecision(12))),
      }));
      return { top, ticks };
    }
  }
}

/**
 * Room one year label takes on the time axis, in chart units: four digits of about 0.6 em and a
 * quarter-em gap, at the axis text's largest size (20, the phone rule of `.chart text` in
 * views/assets/style.css; the desktop size is 11).
 */
const AXIS_FONT = 20;
const YEAR_LABEL_WIDTH = 4 * 0.6 * AXIS_FONT;
const YEAR_LABEL_ROOM = YEAR_LABEL_WIDTH + 0.25 * AXIS_FONT;

/**
 * Year labels under the columns, never overlapping one another, the value labels or the chart's
 * edge: every year, or every 2nd, 5th, 10th… when a year is narrower than a label. By month, a
 * label starts at its January (and at the first column, when that is not a January and leaves
 * room); by year, it is centred on its column.
 */
function yearTicks(buckets: Bucket[], interval: Interval, step: number, left: number): Tick[] {
  const perYear = interval === 'year' ? step : 12 * step;
  const every = [1, 2, 5, 10, 20, 50, 100].find((n) => n * perYear >= YEAR_LABEL_ROOM) ?? 100;
  const candidates = buckets.flatMap((b, i): Array<Tick & { first: boolean }> => {
    const year = Number(b.key.slice(0, 4));
    const january = interval === 'year' || b.key.endsWith('-01');
    if (!(january && year % every === 0) && i !== 0) return [];
    const at = left + i * step + (interval === 'year' ? step / 2 : 0);
    return [{ at, label: b.key.slice(0, 4), anchor: interval === 'year' ? 'middle' : 'start', first: !(january && year % every === 0) }];
  });
  const extent = (t: Tick) =>
    (t.anchor === 'middle' ? [t.at - YEAR_LABEL_WIDTH / 2, t.at + YEAR_LABEL_WIDTH / 2] : [t.at, t.at + YEAR_LABEL_WIDTH]) as [
      number,
      number,
    ];
  const kept: Tick[] = [];
  for (const [n, t] of candidates.entries()) {
    const [from, to] = extent(t);
    if (from < left - 1 || to > WIDTH) continue;
    // The first column's year yields to the next label when they would touch.
    const next = candidates[n + 1];
    if (t.first && next && extent(next)[0] - from < YEAR_LABEL_ROOM) continue;
    const { first: _first, ...tick } = t;
    kept.push(tick);
  }
  return kept;
}

export function bucketLabel(b: Bucket, interval: Interval, t: Strings): string {
  return interval === 'year'
    ? `${b.key}${t.yearSuffix}`
    : `${b.key.slice(0, 4)}${t.yearSuffix}${Number(b.key.slice(5, 7))}${t.monthSuffix}`;
}

/**
 * The left margin: room for the widest value label (written at AXIS_FONT, ending 6 units left of
 * the plot) and a little more: "1,000" or "100%" at the phone's size is wider than LEFT.
 */
function leftFor(yTicks: Tick[]): number {
  const width = (label: string) => [...label].reduce((w, ch) => w + (/\d/.test(ch) ? 0.6 : ch === '%' ? 0.9 : 0.3) * AXIS_FONT, 0);
  return Math.max(LEFT, Math.ceil(Math.max(0, ...yTicks.map((t) => width(t.label))) + 8));
}

function frame(yTicks: Tick[], xTicks: Tick[], left: number): Frame {
  return { width: WIDTH, height: HEIGHT, top: TOP, bottom: TOP + PLOT_H, left, right: WIDTH - RIGHT, yTicks, xTicks };
}

/** About how wide `text` is at the tips' 12-unit size: CJK characters are square, others narrower. */
function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]/.test(ch) ? 12 : 7;
  return w;
}

/** Centred over its column where it fits, else against the nearer edge of the plot. */
function tipPlace(centre: number, tip: string, left: number): Pick<Column, 'tipX' | 'tipAnchor'> {
  const half = textWidth(tip) / 2;
  if (centre - half < left) return { tipX: left, tipAnchor: 'start' };
  if (centre + half > WIDTH - RIGHT) return { tipX: WIDTH - RIGHT, tipAnchor: 'end' };
  return { tipX: centre, tipAnchor: 'middle' };
}

/** The search page's chart: one bar per bucket; `href` narrows the search to a bucket. */
export function barChart(buckets: Bucket[], interval: Interval, t: Strings, href: (b: Bucket) => string): BarChart {
  const { top, ticks } = scale(Math.max(0, ...buckets.map((b) => b.count)), true);
  const left = leftFor(ticks);
  const step = (WIDTH - RIGHT - left) / Math.max(1, buckets.length);
  const gap = step >= 4 ? Math.min(2, step / 5) : 0;
  const columns = buckets.map((b, i): Column => {
    const x = left + i * step;
    const barH = (b.count / top) * PLOT_H;
    const tip = `${bucketLabel(b, interval, t)}：${b.count.toLocaleString('en-US')} ${t.storiesUnit}`;
    return {
      key: b.key,
      x,
      w: step,
      barX: x + gap / 2,
      barW: Math.max(0.5, step - gap),
      barY: TOP + PLOT_H - barH,
      barH,
      ...tipPlace(x + step / 2, tip, left),
      tip,
      href: b.count > 0 ? href(b) : undefined,
    };
  });
  return { ...frame(ticks, yearTicks(buckets, interval, step, left), left), columns };
}

export interface Series {
  label: string;
  /** One value per bucket: a count, or a share in percent. */
  values: number[];
  counts: number[];
  colour: string;
  dash: string;
  points: string;
  markers: Array<{ x: number; y: number; tip: string }>;
}

export interface LineChart extends Frame {
  series: Series[];
  /**
   * One focusable column per bucket. Its tip lists every series, a line each, in the half of the
   * plot away from the column (a tip of five queries is wider than a column's neighbourhood).
   */
  columns: Array<Pick<Column, 'key' | 'x' | 'w' | 'tipX' | 'tipAnchor' | 'tip'> & { lines: Array<{ text: string; y: number }> }>;
  share: boolean;
}

/** Okabe–Ito colours, told apart by colour-blind readers too, and a dash pattern each. */
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00'];
const DASHES = ['', '6 3', '2 3', '8 3 2 3', '1 2'];

/** The compare page's chart: one line per query over the same buckets. */
export function lineChart(
  buckets: Bucket[],
  interval: Interval,
  t: Strings,
  input: Array<{ label: string; counts: number[]; values: number[] }>,
  share: boolean,
): LineChart {
  const format = (v: number) => (share ? `${v}%` : v.toLocaleString('en-US'));
  const { top, ticks } = scale(Math.max(0, ...input.flatMap((s) => s.values)), !share, format);
  const left = leftFor(ticks);
  const plotW = WIDTH - RIGHT - left;
  const step = plotW / Math.max(1, buckets.length);
  const xOf = (i: number) => left + i * step + step / 2;
  const yOf = (v: number) => TOP + PLOT_H - (v / top) * PLOT_H;
  const show = (s: { counts: number[]; values: number[] }, i: number) =>
    share
      ? `${s.values[i]!.toFixed(2)}%（${s.counts[i]!.toLocaleString('en-US')} ${t.storiesUnit}）`
      : `${s.counts[i]!.toLocaleString('en-US')} ${t.storiesUnit}`;
  const series = input.map(
    (s, n): Series => ({
      ...s,
      colour: COLOURS[n % COLOURS.length]!,
      dash: DASHES[n % DASHES.length]!,
      points: s.values.map((v, i) => `${xOf(i).toFixed(1)},${yOf(v).toFixed(1)}`).join(' '),
      markers:
        buckets.length <= 72
          ? s.values.map((v, i) => ({ x: xOf(i), y: yOf(v), tip: `${s.label} · ${bucketLabel(buckets[i]!, interval, t)}：${show(s, i)}` }))
          : [],
    }),
  );
  const columns = buckets.map((b, i) => {
    const lines = [bucketLabel(b, interval, t), ...input.map((s) => `${s.label}：${show(s, i)}`)];
    const right = xOf(i) < left + plotW / 2;
    return {
      key: b.key,
      x: left + i * step,
      w: step,
      tipX: right ? WIDTH - RIGHT - 4 : left + 4,
      tipAnchor: right ? ('end' as const) : ('start' as const),
      tip: `${lines[0]}：${lines.slice(1).join('；')}`,
      lines: lines.map((text, n) => ({ text, y: TOP + 14 + n * 15 })),
    };
  });
  return { ...frame(ticks, yearTicks(buckets, interval, step, left), left), series, columns, share };
}
