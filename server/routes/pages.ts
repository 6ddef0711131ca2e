// The HTML pages: the search page (and its live update), the search tips and the article page.
// Thin: parse, call the same search code as the JSON API, build a view model, render.
import { Router } from 'express';
import type { SearchBackend } from '../search/backend.js';
import { NotFound } from '../errors.js';
import { articleJson } from '../search/article.js';
import { inScript } from '../search/display.js';
import { findInOriginal, renderMarked } from '../search/highlight.js';
import { DEFAULT_PER_PAGE, parseSearchParams, type SearchParams } from '../search/params.js';
import { parseQuery, positiveTerms, type ParsedQuery } from '../search/query.js';
import { QueryTooComplex } from '../search/query-language.js';
import { search, type SearchOptions } from '../search/search.js';
import { findArticle } from '../search/stories-by-id.js';
import { outletLabel, publicationDay, topicLabel } from '../view-models/labels.js';
import { searchPageModel, type SearchPageModel } from '../view-models/search-page.js';
import { pageLang, scriptSwitch, strings } from '../view-models/strings.js';
import { searchUrl, type UrlState } from '../view-models/url.js';
import { copyViews } from '../view-models/copies.js';
import { relatedViews } from '../view-models/related.js';
import { relatedStories } from '../search/related.js';
import { documentCount } from './health.js';
import { readerScript, requestedScript } from './reader-script.js';
import { requestBackend } from '../request-signal.js';

/** Examples on the search tips page: what to type, what it finds. */
const TIP_EXAMPLES: Array<[string, string]> = [
  ['香港 警察', '同时包含“香港”和“警察”的报道'],
  ['林鄭月娥辭職', '分词为“林郑月娥”+“辞职”，两个词都须出现'],
  ['"立法會選舉"', '引号内的完整字串'],
  ['香港 -警察', '包含“香港”但不含“警察”'],
  ['-"立法会"', '不含“立法会”的全部报道'],
  ['Trump 2020', '整词 Trump 和 2020 都出现（不分大小写）'],
  ['"Donald Trump"', '两个英文单词相连出现'],
  ['特朗普 OR Trump', '包含“特朗普”或“Trump”（或两者都有）的报道，每篇只算一次'],
  ['(新冠 OR 疫情) 疫苗 -口罩', '括号内任一词，加上“疫苗”，不含“口罩”'],
  ['香港 警察 OR 示威', '“香港”和“警察”都出现，或者出现“示威”：AND 先于 OR'],
  ['社交媒體', '四个字以内连写的中文按一个词找：完整包含“社交媒体”'],
];

/** A search of everything: what the article page's links change. */
const NO_SEARCH: UrlState = {
  q: '',
  outlet: [],
  topic: [],
  from: null,
  to: null,
  sort: null,
  page: 1,
  perPage: DEFAULT_PER_PAGE,
  script: 'orig',
};

/**
 * The search page's model, or undefined when no article is indexed yet (nothing to search). The
 * page shows the terms panel (one more multi-search, part of the one search it is charged).
 */
async function searchPage(searching: SearchBackend, params: SearchParams, opts: SearchOptions): Promise<SearchPageModel | undefined> {
  const documents = await documentCount(searching);
  const withTerms = { ...params, terms: true };
  return documents === 0 ? undefined : searchPageModel(withTerms, await search(searching, withTerms, opts));
}

export function pagesRouter(backend: SearchBackend, opts: SearchOptions = {}): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const script = readerScript(req, res);
    res.locals.script = script;
    const params = { ...parseSearchParams(req.query as Record<string, unknown>), script };
    const page = await searchPage(requestBackend(backend, res), params, opts);
    if (!page) {
      res.render('index', { t: strings(script), lang: pageLang(script), q: params.q, documents: 0, scriptLinks: [] });
      return;
    }
    res.render('search', { ...page, lang: pageLang(script) });
  });

  // The parts of the search page that change with the search, for the page script's live update
  // (views/fragments/search.ejs): the same model and partials as the page, so the two cannot
  // differ. In the reader's script (the URL's, else the remembered one), which it does not set.
  router.get('/fragments/search', async (req, res) => {
    const script = requestedScript(req);
    res.locals.script = script;
    const page = await searchPage(
      requestBackend(backend, res),
      { ...parseSearchParams(req.query as Record<string, unknown>), script },
      opts,
    );
    // The page then shows how to load articles.
    if (!page) throw new NotFound('no articles are indexed yet');
    res.set('Cache-Control', 'no-store').render('fragments/search', { ...page, lang: pageLang(script) });
  });

  // The query syntax, with examples that link to their searches (docs/searching.md, "Query syntax").
  router.get('/help', (req, res) => {
    const script = readerScript(req, res);
    res.locals.script = script;
    res.render('help', {
      t: strings(script),
      lang: pageLang(script),
      script,
      tip: (text: string) => (script === 'hant' ? inScript(text, 'hant') : text),
      rows: TIP_EXAMPLES,
      scriptLinks: scriptSwitch(script, (s) => `/help?script=${s}`),
    });
  });

  router.get('/article/:id', async (req, res) => {
    const script = readerScript(req, res);
    res.locals.script = script;
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 200) : '';
    const id = req.params.id;
    const searching = requestBackend(backend, res);
    const doc = await findArticle(searching, id);
    if (!doc) throw new NotFound(`no article with id ${JSON.stringify(id)}`);
    const related = relatedViews(await relatedStories(searching, doc, script), script);
    const article = articleJson(doc, 'orig');
    // The query's terms marked wherever they occur (in either script); a query past the OR limits
    // (which a search would refuse) marks nothing here rather than refusing the article.
    const terms = q ? positiveTerms(parseQueryOrNothing(q)) : [];
    const mark = (text: string) => renderMarked(text, findInOriginal(text, terms), script);
    res.render('article', {
      t: strings(script),
      lang: pageLang(script),
      script,
      article,
      title: inScript(article.title, script),
      titleHtml: mark(article.title),
      paragraphsHtml: article.paragraphs.map(mark),
      outletName: outletLabel(article.outlet, script),
      topics: article.topics.map((value) => ({
        value,
        label: topicLabel(value, script),
        href: searchUrl({ ...NO_SEARCH, topic: [value], script }),
      })),
      author: article.author === null ? null : inScript(article.author, script),
      day: publicationDay(article.publishedAt),
      copies: copyViews(article, script),
      related,
      back: q ? searchUrl({ ...NO_SEARCH, q, script }) : undefined,
      scriptLinks: scriptSwitch(script, (s) => `/article/${article.id}?${new URLSearchParams({ ...(q ? { q } : {}), script: s })}`),
      contentLang: script === 'orig' ? article.lang : pageLang(script),
      // The site's search box, also on an article opened directly: a new search keeps the script.
      searchQuery: q,
      searchState: script === 'orig' ? [] : [{ name: 'script', value: script }],
      state: { script },
    });
  });
  return router;
}

function parseQueryOrNothing(q: string): ParsedQuery {
  try {
    return parseQuery(q);
  } catch (err) {
    if (err instanceof QueryTooComplex) return parseQuery('');
    throw err;
  }
}
