// Tongwen search page, progressively enhanced: results follow the reader's typing and clicks
// without a page load, and the URL keeps in step so back, reload and sharing work. The server
// renders everything: for a search, GET /fragments/search answers the parts of the page that
// change (views/fragments/search.ejs, from the page's own partials), each an element marked
// [data-part] that replaces the page's, and the search's canonical URL for the address bar.
// Without JavaScript the page works the same through plain links and the form.
(() => {
  const input = document.getElementById('q');
  document.addEventListener('keydown', (e) => {
    const typing = e.target instanceof HTMLElement && (e.target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName));
    if (e.key === '/' && !typing && input) {
      e.preventDefault();
      input.focus();
      input.select();
    }
  });
  // A chart is one Tab stop (views/partials/chart.ejs, trends-chart.ejs): the arrow keys, Home and
  // End move the focus between its bars, which carry it (tabindex 0) for the next Tab.
  document.addEventListener('keydown', (e) => {
    const stop = e.target instanceof Element ? e.target.closest('[data-roving] [data-stop]') : null;
    const moves = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
    if (!stop || e.altKey || e.ctrlKey || e.metaKey || !(e.key in moves || e.key === 'Home' || e.key === 'End')) return;
    const stops = [...stop.closest('[data-roving]').querySelectorAll('[data-stop]')];
    const at = stops.indexOf(stop);
    const to = e.key === 'Home' ? 0 : e.key === 'End' ? stops.length - 1 : Math.min(stops.length - 1, Math.max(0, at + moves[e.key]));
    e.preventDefault();
    if (to === at) return;
    stop.setAttribute('tabindex', '-1');
    stops[to].setAttribute('tabindex', '0');
    stops[to].focus();
  });
  const form = input?.form;
  // Only the search page is live: it is the one with results.
  if (!form || !document.querySelector('[data-part="results"]')) return;

  /** The query in the address bar, for the search box. */
  const queryOf = (loc) => new URLSearchParams(loc.search).get('q') ?? '';
  /** The search the form describes: the typed query and what it keeps (hidden fields). */
  const formSearch = () => `?${new URLSearchParams(new FormData(form))}`;

  /** Puts each part of a rendered fragment in place of the page's part of the same name. */
  function swapIn(doc) {
    for (const part of doc.querySelectorAll('[data-part]')) {
      const here = document.querySelector(`[data-part="${part.dataset.part}"]`);
      if (here) here.replaceWith(document.importNode(part, true));
    }
    document.title = doc.title;
  }

  // The search the page shows: a link within the page (the skip link's #hits) fires popstate too,
  // and must not render the results again (the focus it moved would be lost).
  let shown = location.search;
  let controller;
  /** Shows the search of `search` (a URL's query string); `how` the history gets it: push, replace or none. */
  async function show(search, how) {
    controller?.abort();
    controller = new AbortController();
    const results = document.querySelector('[data-part="results"]');
    results.classList.add('loading');
    try {
      const res = await fetch(`/fragments/search${search}`, { signal: controller.signal, headers: { Accept: 'text/html' } });
      if (!res.ok) {
        location.assign(`/${search}`); // the server's friendly page says what went wrong
        return;
      }
      const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
      const url = doc.querySelector('link[rel="canonical"]').getAttribute('href');
      swapIn(doc);
      if (how === 'push') history.pushState(null, '', url);
      else if (how === 'replace') history.replaceState(null, '', url);
      shown = location.search;
    } catch (err) {
      if (err.name !== 'AbortError') location.assign(`/${search}`);
    } finally {
      results.classList.remove('loading');
    }
  }

  let timer;
  let typed = false;
  /** Searches what the box holds once typing pauses. */
  function searchSoon() {
    clearTimeout(timer);
    timer = setTimeout(() => {
      // The first keystrokes of a new query make one history entry; the rest replace it.
      show(formSearch(), typed ? 'replace' : 'push');
      typed = true;
    }, 300);
  }
  // Most readers type Chinese with an input method: while it composes, the box holds pinyin or
  // strokes (xiang g) that are not the query. Search only what was committed (compositionend;
  // isComposing covers browsers that send input events around the composition's edges).
  let composing = false;
  input.addEventListener('compositionstart', () => {
    composing = true;
    clearTimeout(timer);
  });
  input.addEventListener('compositionend', () => {
    composing = false;
    searchSoon();
  });
  input.addEventListener('input', (e) => {
    if (composing || e.isComposing) return;
    searchSoon();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    // Enter that picks an input method's candidate is not a search: the commit will be.
    if (composing) return;
    clearTimeout(timer);
    typed = false;
    show(formSearch(), 'push');
  });
  /**
   * A link of the search shown, when the box holds a query not yet shown (typed in the last
   * moment, or still loading): the reader means the typed query, from its first page. A link that
   * sets a query of its own (the exact string of a segmented one) keeps it.
   */
  function withTypedQuery(url) {
    const shown = queryOf(location);
    if (composing || input.value === shown || (url.searchParams.get('q') ?? '') !== shown) return url;
    const typedUrl = new URL(url);
    if (input.value) typedUrl.searchParams.set('q', input.value);
    else typedUrl.searchParams.delete('q');
    typedUrl.searchParams.delete('page');
    return typedUrl;
  }
  document.addEventListener('click', (e) => {
    const a = e.target instanceof Element ? e.target.closest('a') : null;
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    // The links of the search's parts (script switch, facets, sort, pages, chart, export, feed,
    // compare) carry the search shown; a result's link opens that story whatever was typed since.
    if (!a.closest('[data-part]')) return;
    // A chart's bars are SVG links, whose href is an SVGAnimatedString.
    const shownUrl = new URL(a instanceof SVGAElement ? a.href.baseVal : a.href, location.href);
    if (shownUrl.origin !== location.origin || shownUrl.pathname.startsWith('/article/')) return;
    const url = withTypedQuery(shownUrl);
    if (url.pathname !== '/' || !a.closest('[data-part="results"], [data-part="facets"]')) {
      // Not a live update (another script, an export, the feed, the compare page): a page load.
      if (url !== shownUrl) {
        e.preventDefault();
        clearTimeout(timer);
        location.assign(url.href);
      }
      return;
    }
    e.preventDefault();
    clearTimeout(timer);
    typed = false;
    const paging = Boolean(a.closest('.pages'));
    show(url.search, 'push').then(() => {
      // A link can change the query too (the exact string of a segmented one).
      input.value = queryOf(location);
      if (paging) document.querySelector('[data-part="results"]').scrollIntoView({ block: 'start' });
    });
  });
  window.addEventListener('popstate', () => {
    if (location.search === shown) return;
    input.value = queryOf(location);
    typed = false;
    show(location.search, 'none');
  });
})();
