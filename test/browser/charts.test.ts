// The coverage chart on the search page and the compare page (/trends) in a real browser (Debian's
// Chromium through playwright-core) against the server with the fixture corpus loaded: bars as
// keyboard-reachable links with their exact counts on focus and hover, the chart without
// JavaScript, the chart following live results, the data tables, the export/feed/compare links.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { type BrowserApp, DESKTOP, startBrowserApp } from '../helpers/browser.js';

const HK = '香港';
const COMPARED = ['香港', '台湾', '北京'];

let base: string;
let browser: Browser;
let started: BrowserApp | undefined;

before(async () => {
  started = await startBrowserApp();
  ({ base, browser } = started);
});
after(async () => started?.close());

/** A page in a context of its own; script errors on the page are collected and checked by `done`. */
async function newPage(javaScriptEnabled = true): Promise<Page & { errors: string[] }> {
  const context = await browser.newContext({ viewport: DESKTOP, javaScriptEnabled });
  const page = Object.assign(await context.newPage(), { errors: [] as string[] });
  page.on('pageerror', (err) => page.errors.push(err.message));
  return page;
}
async function done(page: Page & { errors: string[] }): Promise<void> {
  await page.context().close();
  assert.deepEqual(page.errors, [], 'no script errors on the page');
}

interface Bucket {
  key: string;
  from: string;
  to: string;
  count: number;
}
interface Timeline {
  interval: 'month' | 'year';
  buckets: Bucket[];
  total: number;
  undated: number;
}

/** GET /api/timeline for a query: the independent truth the charts are checked against. */
async function timeline(q: string): Promise<Timeline> {
  const res = await fetch(`${base}/api/timeline?${new URLSearchParams({ q })}`);
  assert.equal(res.status, 200);
  const t = (await res.json()) as Timeline;
  assert.equal(t.interval, 'month', `the fixture corpus charts ${q} by month`);
  return t;
}
const withStories = (t: Timeline) => t.buckets.filter((b) => b.count > 0);
/** A month as the chart (simplified script, the default for this corpus) names it. */
const monthLabel = (key: string) => `${key.slice(0, 4)}年${Number(key.slice(5, 7))}月`;
const barLabel = (b: Bucket) => `${monthLabel(b.key)}：${b.count.toLocaleString('en-US')} 篇`;
const searchHref = (q: string) => `/?${new URLSearchParams({ q })}`;

const chart = (page: Page) => page.locator('#coverage-slot svg.chart');
const barOf = (page: Page, b: Bucket) => chart(page).locator(`a.bar[aria-label="${barLabel(b)}"]`);
const summaryTotal = async (page: Page) => Number((await page.locator('#summary strong').textContent())!.replace(/,/g, ''));

/** Is the element displayed: Playwright's visibility plus the computed style CSS toggles. */
async function shown(el: Locator): Promise<boolean> {
  const display = await el.evaluate((e) => getComputedStyle(e).display);
  return display !== 'none' && (await el.isVisible());
}

/** Presses Tab until the focused element matches `selector`; fails after `max` presses. */
async function tabTo(page: Page, selector: string, max = 150): Promise<number> {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return i;
  }
  return assert.fail(`no ${selector} reached in ${max} presses of Tab`);
}
const focusedLabel = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);

/** A compare tip's lines (one tspan each), and the same read from its one-line label. */
const tipLines = async (tip: Locator) => (await tip.locator('tspan').allTextContents()).map((l) => l.trim());
const asLines = (label: string) => [label.slice(0, label.indexOf('：')), ...label.slice(label.indexOf('：') + 1).split('；')];

describe('coverage chart on the search page', () => {
  it('draws a bar per month with stories; Tab reaches a bar, focus and hover show exact counts, Enter narrows the search', async () => {
    const t = await timeline(HK);
    const months = withStories(t);
    assert.ok(months.length > 2);
    const page = await newPage();
    await page.goto(`${base}${searchHref(HK)}`);

    // The SVG is a group named by the figure's heading.
    const heading = page.locator('figure.coverage h2');
    const title = (await heading.textContent())!.trim();
    assert.equal(title, '每月报道数');
    assert.equal(await chart(page).getAttribute('role'), 'group');
    assert.equal(await chart(page).getAttribute('aria-labelledby'), await heading.getAttribute('id'));
    assert.equal(await page.getByRole('group', { name: title }).count(), 1, 'the chart is a group named by its heading');
    // One link per month with stories, in order, each labelled with its exact count.
    assert.deepEqual(
      await chart(page)
        .locator('a.bar')
        .evaluateAll((as) => as.map((a) => a.getAttribute('aria-label'))),
      months.map(barLabel),
    );
    assert.equal(
      await chart(page).locator('g.bar.empty').count(),
      t.buckets.length - months.length,
      'empty months are drawn but are not links',
    );
    for (const tip of await chart(page).locator('text.tip').all())
      assert.equal(await shown(tip), false, 'no tip shows before focus or hover');

    // Keyboard: from the search box, Tab reaches the first bar; its tip shows its exact count.
    await page.locator('#q').focus();
    await tabTo(page, 'a.bar');
    assert.equal(await focusedLabel(page), barLabel(months[0]!));
    const firstTip = barOf(page, months[0]!).locator('text.tip');
    assert.equal(await shown(firstTip), true, 'the focused bar shows its tip');
    assert.equal((await firstTip.textContent())!.trim(), barLabel(months[0]!));
    // The chart is one Tab stop: the right arrow moves on to the next month with stories (empty months are skipped).
    await page.keyboard.press('ArrowRight');
    assert.equal(await focusedLabel(page), barLabel(months[1]!));
    assert.equal(await shown(firstTip), false, 'the tip goes with the focus');

    // Pointer: hovering the busiest month shows its tip.
    const peak = months.reduce((a, b) => (b.count > a.count ? b : a));
    assert.ok(peak.key !== months[0]!.key && peak.key !== months[1]!.key);
    const peakBar = barOf(page, peak);
    await peakBar.hover();
    await peakBar.locator('text.tip').waitFor({ state: 'visible' });
    assert.equal((await peakBar.locator('text.tip').textContent())!.trim(), barLabel(peak));

    // Enter on a focused bar: the search narrowed to that month, showing exactly its count.
    const target = months.find((b) => b.count >= 2 && b.key !== peak.key) ?? peak;
    const bar = barOf(page, target);
    await bar.focus();
    assert.equal(await focusedLabel(page), barLabel(target));
    assert.equal(await shown(bar.locator('text.tip')), true);
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.searchParams.get('from') === target.from);
    const url = new URL(page.url());
    assert.equal(url.pathname, '/');
    assert.equal(url.searchParams.get('q'), HK);
    assert.equal(url.searchParams.get('from'), `${target.key}-01`);
    assert.equal(url.searchParams.get('to'), target.to);
    assert.equal(await summaryTotal(page), target.count);
    for (const d of await page.locator('.hit time').allTextContents()) assert.equal(d.slice(0, 7), target.key);
    // The narrowed search's chart is that one month.
    assert.deepEqual(
      await chart(page)
        .locator('a.bar')
        .evaluateAll((as) => as.map((a) => a.getAttribute('aria-label'))),
      [barLabel(target)],
    );
    await done(page);
  });

  it('works without JavaScript: bars are links, the data table opens, export, feed and compare links are there', async () => {
    const t = await timeline(HK);
    const months = withStories(t);
    const page = await newPage(false);
    await page.goto(`${base}${searchHref(HK)}`);
    assert.equal(await chart(page).locator('a.bar').count(), months.length);

    // Clicking a bar is plain navigation to the narrowed search.
    const target = months.find((b) => b.count >= 2)!;
    await barOf(page, target).click();
    await page.waitForURL((u) => u.searchParams.get('from') === target.from && u.searchParams.get('to') === target.to);
    assert.equal(new URL(page.url()).searchParams.get('q'), HK);
    assert.equal(await summaryTotal(page), target.count);

    // The data table: closed at first, every month of the span (empty ones too) once opened.
    await page.goto(`${base}${searchHref(HK)}`);
    const details = page.locator('#coverage-slot details.chart-data');
    assert.equal(await details.getAttribute('open'), null);
    assert.equal(await details.locator('table').isVisible(), false);
    await details.locator('summary').click();
    await details.locator('table').waitFor({ state: 'visible' });
    const rows = await details
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')!.textContent!.trim(), tr.querySelector('td')!.textContent!.trim()]));
    assert.deepEqual(
      rows,
      t.buckets.map((b) => [monthLabel(b.key), b.count.toLocaleString('en-US')]),
    );
    assert.equal(await details.locator('tbody th a').count(), months.length, 'months with stories link to their search');

    // Export, feed and compare keep the query.
    const q = new URLSearchParams({ q: HK }).toString();
    const tools = page.locator('p.tools a');
    assert.deepEqual(await tools.evaluateAll((as) => as.map((a) => a.getAttribute('href'))), [
      `/api/export?format=csv&${q}`,
      `/api/export?format=jsonl&${q}`,
      `/feed.xml?${q}`,
      `/trends?${q}`,
    ]);
    assert.equal(await page.locator('head link[rel="alternate"][type="application/atom+xml"]').getAttribute('href'), `/feed.xml?${q}`);

    const request = page.context().request;
    const csv = await request.get(`${base}/api/export?format=csv&${q}`);
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()['content-type'] ?? '', /^text\/csv/);
    const body = await csv.body();
    assert.deepEqual([...body.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the CSV starts with the UTF-8 BOM');
    const lines = body
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    assert.ok(lines.length > 1, 'a header and rows');
    const jsonl = await request.get(`${base}/api/export?format=jsonl&${q}`);
    assert.equal(jsonl.status(), 200);
    assert.equal((await jsonl.text()).trim().split('\n').length, t.total, 'JSON Lines: one line per story');
    const feed = await request.get(`${base}/feed.xml?${q}`);
    assert.equal(feed.status(), 200);
    assert.match(feed.headers()['content-type'] ?? '', /^application\/atom\+xml/);
    assert.match(await feed.text(), /<feed[\s>]/);

    // The compare link opens the compare page with this query.
    await page.locator('p.tools a', { hasText: '比较' }).click();
    await page.waitForURL(/\/trends\?/);
    assert.deepEqual(await page.locator('.legend a').allTextContents(), [HK]);
    assert.equal(await page.locator('svg.chart .series polyline').count(), 1);
    await done(page);
  });

  it('follows live results: typing a new query replaces the chart and the links', async () => {
    const next = '台湾';
    const t = await timeline(next);
    const expected = withStories(t).map(barLabel);
    assert.notDeepEqual(expected, withStories(await timeline(HK)).map(barLabel), 'the two queries chart differently');
    const page = await newPage();
    await page.goto(`${base}${searchHref(HK)}`);
    await page.fill('#q', next);
    await page.waitForURL((u) => u.searchParams.get('q') === next);
    await page.waitForFunction(
      (labels) =>
        JSON.stringify([...document.querySelectorAll('#coverage-slot a.bar')].map((a) => a.getAttribute('aria-label'))) ===
        JSON.stringify(labels),
      expected,
    );
    const dated = (t.total - t.undated).toLocaleString('en-US');
    assert.match((await page.locator('#coverage-slot p.summary-line').textContent())!, new RegExp(`共 ${dated} 篇`));
    assert.equal(await summaryTotal(page), t.total);
    const q = new URLSearchParams({ q: next }).toString();
    assert.deepEqual(await page.locator('p.tools a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))), [
      `/api/export?format=csv&${q}`,
      `/api/export?format=jsonl&${q}`,
      `/feed.xml?${q}`,
      `/trends?${q}`,
    ]);
    // The new chart is as usable as the first: focus shows the exact count.
    const first = withStories(t)[0]!;
    await barOf(page, first).focus();
    assert.equal(await shown(barOf(page, first).locator('text.tip')), true);
    await done(page);
  });

  it('passes basic accessibility checks: visible heading, labelled bars, a visible focus ring', async () => {
    const page = await newPage();
    await page.goto(`${base}${searchHref(HK)}`);
    const figure = page.locator('figure.coverage');
    const heading = figure.locator('figcaption h2');
    assert.equal(await heading.isVisible(), true);
    assert.ok((await heading.textContent())!.trim().length > 0);
    assert.equal(
      await page.getByRole('figure', { name: (await heading.textContent())!.trim() }).count(),
      1,
      'the figure is named by its heading',
    );
    assert.equal(await figure.locator('p.summary-line').isVisible(), true);
    const labels = await chart(page)
      .locator('a.bar')
      .evaluateAll((as) => as.map((a) => a.getAttribute('aria-label') ?? ''));
    assert.ok(labels.length > 0);
    for (const l of labels) assert.match(l, /^\d{4}年\d{1,2}月：[\d,]+ 篇$/, `bar label ${JSON.stringify(l)}`);
    assert.ok((await figure.locator('details.chart-data caption').textContent())!.trim().length > 0, 'the data table has a caption');

    const bar = chart(page).locator('a.bar').first();
    const ring = () =>
      bar.locator('rect.hit').evaluate((r) => ({ stroke: getComputedStyle(r).stroke, width: parseFloat(getComputedStyle(r).strokeWidth) }));
    assert.equal((await ring()).stroke, 'none', 'no ring before focus');
    await bar.focus();
    const focused = await ring();
    assert.notEqual(focused.stroke, 'none', 'the focused bar has a ring');
    assert.ok(focused.width >= 1, `focus ring width ${focused.width}`);
    await done(page);
  });
});

describe('compare page', () => {
  const comparePath = `/trends?${COMPARED.map((q) => `q=${encodeURIComponent(q)}`).join('&')}`;

  /** What the first column's tip must read, from /api/timeline of each query. */
  async function firstColumnTip(): Promise<string> {
    const lines = await Promise.all(COMPARED.map(timeline));
    const idx = (k: string) => Number(k.slice(0, 4)) * 12 + Number(k.slice(5, 7)) - 1;
    const keys = lines.flatMap((t) => withStories(t).map((b) => b.key)).sort();
    const span = idx(keys[keys.length - 1]!) - idx(keys[0]!) + 1;
    const byYear = span > 72;
    const key = byYear ? keys[0]!.slice(0, 4) : keys[0]!;
    const n = (t: Timeline) => t.buckets.filter((b) => b.key.startsWith(key)).reduce((a, b) => a + b.count, 0);
    return `${byYear ? `${key}年` : monthLabel(key)}：${COMPARED.map((q, i) => `${q}：${n(lines[i]!)} 篇`).join('；')}`;
  }

  it('draws a line per query with a legend linking to each search; Tab reaches a month whose tip lists every query', async () => {
    const page = await newPage();
    await page.goto(`${base}${comparePath}`);
    const lines = page.locator('svg.chart .series polyline');
    assert.equal(await lines.count(), 3);
    const strokes = await lines.evaluateAll((ps) => ps.map((p) => p.getAttribute('stroke')));
    assert.equal(new Set(strokes).size, 3, 'each line its own colour');
    const columns = page.locator('svg.chart g.column');
    const n = await columns.count();
    assert.ok(n > 1);
    for (const points of await lines.evaluateAll((ps) => ps.map((p) => p.getAttribute('points')!)))
      assert.equal(points.trim().split(/\s+/).length, n, 'a point per column');

    const legend = page.locator('.legend a');
    assert.deepEqual(await legend.allTextContents(), COMPARED);
    assert.deepEqual(await legend.evaluateAll((as) => as.map((a) => a.getAttribute('href'))), COMPARED.map(searchHref));

    // Keyboard: from the form, Tab goes through the legend to the first column.
    await page.locator('form.compare-form button[type="submit"]').focus();
    await tabTo(page, 'g.column', 20);
    const expected = await firstColumnTip();
    assert.equal(await focusedLabel(page), expected);
    const tip = columns.first().locator('text.tip');
    assert.equal(await shown(tip), true, 'the focused column shows its tip');
    assert.deepEqual(await tipLines(tip), asLines(expected), 'the tip: the period, then a line per query');
    for (const q of COMPARED) assert.ok(expected.includes(q));
    // The tip agrees with the first row of the data table.
    const firstRow = await page
      .locator('details.chart-data tbody tr')
      .first()
      .evaluate((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent!.trim()));
    assert.equal(expected, `${firstRow[0]}：${COMPARED.map((q, i) => `${q}：${firstRow[i + 1]} 篇`).join('；')}`);

    // Pointer: hovering the last column shows its tip.
    const last = columns.last();
    await last.hover();
    await last.locator('text.tip').waitFor({ state: 'visible' });
    assert.deepEqual(await tipLines(last.locator('text.tip')), asLines((await last.getAttribute('aria-label'))!));
    const ring = await columns
      .first()
      .locator('rect.hit')
      .evaluate((r) => getComputedStyle(r).stroke);
    assert.notEqual(ring, 'none', 'the focused column has a ring');

    // A legend entry leads to that query's search, with the total the legend gives.
    const entry = page.locator('.legend li', { hasText: COMPARED[1]! });
    const total = Number(/（([\d,]+) 篇/.exec((await entry.textContent())!)![1]!.replace(/,/g, ''));
    await entry.locator('a').click();
    await page.waitForURL((u) => u.pathname === '/' && u.searchParams.get('q') === COMPARED[1]);
    assert.equal(await summaryTotal(page), total);
    await done(page);
  });

  it('shows shares with the box ticked (no JavaScript) and refuses more than five queries', async () => {
    const page = await newPage(false);
    await page.goto(`${base}${comparePath}`);
    assert.equal(await page.locator('details.chart-data tbody td', { hasText: '%' }).count(), 0, 'counts, not shares, at first');
    await page.locator('input[name="share"]').check();
    await page.locator('form.compare-form button[type="submit"]').click();
    await page.waitForURL((u) => u.searchParams.get('share') === '1');
    const url = new URL(page.url());
    assert.deepEqual(url.searchParams.getAll('q').filter(Boolean), COMPARED);
    assert.equal(await page.locator('input[name="share"]').isChecked(), true);
    assert.equal(await page.locator('svg.chart .series polyline').count(), 3);
    const head = await page.locator('details.chart-data thead th').allTextContents();
    assert.deepEqual(head.slice(1), [...COMPARED, '全部报道']);
    const cells = await page
      .locator('details.chart-data tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())));
    assert.ok(cells.length > 0);
    for (const row of cells) {
      assert.equal(row.length, 4);
      for (const c of row.slice(0, 3)) assert.match(c, /^[\d,]+（\d+\.\d{2}%）$/);
      assert.match(row[3]!, /^[\d,]+$/);
    }
    assert.match((await page.locator('figure.coverage h2').textContent())!, /·/, 'the heading says the chart shows shares');
    // Each share is the query's stories over all stories of the period (the last column), and
    // that column agrees with /api/timeline of the whole corpus.
    for (const row of cells) {
      const all = Number(row[3]!.replace(/,/g, ''));
      for (const c of row.slice(0, 3)) {
        const [, n, pct] = /^([\d,]+)（([\d.]+)%）$/.exec(c)!;
        const count = Number(n!.replace(/,/g, ''));
        assert.equal(pct, (all > 0 ? Math.round((10000 * count) / all) / 100 : 0).toFixed(2), `share ${c} of ${all}`);
      }
    }
    const everything = (await (await fetch(`${base}/api/timeline?q=`)).json()) as Timeline;
    const firstLabel = (await page.locator('details.chart-data tbody th').first().textContent())!.trim();
    const firstKey = /^(\d{4})年(?:(\d{1,2})月)?$/.exec(firstLabel)!;
    const prefix = firstKey[2] ? `${firstKey[1]}-${firstKey[2].padStart(2, '0')}` : firstKey[1]!;
    assert.equal(
      Number(cells[0]![3]!.replace(/,/g, '')),
      everything.buckets.filter((b) => b.key.startsWith(prefix)).reduce((a, b) => a + b.count, 0),
    );

    const six = `/trends?${['a', 'b', 'c', 'd', 'e', 'f'].map((q) => `q=${q}`).join('&')}`;
    const res = await page.goto(`${base}${six}`);
    assert.equal(res!.status(), 400);
    assert.equal((await page.context().request.get(`${base}${six}`)).status(), 400);
    await done(page);
  });

  it('lays the five query boxes out evenly (one row on a desktop, one box a row on a phone), 比较 a button like 搜索, and has the search box', async () => {
    const page = await newPage(false);
    const boxes = () =>
      page
        .locator('.compare-form .queries input[type="search"]')
        .evaluateAll((es) =>
          es.map((e) => e.getBoundingClientRect()).map((r) => ({ x: Math.round(r.x), y: Math.round(r.y), w: Math.round(r.width) })),
        );
    await page.goto(`${base}${comparePath}`);
    const wide = await boxes();
    assert.equal(wide.length, 5);
    assert.equal(new Set(wide.map((b) => b.y)).size, 1, 'one row');
    assert.equal(new Set(wide.map((b) => b.w)).size, 1, 'equal widths');
    const style = (sel: string) =>
      page.locator(sel).evaluate((e) => {
        const s = getComputedStyle(e);
        return [s.backgroundColor, s.color, s.borderRadius, s.fontSize];
      });
    assert.deepEqual(await style('form.compare-form button[type="submit"]'), await style('form.search button[type="submit"]'));
    assert.equal(await page.locator('form.search #q').count(), 1, 'the search box, a way back to searching');
    await page.setViewportSize({ width: 390, height: 844 });
    const narrow = await boxes();
    assert.equal(new Set(narrow.map((b) => b.x)).size, 1, 'one column');
    assert.equal(new Set(narrow.map((b) => b.w)).size, 1, 'equal widths');
    assert.ok(
      narrow.every((b, i) => i === 0 || b.y > narrow[i - 1]!.y),
      'a box a row',
    );
    await done(page);
  });

  // A share chart's heading once said 占当月全部报道 ("of all stories that month") also when the
  // chart counts by year, as it does for these three queries.
  it('names the period of the shares in the heading (a yearly chart is not "of the month")', async () => {
    const page = await newPage(false);
    await page.goto(`${base}${comparePath}&share=1`);
    const heading = (await page.locator('figure.coverage h2').textContent())!.trim();
    const byYear = /^\d{4}年$/.test((await page.locator('details.chart-data tbody th').first().textContent())!.trim());
    assert.ok(byYear, 'these three queries span more than 72 months, so the chart counts by year');
    assert.ok(
      !heading.includes('当月'),
      `the heading of a yearly share chart reads "${heading}": 当月 says "that month" but each point is a share of its year`,
    );
    await done(page);
  });

  // The compare page's tips list every query and, as shares, run to ~400 units: placed by their
  // length (server/view-models/chart.ts), not only near an edge, or they spill past the chart and,
  // on a phone, past the screen.
  it('keeps every tip inside the chart, on the search page and the compare page, counts and shares, desktop and phone', async () => {
    const offenders: string[] = [];
    for (const viewport of [DESKTOP, { width: 390, height: 844 }]) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      for (const [path, selector] of [
        [searchHref(HK), 'a.bar'],
        [comparePath, 'g.column'],
        [`${comparePath}&share=1`, 'g.column'],
      ] as const) {
        await page.goto(`${base}${path}`);
        const items = page.locator(`svg.chart ${selector}`);
        const n = await items.count();
        assert.ok(n > 0);
        for (let i = 0; i < n; i++) {
          await items.nth(i).focus();
          const box = await items.nth(i).evaluate((el) => {
            const tip = el.querySelector('text.tip')!.getBoundingClientRect();
            const svg = el.closest('svg')!.getBoundingClientRect();
            return { left: tip.left, right: tip.right, svgLeft: svg.left, svgRight: svg.right, screen: window.innerWidth };
          });
          if (box.left < box.svgLeft - 0.5 || box.right > box.svgRight + 0.5) {
            const cut = box.left < 0 || box.right > box.screen ? `, cut off by the ${box.screen}px screen` : '';
            offenders.push(
              `${viewport.width}px ${decodeURIComponent(path)} ${selector} #${i}: tip ${box.left.toFixed(0)}–${box.right.toFixed(0)} outside chart ${box.svgLeft.toFixed(0)}–${box.svgRight.toFixed(0)}${cut}`,
            );
          }
        }
      }
      await context.close();
    }
    assert.deepEqual(offenders, [], `tips spill out of the chart:\n${offenders.join('\n')}`);
  });
});

describe('chart axes', () => {
  const comparePath = `/trends?${COMPARED.map((q) => `q=${encodeURIComponent(q)}`).join('&')}`;
  /** Charts by year and by month, starting in January and mid-year, counts and shares. */
  const charts = [
    '/',
    searchHref(HK),
    searchHref('北约'),
    '/?from=2016-12-01&to=2021-12-31',
    '/?from=2019-11-01&to=2020-02-29',
    comparePath,
    `${comparePath}&share=1`,
    // Every story: 100% of every period, the widest value label.
    `/trends?q=${encodeURIComponent('-"zzqqzz"')}&share=1`,
  ];

  it('counts are whole numbers on the value axis', async () => {
    const page = await newPage(false);
    for (const path of charts.filter((p) => !p.includes('share=1'))) {
      await page.goto(`${base}${path}`);
      const labels = await page.locator('svg.chart .axis text[text-anchor="end"]').allTextContents();
      assert.ok(labels.length >= 2, `${path}: a value axis`);
      for (const l of labels) assert.match(l.trim(), /^\d{1,3}(,\d{3})*$/, `${path}: value label ${JSON.stringify(l)}`);
    }
    await done(page);
  });

  it('no axis label overlaps another or leaves the chart, desktop and phone', async () => {
    const overlaps: string[] = [];
    for (const viewport of [DESKTOP, { width: 390, height: 844 }]) {
      const context = await browser.newContext({ viewport, javaScriptEnabled: false });
      const page = await context.newPage();
      for (const path of charts) {
        await page.goto(`${base}${path}`);
        const boxes = await page.locator('svg.chart').evaluate((svg) => {
          const frame = svg.getBoundingClientRect();
          const texts = [...svg.querySelectorAll('.axis text')].map((t) => ({
            text: t.textContent!,
            ...t.getBoundingClientRect().toJSON(),
          }));
          return { frame: frame.toJSON() as DOMRect, texts: texts as Array<DOMRect & { text: string }> };
        });
        const years = boxes.texts.filter((t) => /^\d{4}$/.test(t.text));
        assert.ok(years.length > 0, `${path}: the time axis is labelled`);
        const { frame, texts } = boxes;
        for (const [i, a] of texts.entries()) {
          if (a.left < frame.left - 0.5 || a.right > frame.right + 0.5)
            overlaps.push(`${viewport.width}px ${path}: "${a.text}" leaves the chart`);
          for (const b of texts.slice(i + 1)) {
            const apart = a.right <= b.left + 0.5 || b.right <= a.left + 0.5 || a.bottom <= b.top + 0.5 || b.bottom <= a.top + 0.5;
            if (!apart) overlaps.push(`${viewport.width}px ${path}: "${a.text}" overlaps "${b.text}"`);
          }
        }
      }
      await context.close();
    }
    assert.deepEqual(overlaps, []);
  });
});
