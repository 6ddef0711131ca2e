// What a story is about, extracted at index time from its canonical text (never the original:
// on traditional text jieba tags 後 and 施政 as names): its keywords (jieba's TF-IDF: a word's
// occurrences times its inverse document frequency in jieba's table) and the people, places and
// organizations it names. One jieba pass tags the words; a name counts only when jieba cuts it
// whole and it is on our lists (core/entities/), so 本周庭审 does not name 周庭. People are
// stored as people only; places and organizations are also keywords (立法会, 台湾 say what a story is about).
import type { Jieba } from '@node-rs/jieba';
import { idf as idfTable } from '@node-rs/jieba/dict.js';
import { ENTITY_KINDS, ENTITY_TAGS, loadEntityNames, type EntityKind, type NamedEntity } from '../entities/names.js';
import { jiebaWith, listLines, segmenterWords } from './jieba.js';

/** Keywords kept per story: the terms of a search are drawn from these (server/search/terms.ts). */
export const KEYWORDS_PER_STORY = 20;
/** Names of each kind kept per story, the most mentioned first. */
export const NAMES_PER_STORY = 20;
/**
 * Our words' frequency in the extraction's segmenter: enough to keep a listed name whole, low
 * enough not to cut it out of other words (at 20,000, 本周庭审 became 本/周庭/审).
 */
const OWN_WORD_FREQUENCY = 1000;
/** A title word counts as this many occurrences in the body: the title says what the story is about. */
const TITLE_WEIGHT = 3;
/**
 * jieba's tags a keyword may have: nouns (n, nz, vn, an, and names) and verbs (v), idioms and
 * set phrases (i, l) and abbreviations (j). Not pronouns, adverbs, numbers, time words, particles.
 */
const KEYWORD_TAGS = new Set(['n', 'nr', 'nrt', 'nrfg', 'ns', 'nt', 'nz', 'vn', 'an', 'v', 'i', 'l', 'j']);
/** Two Han characters or more: no single characters, numbers or Latin words. */
const HAN_WORD = /^\p{Script=Han}{2,}$/u;

export interface ExtractedTerms {
  keywords: string[];
  people: string[];
  places: string[];
  organizations: string[];
}

interface Extractor {
  jieba: Jieba;
  names: Map<string, NamedEntity>;
  idf: Map<string, number>;
  medianIdf: number;
  stopWords: Set<string>;
}

// Built on first use (about a second): only the processes that prepare documents need it.
let extractor: Extractor | undefined;

function load(): Extractor {
  if (extractor) return extractor;
  const names = loadEntityNames();
  const words = segmenterWords().map((word) => ({ word, tag: 'n', frequency: OWN_WORD_FREQUENCY }));
  for (const [surface, entity] of names) words.push({ word: surface, tag: ENTITY_TAGS[entity.kind], frequency: OWN_WORD_FREQUENCY });
  const idf = new Map<string, number>();
  for (const line of new TextDecoder().decode(idfTable).split('\n')) {
    const space = line.lastIndexOf(' ');
    if (space > 0) idf.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  const sorted = [...idf.values()].sort((a, b) => a - b);
  extractor = {
    jieba: jiebaWith(words),
    names,
    idf,
    // jieba's own rule for words its table lacks.
    medianIdf: sorted[Math.floor(sorted.length / 2)] ?? 0,
    stopWords: new Set(listLines('core/text/stop-words.txt').map((l) => l.text)),
  };
  return extractor;
}

/** Keywords and names of a story, from its canonical title and body. */
export function extractTerms(canonicalTitle: string, canonicalBody: string): ExtractedTerms {
  const x = load();
  const weights = new Map<string, number>();
  const mentions: Record<EntityKind, Map<string, number>> = { people: new Map(), places: new Map(), organizations: new Map() };
  const read = (text: string, weight: number) => {
    for (const { word, tag } of x.jieba.tag(text, false)) {
      if (!HAN_WORD.test(word)) continue;
      const entity = x.names.get(word);
      if (entity) mentions[entity.kind].set(entity.name, (mentions[entity.kind].get(entity.name) ?? 0) + weight);
      // A person is one of the story's people, not a keyword: the people facet lists them, and a
      // name would take a keyword's place in the words that stand out.
      if (entity?.kind === 'people') continue;
      if ((entity || KEYWORD_TAGS.has(tag)) && !x.stopWords.has(word)) {
        // A place's or organization's keyword is its listed name, so that 港府 and 香港政府 are one term.
        const key = entity?.name ?? word;
        weights.set(key, (weights.get(key) ?? 0) + weight * (x.idf.get(key) ?? x.medianIdf));
      }
    }
  };
  read(canonicalTitle, TITLE_WEIGHT);
  read(canonicalBody, 1);
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, n)
      .map(([w]) => w);
  const out: ExtractedTerms = { keywords: top(weights, KEYWORDS_PER_STORY), people: [], places: [], organizations: [] };
  for (const kind of ENTITY_KINDS) out[kind] = top(mentions[kind], NAMES_PER_STORY);
  return out;
}
