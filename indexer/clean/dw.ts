// DW: the copyright notice (© 2020年德国之声版权声明…).
import type { CleanRules } from './rules.js';

export const dwRules: CleanRules = {
  remove: [],
  dropParagraphs: [/德国之声版权声明|德國之聲版權聲明/, /^©\s*\d{4}\s*年?\s*$/],
};
