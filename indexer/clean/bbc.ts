// BBC: ad slots (aria-label="广告 2"), image blocks with "图像来源" credits and captions, the
// relative timestamp ("31 分钟前"), and related-story link lists.
import type { CleanRules } from './rules.js';

export const bbcRules: CleanRules = {
  remove: [
    'section[aria-label^="广告"]',
    '[data-e2e="advertisement"]',
    '.dotcom-ad',
    '[class*="Figure-"]',
    '[class*="ImagePlaceholder"]',
    '[class*="Copyright-"]',
    '[class*="VisuallyHiddenText"]',
    'time',
    '[class*="StyledTimestamp"]',
    '[class*="lazyload"]',
    // "相关报道" lists: each item is only a link to another story
    'ul[role="list"]:has(> li > a[href*="bbc.com"]):not(:has(> li:not(:has(> a))))',
  ],
  dropParagraphs: [/^图像来源[，,]/, /^\d+\s*(?:分钟|小时|天)前$/],
};
