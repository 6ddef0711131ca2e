// What an outlet's cleaner is made of: elements to delete before extracting text, and
// paragraphs that are boilerplate once extracted. Each outlet's file holds only its own quirks.

export interface CleanRules {
  /** CSS selectors (cheerio) of elements that are never article text. */
  remove: string[];
  /** Extracted paragraphs matching any of these are boilerplate and dropped. */
  dropParagraphs: RegExp[];
}

export function mergeRules(...rules: CleanRules[]): CleanRules {
  return {
    remove: rules.flatMap((r) => r.remove),
    dropParagraphs: rules.flatMap((r) => r.dropParagraphs),
  };
}
