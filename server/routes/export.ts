// GET /api/export: every story a search matches, in the order its pages show them, as CSV or
// JSON Lines, streamed as Meilisearch answers.
import { Router, type Response } from 'express';
import { stringify } from 'csv-stringify/sync';
import { ExportRow } from '../api/responses.js';
import type { SearchBackend } from '../search/backend.js';
import { inScript } from '../search/display.js';
import { exportQuery, parseQuery, parseSearchParams, type DisplayScript, type SearchParams } from '../search/params.js';
import { IN_ORDER_BATCH, storiesInOrder } from '../search/export-order.js';
import { planSearch } from '../search/plan.js';
import { chargeSearches } from '../limits.js';
import { requestBackend } from '../request-signal.js';

/** The extracted fields (core/text/extract.ts) an export carries. */
const NAMED = ['keywords', 'people', 'places', 'organizations'];

/** Stories per export; a bigger answer is cut here and says so (X-Export-Truncated). */
export const EXPORT_MAX = 10_000;

const ATTRIBUTES = ['id', 'title', 'url', 'outlet', 'outletName', 'publishedAt', 'topics', 'script', ...NAMED];
/** The CSV header: the fields of an ExportRow, in its order. */
export const COLUMNS = ExportRow.keyof().options;

export type { ExportRow } from '../api/responses.js';

const text = (v: unknown) => (typeof v === 'string' ? v : '');
/** A stored list of words (absent in an index built before extraction), in the reader's script. */
const words = (v: unknown, script: DisplayScript) => (Array.isArray(v) ? v.map((w) => inScript(String(w), script)) : []);

/** A stored story read defensively (an index loaded by other tools may lack fields), title in the reader's script. */
export function exportRow(doc: Record<string, unknown>, script: DisplayScript): ExportRow {
  return {
    id: String(doc.id),
    title: inScript(text(doc.title), script),
    url: text(doc.url),
    outlet: text(doc.outlet),
    outletName: text(doc.outletName),
    publishedAt: typeof doc.publishedAt === 'number' ? new Date(doc.publishedAt).toISOString() : null,
    topics: Array.isArray(doc.topics) ? doc.topics.map(String) : [],
    keywords: words(doc.keywords, script),
    people: words(doc.people, script),
    places: words(doc.places, script),
    organizations: words(doc.organizations, script),
  };
}

// escape_formulas: a cell beginning with =, +, -, @, tab or CR (or their full-width forms, which
// some spreadsheets also read as formulas) gets a leading apostrophe, as OWASP advises against CSV
// injection: titles come from outlets' pages, and a spreadsheet must not run them.
// quote_record_delimiter: with CRLF records, csv-stringify would otherwise leave a lone \n or \r
// unquoted, and readers would split the record there.
const CSV_OPTIONS = { record_delimiter: '\r\n', quote_record_delimiter: true, escape_formulas: true } as const;

/** One CSV record (RFC 4180 quoting, CRLF), cells guarded against formulas. */
export function csvLine(cells: readonly string[]): string {
  return stringify([cells as string[]], CSV_OPTIONS);
}

export function csvRow(row: ExportRow): string {
  const { id, title, url, outlet, outletName, publishedAt, topics, keywords, people, places, organizations } = row;
  const lists = [topics, keywords, people, places, organizations].map((l) => l.join(';'));
  return csvLine([id, title, url, outlet, outletName, publishedAt ?? '', ...lists]);
}

export function jsonLine(row: ExportRow): string {
  return `${JSON.stringify(row)}\n`;
}

/** Resolves when `res` can take more, or has closed (a client gone never drains). */
function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve();
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

const today = () => new Date().toISOString().slice(0, 10).replace(/-/g, '');

export function exportRouter(backend: SearchBackend, { max = EXPORT_MAX }: { max?: number } = {}): Router {
  const router = Router();
  router.get('/api/export', async (req, res) => {
    const { format, ...selection } = parseQuery(exportQuery, req.query);
    // An export is every page: page and perPage are not read, and keep the search's defaults.
    const params: SearchParams = { ...parseSearchParams({}), ...selection };
    const searching = requestBackend(backend, res);
    const planned = await planSearch(searching, params);
    let total = 0;
    if (!planned.nothing) {
      const count = await searching.search([{ ...planned.base, filter: planned.filterFor(), page: 1, hitsPerPage: 0 }]);
      planned.missing.add(count.missing);
      total = count.results[0]!.total;
    }
    const limit = Math.min(max, searching.reachableHits);
    const rows = Math.min(total, limit);
    const csv = format === 'csv';
    // Read when sent: instances missing from the first batch are named too.
    const headers = (missing = planned.missing.fields().missing) => ({
      'Content-Type': csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      'Content-Disposition': `attachment; filename="tongwen-export-${today()}.${format}"`,
      'Cache-Control': 'no-store',
      'X-Total-Count': String(total),
      'X-Export-Truncated': String(total > limit),
      ...(missing ? { 'X-Partial': missing.map((m) => m.instance).join(',') } : {}),
    });
    if (req.method === 'HEAD') {
      res.set(headers()).end();
      return;
    }
    // The rate limit charged one search; the batches are charged now that the count says how
    // many there are, before any is read.
    await chargeSearches(res, Math.ceil(rows / IN_ORDER_BATCH));

    const stories = storiesInOrder(searching, planned, ATTRIBUTES, rows);
    // The first batch is read before anything is written, so that its failure is still an
    // ordinary error answer; after the first byte, a failure can only cut the download short.
    let next = await stories.next();
    res.set(headers());
    const write = async (chunk: string) => {
      if (!res.write(chunk)) await drained(res);
    };
    const line = (doc: Record<string, unknown>) => (csv ? csvRow : jsonLine)(exportRow(doc, params.script));
    try {
      if (csv) await write(`\uFEFF${csvLine(COLUMNS)}`);
      // A client that left ends the request's signal: the batch being read is cancelled.
      while (!next.done && !res.destroyed) {
        await write(line(next.value));
        next = await stories.next();
      }
      if (!res.destroyed) res.end();
    } catch (err) {
      res.destroy();
      throw err;
    } finally {
      await stories.return(undefined);
    }
  });
  return router;
}
