// What a story's page lists of its other copies (the same story under other URLs): for each its
// outlet, day and title, the URL as the link, in the reader's script. Copies share the story's
// outlet (indexer/dedupe/group.ts), so that is the outlet shown.
import type { ArticleJson } from '../search/article.js';
import { inScript } from '../search/display.js';
import type { DisplayScript } from '../search/params.js';
import { outletLabel, publicationDay } from './labels.js';

export interface CopyView {
  href: string;
  /** The copy's title, or its URL made readable when the index did not keep the title. */
  title: string;
  outlet: string;
  publishedAt: string | null;
  /** The UTC+8 day, or undefined when the copy is undated or its date was not kept. */
  day?: string;
}

/** A URL with its percent-escapes decoded, for an index that kept no title: the reader sees words, not %E9%A6. */
function readable(url: string): string {
  try {
    return decodeURI(url);
  } catch {
    return url;
  }
}

export function copyViews(article: Pick<ArticleJson, 'outlet' | 'alsoPublishedAs'>, script: DisplayScript): CopyView[] {
  const outlet = outletLabel(article.outlet, script);
  return article.alsoPublishedAs.map((c) => ({
    href: c.url,
    title: c.title === null ? readable(c.url) : inScript(c.title, script),
    outlet,
    publishedAt: c.publishedAt,
    day: publicationDay(c.publishedAt),
  }));
}
