// The same event elsewhere: for one story, the stories of other outlets published within
// RELATED_WINDOW_DAYS of it that share the most of its extracted keywords and names
// (core/text/extract.ts). One search reads the candidates (other outlets, the window, at least one
// word or name in common) with their extracted fields; they are ranked here by how many of the
// story's words and names they share, then by closeness in time. Copies of the story are folded
// into it at index time, so they are not stories of their own; other outlets only, so its own
// outlet's follow-ups are left to the search.
import type { RelatedAnswer } from '../api/responses.js';
import { ENTITY_KINDS } from '../../core/entities/names.js';
import type { SearchBackend } from './backend.js';
import { inScript } from './display.js';
import { quote } from './filters.js';
import type { DisplayScript } from './params.js';

/** Related stories listed at most. */
export const RELATED_SHOWN = 8;
/** Days before and after the story's publication that a related story may be published. */
export const RELATED_WINDOW_DAYS = 3;
/** Candidates read at most (the window's stories of other outlets sharing a word or a name). */
export const RELATED_CANDIDATES = 1000;
/** Words and names a related story shares with the story at least. */
export const MIN_SHARED = 2;

const DAY_MS = 86_400_000;
/** The extracted fields a story is compared by. */
export const COMPARED = ['keywords', ...ENTITY_KINDS] as const;

type Stored = Record<string, unknown>;

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
/** A story's words and names, each once (a name may also be a keyword). */
const wordsOf = (doc: Stored) => new Set(COMPARED.flatMap((f) => list(doc[f])));

/** The related stories of `story` (a stored story with its extracted fields), in the reader's script. */
export async function relatedStories(backend: SearchBackend, story: Stored, script: DisplayScript): Promise<RelatedAnswer> {
  const id = String(story.id);
  const at = typeof story.publishedAt === 'number' ? story.publishedAt : null;
  const words = wordsOf(story);
  const none = { id, window: null, related: [], partial: false };
  if (at === null || words.size === 0) return none;
  const window = {
    from: new Date(at - RELATED_WINDOW_DAYS * DAY_MS).toISOString(),
    to: new Date(at + RELATED_WINDOW_DAYS * DAY_MS).toISOString(),
  };
  const values = [...words].map(quote).join(', ');
  const answer = await backend.search<Stored>([
    {
      q: '',
      filter: [
        `publishedAt >= ${at - RELATED_WINDOW_DAYS * DAY_MS}`,
        `publishedAt <= ${at + RELATED_WINDOW_DAYS * DAY_MS}`,
        `outlet != ${quote(String(story.outlet))}`,
        `id != ${quote(id)}`,
        COMPARED.map((f) => `${f} IN [${values}]`),
      ],
      page: 1,
      hitsPerPage: RELATED_CANDIDATES,
      attributesToRetrieve: ['id', 'url', 'title', 'outlet', 'outletName', 'publishedAt', ...COMPARED],
    },
  ]);
  const ranked = answer.results[0]!.hits.map((doc) => {
    const mine = wordsOf(doc);
    // In the story's order: its keywords (best first), then its names.
    const shared = [...words].filter((w) => mine.has(w));
    const distance = Math.abs((typeof doc.publishedAt === 'number' ? doc.publishedAt : at) - at);
    return { doc, shared, distance };
  })
    .filter((r) => r.shared.length >= MIN_SHARED)
    .sort((x, y) => y.shared.length - x.shared.length || x.distance - y.distance || (String(x.doc.id) < String(y.doc.id) ? -1 : 1))
    .slice(0, RELATED_SHOWN);
  const shown = (w: string) => inScript(w, script === 'hant' ? 'hant' : 'hans');
  return {
    id,
    window,
    related: ranked.map(({ doc, shared }) => ({
      id: String(doc.id),
      title: inScript(String(doc.title ?? ''), script),
      url: String(doc.url ?? ''),
      outlet: { id: String(doc.outlet ?? ''), name: String(doc.outletName ?? '') },
      publishedAt: typeof doc.publishedAt === 'number' ? new Date(doc.publishedAt).toISOString() : null,
      shared: shared.map(shown),
    })),
    partial: answer.missing.length > 0,
    ...(answer.missing.length ? { missing: answer.missing } : {}),
  };
}
