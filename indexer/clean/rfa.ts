// RFA: inline image blocks whose captions repeat the image's alt text, zoom icons, related-story
// link lists. (Its staff-credit line is in common.ts: other outlets republish RFA.)
import type { CleanRules } from './rules.js';

export const rfaRules: CleanRules = {
  remove: ['.image-inline', '.image-caption', '#zoomattribute', 'ul:has(> li > b > a.external-link)', 'ul:has(> li > a.external-link)'],
  dropParagraphs: [],
};
