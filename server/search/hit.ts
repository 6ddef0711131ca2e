// A stored hit → a hit of the answer: its fields read defensively (an index loaded by other tools
// may lack some), the title with the terms marked, and a snippet around where the terms occur
// together (else the body's opening), in the reader's script.
import { langOf } from './display.js';
import { characterIndex, findInOriginal, renderMarked, snippetHtml } from './highlight.js';
import { bestWindow, haystack } from './matches.js';
import type { SearchParams } from './params.js';
import type { Term } from './query.js';
import type { SearchHit } from './search-result.js';
import type { StoredHit } from './stored-hit.js';

export function toHit(stored: StoredHit, terms: Term[], script: SearchParams['script']): SearchHit {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const h = {
    ...stored,
    title: text(stored.title),
    titleSearch: text(stored.titleSearch),
    body: text(stored.body),
    bodySearch: text(stored.bodySearch),
  };
  const centre = terms.length > 0 ? bestWindow(haystack(h.bodySearch, terms), terms)?.centre : undefined;
  return {
    id: String(h.id),
    title: h.title,
    url: text(h.url),
    outlet: { id: text(h.outlet), name: text(h.outletName) },
    topics: Array.isArray(h.topics) ? h.topics.map(String) : [],
    publishedAt: typeof h.publishedAt === 'number' ? new Date(h.publishedAt).toISOString() : null,
    lang: langOf(text(h.script), script),
    titleHtml: renderMarked(h.title, findInOriginal(h.title, terms, h.titleSearch), script),
    snippetHtml:
      centre === undefined
        ? snippetHtml(typeof stored.lead === 'string' ? stored.lead : h.body, undefined, terms, script)
        : snippetHtml(h.body, characterIndex(h.bodySearch, centre), terms, script, h.bodySearch),
    copies: Array.isArray(stored.alsoPublishedAs) ? stored.alsoPublishedAs.length : 0,
  };
}
