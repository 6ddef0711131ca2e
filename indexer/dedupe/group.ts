// Near-duplicate grouping: the same story saved under several URLs (an author box added, a
// paragraph edited) becomes one group, and search shows one representative per group.
//
// Two articles are copies when all of these hold:
//   - same outlet;
//   - same or adjacent publication day (UTC+8), or both undated;
//   - canonical titles equal, or nearly so (character-bigram Dice ≥ TITLE_NEAR);
//   - bodies alike: with equal titles, 5-character-shingle Jaccard similarity (MinHash estimate)
//     ≥ BODY_SAME_TITLE, or the shorter body contained in the longer one (≥ CONTAINED, so an
//     updated story that doubled in length still joins its first version); with titles only
//     nearly equal, Jaccard ≥ BODY_NEAR_TITLE.
// Candidates come from buckets, never from all pairs: (outlet, title) and LSH bands of the body
// signature (16 bands of 4 slots). Groups are the connected components of the copy relation, so
// they do not depend on input order.
import { toCanonical } from '../../core/text/normalize.js';
import { minhash, similarity, SIGNATURE_SIZE } from './minhash.js';

export const BODY_SAME_TITLE = 0.5;
export const BODY_NEAR_TITLE = 0.8;
export const CONTAINED = 0.8;
export const TITLE_NEAR = 0.8;
const BANDS = 16;
const ROWS = SIGNATURE_SIZE / BANDS;
/**
 * Body-band buckets bigger than this hold boilerplate-like bodies, not copies, and are skipped.
 * Title buckets have no cap: their pairs are limited by the two-day window.
 */
const MAX_BAND_BUCKET = 200;
const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3600_000;

export interface Fingerprint {
  id: string;
  url: string;
  outlet: string;
  /** Day number in UTC+8, or null when undated. */
  day: number | null;
  titleKey: string;
  /** Body length in characters: "most complete" means longest. */
  length: number;
  /** Last update (or publication) time, epoch ms, for ties. */
  updated: number;
  signature: Float64Array | undefined;
  /**
   * What a story's page shows of it as a copy: its title as written and its publication time
   * (epoch ms, null when undated). Not compared; absent in states written before they were kept.
   */
  title?: string;
  published?: number | null;
}

export interface FingerprintSource {
  id: string;
  url: string;
  outlet: { id: string };
  title: string;
  body: string;
  publishedAt: string | null;
  updatedAt?: string;
}

/** Letters and digits of the canonical title, lower-cased: punctuation and spacing differ between copies. */
export function titleKey(title: string): string {
  return toCanonical(title)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

export function fingerprint(a: FingerprintSource, canonicalBody?: string): Fingerprint {
  const published = a.publishedAt === null ? null : Date.parse(a.publishedAt);
  return {
    id: a.id,
    url: a.url,
    outlet: a.outlet.id,
    day: published === null ? null : Math.floor((published + CHINA_OFFSET_MS) / DAY_MS),
    titleKey: titleKey(a.title),
    length: Array.from(a.body).length,
    updated: a.updatedAt ? Date.parse(a.updatedAt) : (published ?? 0),
    signature: minhash(canonicalBody ?? toCanonical(a.body)),
    title: a.title,
    published,
  };
}

function bigrams(s: string): Map<string, number> {
  const m = new Map<string, number>();
  const chars = Array.from(s);
  for (let i = 0; i + 1 < chars.length; i++) {
    const g = chars[i]! + chars[i + 1]!;
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

export function titleSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const x = bigrams(a);
  const y = bigrams(b);
  let common = 0;
  let total = 0;
  for (const [g, n] of x) {
    common += Math.min(n, y.get(g) ?? 0);
    total += n;
  }
  for (const n of y.values()) total += n;
  return total === 0 ? 0 : (2 * common) / total;
}

export function areCopies(a: Fingerprint, b: Fingerprint): boolean {
  if (a.outlet !== b.outlet) return false;
  if (a.day === null || b.day === null ? a.day !== b.day : Math.abs(a.day - b.day) > 1) return false;
  if (!a.signature || !b.signature) return false;
  const sameTitle = a.titleKey === b.titleKey && a.titleKey.length > 0;
  if (!sameTitle && titleSimilarity(a.titleKey, b.titleKey) < TITLE_NEAR) return false;
  const jaccard = similarity(a.signature, b.signature);
  if (!sameTitle) return jaccard >= BODY_NEAR_TITLE;
  return jaccard >= BODY_SAME_TITLE || containment(jaccard, a.length, b.length) >= CONTAINED;
}

/**
 * Share of the shorter body's shingles found in the longer one, from the Jaccard estimate and
 * the sizes: |A∩B| = J/(1+J)·(|A|+|B|). Lengths stand in for shingle counts.
 */
export function containment(jaccard: number, lengthA: number, lengthB: number): number {
  const smaller = Math.min(lengthA, lengthB);
  if (smaller === 0) return 0;
  return Math.min(1, ((jaccard / (1 + jaccard)) * (lengthA + lengthB)) / smaller);
}

/** The version search shows: the longest body; then the latest update; then the smallest id. */
export function preferred(a: Pick<Fingerprint, 'id' | 'length' | 'updated'>, b: Pick<Fingerprint, 'id' | 'length' | 'updated'>): number {
  return b.length - a.length || b.updated - a.updated || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export interface Group {
  representative: Fingerprint;
  /** The other members, by id. */
  copies: Fingerprint[];
}

export interface Grouping {
  groups: Group[];
  /** Candidate pairs examined: grows with the corpus, not with its square. */
  comparisons: number;
}

export function groupCopies(items: Fingerprint[]): Grouping {
  const parent = items.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const union = (i: number, j: number) => {
    const a = find(i);
    const b = find(j);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  };

  const buckets = new Map<string, number[]>();
  const add = (key: string, i: number) => {
    const list = buckets.get(key);
    if (list) list.push(i);
    else buckets.set(key, [i]);
  };
  items.forEach((f, i) => {
    if (f.titleKey) add(`t\u0000${f.outlet}\u0000${f.titleKey}`, i);
    if (!f.signature) return;
    for (let band = 0; band < BANDS; band++) {
      const slots = Array.from(f.signature.subarray(band * ROWS, band * ROWS + ROWS)).join(',');
      add(`b\u0000${f.outlet}\u0000${band}\u0000${slots}`, i);
    }
  });

  let comparisons = 0;
  const compared = new Set<string>();
  for (const [key, members] of buckets) {
    if (members.length < 2 || (key.startsWith('b') && members.length > MAX_BAND_BUCKET)) continue;
    // Only neighbours in time can be copies: sort by day and stop at a two-day gap.
    members.sort((x, y) => (items[x]!.day ?? -1) - (items[y]!.day ?? -1));
    for (let m = 0; m < members.length; m++) {
      const i = members[m]!;
      for (let n = m + 1; n < members.length; n++) {
        const j = members[n]!;
        const di = items[i]!.day;
        const dj = items[j]!.day;
        if (di !== null && dj !== null && dj - di > 1) break;
        if (find(i) === find(j)) continue;
        const key = i < j ? `${i},${j}` : `${j},${i}`;
        if (compared.has(key)) continue;
        compared.add(key);
        comparisons++;
        if (areCopies(items[i]!, items[j]!)) union(i, j);
      }
    }
  }

  const components = new Map<number, Fingerprint[]>();
  items.forEach((f, i) => {
    const root = find(i);
    const list = components.get(root);
    if (list) list.push(f);
    else components.set(root, [f]);
  });
  const groups: Group[] = [];
  for (const members of components.values()) {
    members.sort(preferred);
    const [representative, ...rest] = members;
    groups.push({ representative: representative!, copies: rest.sort((a, b) => (a.id < b.id ? -1 : 1)) });
  }
  groups.sort((a, b) => (a.representative.id < b.representative.id ? -1 : 1));
  return { groups, comparisons };
}
