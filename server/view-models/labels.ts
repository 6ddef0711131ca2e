// What the pages write for an article's outlet, topics and day: the same label in a result, the
// sidebar, a chip and the article page, in the reader's script (facet labels come from
// server/search/facets.ts, which names outlets the same way).
import { OUTLET_NAMES } from '../../core/outlets.js';
import { inScript } from '../search/display.js';
import type { DisplayScript } from '../search/params.js';

/** The outlet's display name: the known outlet's own, else the name stored with the article. */
export function outletLabel(outlet: { id: string; name: string }, script: DisplayScript): string {
  return inScript(OUTLET_NAMES.get(outlet.id) ?? outlet.name, script);
}

/** Topics are stored in simplified script (core/topics.ts) and shown in the reader's. */
export function topicLabel(topic: string, script: DisplayScript): string {
  return inScript(topic, script);
}

/** Hong Kong and Beijing time: the calendar day the from/to parameters and the facets count in. */
const UTC8_MS = 8 * 3_600_000;

/** `YYYY-MM-DD` of a publication time in UTC+8, or undefined for an undated article. */
export function publicationDay(iso: string | null | undefined): string | undefined {
  return iso ? new Date(Date.parse(iso) + UTC8_MS).toISOString().slice(0, 10) : undefined;
}
