// RFI: share buttons with inline SVG, newsletter/app self-promos, AFP copyright line.
import type { CleanRules } from './rules.js';

export const rfiRules: CleanRules = {
  remove: [
    '.t-copyright',
    '.o-self-promo',
    '[data-selfpromo-newsletter]',
    '[data-selfpromo-app]',
    '[data-root-share]',
    'share-button',
    'share-modal',
    'a[href*="facebook.com/dialog/share"]',
    'a[href^="whatsapp:"]',
    'a[href*="web.whatsapp.com"]',
    'a[href*="twitter.com/intent"]',
    'a[href*="linkedin.com/share"]',
    'a[href^="mailto:?"]',
  ],
  dropParagraphs: [/^©\s*\d{4}\s*(?:AFP|Reuters|路透社|法新社)?\s*$/i],
};
