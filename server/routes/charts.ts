// The compare page (/trends) and the coverage chart as an HTML fragment (/fragments/coverage),
// which the search page's script fetches when it updates the results without a page load.
import { Router } from 'express';
import type { SearchBackend } from '../search/backend.js';
import { parseCompareParams, parseSearchParams, type DisplayScript } from '../search/params.js';
import { monthCounts, timeline } from '../search/timeline.js';
import { coverageView } from '../view-models/coverage.js';
import { pageLang, scriptSwitch, strings } from '../view-models/strings.js';
import { trendsModel } from '../view-models/trends-page.js';
import { selection } from '../view-models/links.js';
import { requestedScript } from './reader-script.js';
import { requestBackend } from '../request-signal.js';

export function chartsRouter(backend: SearchBackend, opts: { coverage?: boolean } = {}): Router {
  const router = Router();

  router.get('/fragments/coverage', async (req, res) => {
    const query = req.query as Record<string, unknown>;
    const script = requestedScript(req);
    const p = parseSearchParams({ ...query, script });
    const t = strings(script);
    if (opts.coverage === false) return void res.set('Cache-Control', 'no-store').type('html').send('');
    const result = await timeline(requestBackend(backend, res), p);
    const coverage = coverageView(result, result.total, p, t);
    res.set('Cache-Control', 'no-store');
    if (!coverage) return void res.type('html').send('');
    res.render('partials/chart', { coverage, t });
  });

  router.get('/trends', async (req, res) => {
    const query = req.query as Record<string, unknown>;
    const script = requestedScript(req);
    const { queries, filters, share } = parseCompareParams({ ...query, script });
    res.locals.script = script;
    const t = strings(script);
    const searching = requestBackend(backend, res);
    const [counts, all] = await Promise.all([
      Promise.all(queries.map((q) => monthCounts(searching, q))),
      share && queries.length ? monthCounts(searching, { ...filters, q: '' }) : Promise.resolve(undefined),
    ]);
    const model = trendsModel(queries, counts, all, filters, t);
    const here = (s: DisplayScript) => {
      const qs = new URLSearchParams(
        selection(
          { ...filters, q: '', script: 'orig' },
          queries.map((q): [string, string] => ['q', q.q]),
        ),
      );
      if (share) qs.set('share', '1');
      qs.set('script', s);
      return `/trends?${qs}`;
    };
    res.render('trends', {
      t,
      lang: pageLang(script),
      script,
      model,
      filters,
      slots: [...queries.map((q) => q.q), ...Array.from({ length: 5 - queries.length }, () => '')],
      title: model.queries.length ? `${model.queries.map((q) => q.q).join(' · ')} · ${t.compareTitle}` : t.compareTitle,
      scriptLinks: scriptSwitch(script, here),
      // The site's search box, a way back to searching: a new search keeps the script.
      searchState: script === 'orig' ? [] : [{ name: 'script', value: script }],
      state: { script },
    });
  });
  return router;
}
