// China Digital Times (WordPress): AddToAny share block, WordPress embeds and captions, the
// footer with copyright, post tags (kept as tags, removed from text) and "Feed enhanced by …".
import type { CleanRules } from './rules.js';

export const cdtRules: CleanRules = {
  remove: [
    '.addtoany_share_save_container',
    '.addtoany_content',
    '.a2a_kit',
    '.wp-embedded-content',
    'blockquote.wp-embedded-content',
    '.wp-caption',
    '.wp-caption-text',
    '.wp-block-embed',
    '[class*="ytd-"]',
    '.fb-video',
    '.fb-xfbml-parse-ignore',
    'p:has(> small > a[href*="planetozh.com"])',
    'p:has(> small > a[rel="tag"])',
  ],
  dropParagraphs: [/^Feed enhanced by/i, /^©.*for 中国数字时代/, /^Post tags:/i],
};
