// Tongwen search page, progressively enhanced: results follow the reader's typing and clicks
// through the JSON API (/api/search), with the URL kept in step so back, reload and sharing
// work. Without JavaScript the page works the same through plain links and the form.
(() => {
  const data = document.getElementById('ui-strings');
  const input = document.getElementById('q');
  document.addEventListener('keydown', (e) => {
    const typing = e.target instanceof HTMLElement && (e.target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName));
    if (e.key === '/' && !typing && input) {
      e.preventDefault();
      input.focus();
      input.select();
    }
  });
  if (!data || !input) return; // only the search page is live

  const { t, script } = JSON.parse(data.textContent);
  const results = document.getElementById('results');
  const facets = document.querySelector('.facets');
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

  const stateOf = (url) => {
    const p = new URL(url, location.href).searchParams;
    return {
      q: (p.get('q') || '').trim(), outlet: p.getAll('outlet'), topic: p.getAll('topic'),
      from: p.get('from') || null, to: p.get('to') || null, sort: p.get('sort') || null,
      page: Number(p.get('page')) || 1, perPage: Number(p.get('perPage')) || 20, script: p.get('script') || script,
    };
  };
  const urlOf = (s) => {
    const p = new URLSearchParams();
    if (s.q) p.set('q', s.q);
    s.outlet.forEach((o) => p.append('outlet', o));
    s.topic.forEach((x) => p.append('topic', x));
    if (s.from) p.set('from', s.from);
    if (s.to) p.set('to', s.to);
    if (s.sort) p.set('sort', s.sort);
    if (s.page > 1) p.set('page', String(s.page));
    if (s.perPage !== 20) p.set('perPage', String(s.perPage));
    if (s.script && s.script !== 'orig') p.set('script', s.script);
    const qs = p.toString();
    return qs ? `/?${qs}` : '/';
  };
  const change = (s, c) => urlOf({ ...s, ...c, page: 'page' in c ? c.page : 1 });
  const toggle = (list, v) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
  const lastDay = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();
  const day = (iso) => (iso ? new Date(Date.parse(iso) + 8 * 3600000).toISOString().slice(0, 10) : t.undated);

  const facetItem = (f, href, on, extra = '') =>
    `<li><a href="${esc(href)}" class="facet${on ? ' on' : ''}"${on ? ' aria-current="true"' : ''}><span class="box" aria-hidden="true"></span><span class="label">${esc(f.label)}</span><span class="count">${f.count}</span></a>${extra}</li>`;

  function renderFacets(s, r) {
    const year = s.from && s.to && s.from.slice(0, 4) === s.to.slice(0, 4) ? s.from.slice(0, 4) : null;
    const month = year && s.from.slice(0, 7) === s.to.slice(0, 7) && s.from.endsWith('-01') ? s.from.slice(0, 7) : null;
    const months = (r.facets.month || []).map((m) => {
      const [y, mm] = m.value.split('-').map(Number);
      const on = month === m.value;
      const href = on ? change(s, { from: `${y}-01-01`, to: `${y}-12-31` }) : change(s, { from: `${m.value}-01`, to: `${m.value}-${String(lastDay(y, mm)).padStart(2, '0')}` });
      return facetItem(m, href, on);
    });
    const section = (id, title, items) => `<section aria-labelledby="${id}"><h2 id="${id}">${esc(title)}</h2><ul>${items.join('')}</ul></section>`;
    facets.innerHTML =
      section('f-outlet', t.outlets, r.facets.outlet.map((f) => facetItem(f, change(s, { outlet: toggle(s.outlet, f.value) }), s.outlet.includes(f.value)))) +
      section('f-topic', t.topics, r.facets.topic.map((f) => facetItem(f, change(s, { topic: toggle(s.topic, f.value) }), s.topic.includes(f.value)))) +
      section('f-date', t.dates, r.facets.year.map((f) => {
        const on = year === f.value && !month;
        const href = on ? change(s, { from: null, to: null }) : change(s, { from: `${f.value}-01-01`, to: `${f.value}-12-31` });
        return facetItem(f, href, on, year === f.value && months.length ? `<ul class="months">${months.join('')}</ul>` : '');
      }));
  }

  // Where the results can go, as server/views/links.ts builds them: the selection, not the page.
  function toolLinks(s) {
    const sel = (extra) => {
      const qs = new URLSearchParams(extra);
      if (s.q) qs.set('q', s.q);
      for (const o of s.outlet) qs.append('outlet', o);
      for (const x of s.topic) qs.append('topic', x);
      if (s.from) qs.set('from', s.from);
      if (s.to) qs.set('to', s.to);
      if (s.script !== 'orig') qs.set('script', s.script);
      return qs.toString();
    };
    const sort = s.sort ? { sort: s.sort } : {};
    const feed = sel({});
    return {
      csv: `/api/export?${sel({ format: 'csv', ...sort })}`,
      jsonl: `/api/export?${sel({ format: 'jsonl', ...sort })}`,
      feed: feed ? `/feed.xml?${feed}` : '/feed.xml',
      compare: `/trends?${sel({})}`,
    };
  }

  function updateFeedLink(s) {
    const link = document.querySelector('link[rel="alternate"][type="application/atom+xml"]');
    if (link) link.href = toolLinks(s).feed;
  }

  // The coverage chart, drawn by the server for the new search (one more Meilisearch request).
  async function coverage(url, signal) {
    const res = await fetch(`/fragments/coverage${new URL(url, location.href).search}`, { signal, headers: { Accept: 'text/html' } });
    const slot = document.getElementById('coverage-slot');
    if (res.ok && slot) slot.innerHTML = await res.text();
  }

  function renderResults(s, r) {
    const label = (list, v) => (list.find((f) => f.value === v) || { label: v }).label;
    const chips = [
      ...s.outlet.map((o) => [`${t.outlets}：${label(r.facets.outlet, o)}`, change(s, { outlet: s.outlet.filter((x) => x !== o) })]),
      ...s.topic.map((x) => [`${t.topics}：${label(r.facets.topic, x)}`, change(s, { topic: s.topic.filter((y) => y !== x) })]),
      ...(s.from || s.to ? [[`${t.dates}：${s.from || '…'} – ${s.to || '…'}`, change(s, { from: null, to: null })]] : []),
    ];
    const sorts = ['relevance', 'newest', 'oldest'].filter((x) => x !== 'relevance' || s.q);
    let html = `<div class="results-head"><p class="summary" id="summary" aria-live="polite"><strong>${r.bounded ? '≤ ' : ''}${r.total.toLocaleString('en-US')}</strong> ${esc(t.results)} · ${esc(t.took)} ${r.processingTimeMs} ${esc(t.ms)}</p>` +
      `<nav class="sort" aria-label="${esc(t.sortBy)}"><span>${esc(t.sortBy)}：</span>${sorts.map((x) => `<a href="${esc(change(s, { sort: x }))}"${r.query.sort === x ? ' aria-current="true"' : ''}>${esc(t[x])}</a>`).join(' ')}</nav></div>`;
    if (r.bounded) {
      const n = (x) => x.toLocaleString('en-US');
      html += `<p class="notice bounded" role="status">${esc(t.bounded.replace('{verified}', n(r.bounded.verified)).replace('{candidates}', n(r.bounded.candidates)).replace('{unverified}', n(r.bounded.candidates - r.bounded.verified)))}</p>`;
    }
    if (r.partial) html += `<p class="notice partial" role="status">${esc(t.partial.replace('{names}', r.missing.map((m) => m.instance).join('、')))}</p>`;
    // The chart stays as it was until the new one arrives (coverage()).
    const slot = document.getElementById('coverage-slot');
    html += `<div id="coverage-slot">${slot ? slot.innerHTML : ''}</div>`;
    const links = toolLinks(s);
    html += `<p class="tools">${esc(t.exportLabel)}：<a href="${esc(links.csv)}" download>CSV</a> · <a href="${esc(links.jsonl)}" download>JSONL</a> · <a href="${esc(links.feed)}" type="application/atom+xml">${esc(t.feedLabel)}</a>` +
      (s.q ? ` · <a href="${esc(links.compare)}">${esc(t.compareLink)}</a>` : '') + '</p>';
    // How the query was read, in the reader's script where the typed query shows it.
    const shown = (c) => {
      const at = r.query.normalized.indexOf(c);
      return s.script === 'orig' && at >= 0 && r.query.normalized.length === s.q.length ? s.q.slice(at, at + c.length) : c;
    };
    for (const seg of r.query.segmented) {
      const exact = shown(seg.from);
      html += `<p class="reading">${esc(t.readAs)}：${seg.words.map((w) => `<b>${esc(shown(w))}</b>`).join(' + ')} · <a href="${esc(change(s, { q: `"${exact}"` }))}">${esc(t.exactOnly)}「${esc(exact)}」</a></p>`;
    }
    for (const n of r.query.notes) html += `<p class="note">${esc(t[`note_${n.code}`].replace('{text}', n.text ? shown(n.text) : ''))}</p>`;
    if (chips.length) {
      html += `<ul class="chips" aria-label="${esc(t.activeFilters)}">${chips.map(([l, h]) => `<li><a class="chip" href="${esc(h)}"><span>${esc(l)}</span><span class="x" aria-hidden="true">×</span><span class="visually-hidden">${esc(t.remove)}</span></a></li>`).join('')}` +
        (chips.length > 1 ? `<li><a class="clear" href="${esc(change(s, { outlet: [], topic: [], from: null, to: null }))}">${esc(t.clearAll)}</a></li>` : '') + '</ul>';
    }
    if (!r.hits.length) {
      html += `<section class="notice" aria-labelledby="none-title"><h2 id="none-title">${esc(t.noResults)}</h2><p>${esc(t.noResultsHint)}</p>` +
        (chips.length ? `<p><a href="${esc(chips[chips.length - 1][1])}">${esc(chips[chips.length - 1][0])} · ${esc(t.remove)}</a></p>` : '') + '</section>';
    } else {
      const articleQs = new URLSearchParams({ ...(s.q ? { q: s.q } : {}), ...(s.script !== 'orig' ? { script: s.script } : {}) }).toString();
      html += `<ol class="hits" start="${(r.page - 1) * r.perPage + 1}">` + r.hits.map((h) =>
        `<li class="hit" lang="${esc(h.lang)}"><h3><a href="/article/${esc(h.id)}${articleQs ? `?${esc(articleQs)}` : ''}">${h.titleHtml}</a></h3>` +
        `<p class="meta"><span class="outlet">${esc(h.outlet.name)}</span> · <time datetime="${esc(h.publishedAt || '')}">${esc(day(h.publishedAt))}</time>${h.topics.map((x) => ` · <span class="topic">${esc(x)}</span>`).join('')}</p>` +
        `<p class="snippet">${h.snippetHtml}</p></li>`).join('') + '</ol>';
      const total = r.totalPages;
      if (total > 1) {
        const nums = [...new Set([1, total, s.page - 2, s.page - 1, s.page, s.page + 1, s.page + 2])].filter((n) => n >= 1 && n <= total).sort((a, b) => a - b);
        let prev = 0;
        let nav = s.page > 1 ? `<a rel="prev" href="${esc(change(s, { page: s.page - 1 }))}">${esc(t.previous)}</a>` : '';
        for (const n of nums) {
          if (n - prev > 1) nav += '<span class="gap">…</span>';
          nav += n === s.page ? `<span aria-current="page">${n}</span>` : `<a href="${esc(change(s, { page: n }))}" aria-label="${esc(t.page + n + t.pageSuffix)}">${n}</a>`;
          prev = n;
        }
        if (s.page < total) nav += `<a rel="next" href="${esc(change(s, { page: s.page + 1 }))}">${esc(t.next)}</a>`;
        html += `<nav class="pages" aria-label="${esc(t.pagination)}">${nav}</nav>`;
      }
    }
    results.innerHTML = html;
  }

  let controller;
  async function show(url, how) {
    const s = stateOf(url);
    controller?.abort();
    controller = new AbortController();
    results.classList.add('loading');
    try {
      const res = await fetch(`/api/search${new URL(url, location.href).search}`, { signal: controller.signal, headers: { Accept: 'application/json' } });
      if (!res.ok) {
        location.assign(url); // let the server render its friendly error page
        return;
      }
      const r = await res.json();
      renderResults(s, r);
      renderFacets(s, r);
      coverage(url, controller.signal).catch(() => undefined);
      updateFeedLink(s);
      document.title = s.q ? `${s.q} · ${t.siteName} Tongwen` : `${t.siteName} Tongwen · ${t.tagline}`;
      if (how === 'push') history.pushState(null, '', url);
      else if (how === 'replace') history.replaceState(null, '', url);
    } catch (err) {
      if (err.name !== 'AbortError') location.assign(url);
    } finally {
      results.classList.remove('loading');
    }
  }

  let timer;
  let typed = false;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const url = change(stateOf(location.href), { q: input.value.trim() });
      // The first keystrokes of a new query make one history entry; the rest replace it.
      show(url, typed ? 'replace' : 'push');
      typed = true;
    }, 300);
  });
  input.form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(timer);
    typed = false;
    show(change(stateOf(location.href), { q: input.value.trim() }), 'push');
  });
  document.addEventListener('click', (e) => {
    const a = e.target instanceof Element ? e.target.closest('a') : null;
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    // A chart's bars are SVG links, whose href is an SVGAnimatedString.
    const url = new URL(a instanceof SVGAElement ? a.href.baseVal : a.href, location.href);
    if (!(facets.contains(a) || results.contains(a)) || url.pathname !== '/' || url.origin !== location.origin) return;
    e.preventDefault();
    typed = false;
    show(url.href, 'push').then(() => (a.closest('.pages') ? results.scrollIntoView({ block: 'start' }) : undefined));
  });
  window.addEventListener('popstate', () => {
    input.value = stateOf(location.href).q;
    typed = false;
    show(location.href, 'none');
  });
})();
