// Geometry of the coverage charts, drawn on the server as SVG (views/partials/chart.ejs and
// views/partials/trends-chart.ejs): a bar per month or year on the search page, a line per query
// on the compare page. Each bar is a link that narrows the search to its month or year, each
// shows its exact count on hover or keyboard focus, and every chart comes with a data table.
import type { Bucket, Interval } from '../search/coverage-buckets.js';
import type { Strings } from './strings.js';

export const WIDTH = 720;
const HEIGHT = 190;
const LEFT = 46;
const RIGHT = 10;
const TOP = 24;
const BOTTOM = 22;
const PLOT_W = WIDTH - LEFT - RIGHT;
const PLOT_H = HEIGHT - TOP - BOTTOM;

export interface Tick {
  at: number;
  label: string;
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

/** A round number at or above `max`, and the ticks under it. */
function scale(max: number, format: (v: number) => string = (v) => v.toLocaleString('en-US')): { top: number; ticks: Tick[] } {
  if (max <= 0) return { top: 1, ticks: [{ at: TOP + PLOT_H, label: '0' }] };
  const pow = 10 ** Math.floor(Math.log10(max));
  const top = [1, 2, 2.5, 5, 10].map((m) => m * pow).find((v) => v >= max)!;
  const steps = top === 2.5 * pow ? [0, 0.4, 0.8] : [0, 0.5, 1];
  return { top, ticks: steps.map((f) => ({ at: TOP + PLOT_H - f * PLOT_H, label: format(Number((f * top).toPrecision(3))) })) };
}

/** Year labels under the columns: every year, or every 2nd, 5th or 10th when there are many. */
function yearTicks(buckets: Bucket[], interval: Interval, step: number): Tick[] {
  const starts = buckets.map((b, i) => ({ b, i })).filter(({ b, i }) => interval === 'year' || b.key.endsWith('-01') || i === 0);
  const years = starts.length;
  const every = years <= 12 ? 1 : years <= 24 ? 2 : years <= 60 ? 5 : 10;
  return starts
    .filter(({ b }) => Number(b.key.slice(0, 4)) % every === 0 || years <= 12)
    .map(({ b, i }) => ({ at: LEFT + i * step + (interval === 'year' ? step / 2 : 0), label: b.key.slice(0, 4) }));
}

export function bucketLabel(b: Bucket, interval: Interval, t: Strings): string {
  return interval === 'year' ? `${b.key}${t.yearSuffix}` : `${b.key.slice(0, 4)}${t.yearSuffix}${Number(b.key.slice(5, 7))}${t.monthSuffix}`;
}

function frame(yTicks: Tick[], xTicks: Tick[]): Frame {
  return { width: WIDTH, height: HEIGHT, top: TOP, bottom: TOP + PLOT_H, left: LEFT, right: WIDTH - RIGHT, yTicks, xTicks };
}

/** About how wide `text` is at the tips' 12-unit size: CJK characters are square, others narrower. */
function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]/.test(ch) ? 12 : 7;
  return w;
}

/** Centred over its column where it fits, else against the nearer edge of the plot. */
function tipPlace(centre: number, tip: string): Pick<Column, 'tipX' | 'tipAnchor'> {
  const half = textWidth(tip) / 2;
  if (centre - half < LEFT) return { tipX: LEFT, tipAnchor: 'start' };
  if (centre + half > WIDTH - RIGHT) return { tipX: WIDTH - RIGHT, tipAnchor: 'end' };
  return { tipX: centre, tipAnchor: 'middle' };
}

/** The search page's chart: one bar per bucket; `href` narrows the search to a bucket. */
export function barChart(buckets: Bucket[], interval: Interval, t: Strings, href: (b: Bucket) => string): BarChart {
  const step = PLOT_W / Math.max(1, buckets.length);
  const { top, ticks } = scale(Math.max(0, ...buckets.map((b) => b.count)));
  const gap = step >= 4 ? Math.min(2, step / 5) : 0;
  const columns = buckets.map((b, i): Column => {
    const x = LEFT + i * step;
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
      ...tipPlace(x + step / 2, tip),
      tip,
      href: b.count > 0 ? href(b) : undefined,
    };
  });
  return { ...frame(ticks, yearTicks(buckets, interval, step)), columns };
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
export function lineChart(buckets: Bucket[], interval: Interval, t: Strings, input: Array<{ label: string; counts: number[]; values: number[] }>, share: boolean): LineChart {
  const step = PLOT_W / Math.max(1, buckets.length);
  const format = (v: number) => (share ? `${v}%` : v.toLocaleString('en-US'));
  const { top, ticks } = scale(Math.max(0, ...input.flatMap((s) => s.values)), format);
  const xOf = (i: number) => LEFT + i * step + step / 2;
  const yOf = (v: number) => TOP + PLOT_H - (v / top) * PLOT_H;
  const show = (s: { counts: number[]; values: number[] }, i: number) =>
    share ? `${s.values[i]!.toFixed(2)}%（${s.counts[i]!.toLocaleString('en-US')} ${t.storiesUnit}）` : `${s.counts[i]!.toLocaleString('en-US')} ${t.storiesUnit}`;
  const series = input.map((s, n): Series => ({
    ...s,
    colour: COLOURS[n % COLOURS.length]!,
    dash: DASHES[n % DASHES.length]!,
    points: s.values.map((v, i) => `${xOf(i).toFixed(1)},${yOf(v).toFixed(1)}`).join(' '),
    markers: buckets.length <= 72 ? s.values.map((v, i) => ({ x: xOf(i), y: yOf(v), tip: `${s.label} · ${bucketLabel(buckets[i]!, interval, t)}：${show(s, i)}` })) : [],
  }));
  const columns = buckets.map((b, i) => {
    const lines = [bucketLabel(b, interval, t), ...input.map((s) => `${s.label}：${show(s, i)}`)];
    const right = xOf(i) < LEFT + PLOT_W / 2;
    return {
      key: b.key,
      x: LEFT + i * step,
      w: step,
      tipX: right ? WIDTH - RIGHT - 4 : LEFT + 4,
      tipAnchor: right ? ('end' as const) : ('start' as const),
      tip: `${lines[0]}：${lines.slice(1).join('；')}`,
      lines: lines.map((text, n) => ({ text, y: TOP + 14 + n * 15 })),
    };
  });
  return { ...frame(ticks, yearTicks(buckets, interval, step)), series, columns, share };
}
