// What the article page lists of the same event in other outlets (server/search/related.ts): each
// story's outlet, day, title as a link to its page (in the reader's script) and the words shared.
import type { RelatedAnswer } from '../api/responses.js';
import type { DisplayScript } from '../search/params.js';
import { outletLabel, publicationDay } from './labels.js';

export interface RelatedView {
  href: string;
  title: string;
  outlet: string;
  publishedAt: string | null;
  day?: string;
  shared: string;
}

export function relatedViews(answer: RelatedAnswer, script: DisplayScript): RelatedView[] {
  const qs = script === 'orig' ? '' : `?script=${script}`;
  return answer.related.map((r) => ({
    href: `/article/${encodeURIComponent(r.id)}${qs}`,
    title: r.title,
    outlet: outletLabel(r.outlet, script),
    publishedAt: r.publishedAt,
    day: publicationDay(r.publishedAt),
    shared: r.shared.join('、'),
  }));
}
