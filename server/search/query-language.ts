// The boolean structure of a query (docs/searching.md, "Query syntax"): words and "phrases" side
// by side must all occur (AND), OR between them offers alternatives, parentheses group, and a
// minus (or NOT) excludes a word, a phrase or a group. AND binds tighter than OR, as in Lucene,
// Factiva and Media Cloud: `a b OR c` is (a b) OR c. Operators are OR, AND and NOT in capitals, and
// 或 standing alone (a single character is never a searchable word, so nothing is lost).
//
// The query is read into a tree, exclusions are pushed down to the words (De Morgan), and the tree
// is expanded into alternatives, each a list of words that must occur or must not: the stories
// that match are those of any alternative (query.ts turns the words into terms, plan.ts each
// alternative into one Meilisearch query of one federated search). Syntax a reader may get wrong
// (a parenthesis without its partner, OR with nothing on one side) is read leniently, with a note.
// A query whose expansion would pass MAX_ALTERNATIVES, or that nests groups deeper than
// MAX_GROUP_DEPTH, is refused before any search (QueryTooComplex).
import type { QueryNote } from '../api/responses.js';
import { InvalidParameter } from '../errors.js';

/** Alternatives after expanding groups, at most: each is one Meilisearch query (per shard on a network). */
export const MAX_ALTERNATIVES = 12;
/** Groups inside groups, at most: `((a OR b) c) OR d` nests two deep. */
export const MAX_GROUP_DEPTH = 3;

/** A query past MAX_ALTERNATIVES or MAX_GROUP_DEPTH (400); the message names the limit and by how much. */
export class QueryTooComplex extends InvalidParameter {
  override name = 'QueryTooComplex';
  readonly max: number;
  constructor(
    readonly limit: 'alternatives' | 'depth',
    readonly found: number,
  ) {
    const max = limit === 'alternatives' ? MAX_ALTERNATIVES : MAX_GROUP_DEPTH;
    super(
      'q',
      limit === 'alternatives'
        ? `q has ${found} alternatives after expanding groups; at most ${max} (${found - max} too many)`
        : `q nests groups ${found} deep; at most ${max} (${found - max} too deep)`,
    );
    this.max = max;
  }
}

/** A word or phrase as typed (canonical script), with its sign. */
export interface Literal {
  text: string;
  phrase: boolean;
  exclude: boolean;
}

export type BooleanNode = { kind: 'literal'; literal: Literal } | { kind: 'and' | 'or'; items: BooleanNode[] };

type Token =
  | { kind: 'word'; text: string; phrase: boolean; exclude: boolean }
  | { kind: 'open'; exclude: boolean }
  | { kind: 'close' }
  | { kind: 'or' }
  | { kind: 'and' }
  | { kind: 'not' };

const QUOTES: Record<string, string> = { '"': '"', '“': '”', '「': '」', '『': '』', '”': '”' };
const OPEN = new Set(['(', '（']);
const CLOSE = new Set([')', '）']);
const OPERATORS: Record<string, 'or' | 'and' | 'not'> = { OR: 'or', 或: 'or', AND: 'and', NOT: 'not' };

/** Splits the canonical query into words, phrases, parentheses and operators, with minus signs. */
function tokenize(q: string, notes: QueryNote[]): Token[] {
  const tokens: Token[] = [];
  const chars = Array.from(q);
  // Separators: whitespace, and punctuation or symbols that are not quotes, parentheses or a leading minus.
  const isSeparator = (c: string) => /[\s\p{P}\p{S}]/u.test(c) && !(c in QUOTES) && c !== '-' && !OPEN.has(c) && !CLOSE.has(c);
  const isBoundary = (c: string) => isSeparator(c) || c in QUOTES || OPEN.has(c) || CLOSE.has(c);
  let i = 0;
  while (i < chars.length) {
    const c = chars[i]!;
    if (isSeparator(c)) {
      i++;
      continue;
    }
    if (CLOSE.has(c)) {
      tokens.push({ kind: 'close' });
      i++;
      continue;
    }
    let exclude = false;
    let at = i;
    if (c === '-') {
      const next = chars[i + 1];
      if (next === undefined || isSeparator(next) || next === '-' || CLOSE.has(next)) {
        i++; // a lone minus is not an operator on anything
        continue;
      }
      exclude = true;
      at = i + 1;
    }
    const open = chars[at]!;
    if (OPEN.has(open)) {
      tokens.push({ kind: 'open', exclude });
      i = at + 1;
      continue;
    }
    if (open in QUOTES) {
      const close = QUOTES[open]!;
      let end = at + 1;
      while (end < chars.length && chars[end] !== close && !(close === '”' && chars[end] === '"')) end++;
      if (end >= chars.length)
        notes.push({ code: 'unbalanced_quote', message: 'unbalanced quote: the phrase runs to the end of the query' });
      tokens.push({ kind: 'word', text: chars.slice(at + 1, end).join(''), phrase: true, exclude });
      i = end + 1;
      continue;
    }
    let end = at;
    while (end < chars.length && !isBoundary(chars[end]!)) end++;
    const text = chars.slice(at, end).join('');
    const operator = exclude ? undefined : OPERATORS[text];
    tokens.push(operator ? { kind: operator } : { kind: 'word', text, phrase: false, exclude });
    i = end;
  }
  return tokens;
}

/** Recursive descent over the tokens: or := and (OR and)*; and := item+; item := [-|NOT] (word | '(' or ')'). */
class Reader {
  #at = 0;
  constructor(
    readonly tokens: Token[],
    readonly notes: QueryNote[],
  ) {}

  get done(): boolean {
    return this.#at >= this.tokens.length;
  }

  #peek(): Token | undefined {
    return this.tokens[this.#at];
  }

  /** Alternatives separated by OR; an OR with nothing on one side is left out, with a note. */
  or(depth: number): BooleanNode | undefined {
    const items: BooleanNode[] = [];
    let dangling = false;
    for (;;) {
      const side = this.and(depth);
      if (side) items.push(side);
      else if (items.length > 0 || this.#peek()?.kind === 'or') dangling = true;
      if (this.#peek()?.kind !== 'or') break;
      this.#at++;
    }
    if (dangling) this.#note('dangling_or', 'OR needs words on both sides: the OR without them was left out');
    return items.length > 1 ? { kind: 'or', items } : items[0];
  }

  /** Words and groups side by side, until OR, a closing parenthesis or the end. */
  and(depth: number): BooleanNode | undefined {
    const items: BooleanNode[] = [];
    let negate = false;
    for (let token = this.#peek(); token && token.kind !== 'or' && token.kind !== 'close'; token = this.#peek()) {
      this.#at++;
      if (token.kind === 'and') continue;
      if (token.kind === 'not') {
        negate = true;
        continue;
      }
      let node: BooleanNode | undefined;
      if (token.kind === 'word') node = { kind: 'literal', literal: { text: token.text, phrase: token.phrase, exclude: token.exclude } };
      else {
        if (depth + 1 > MAX_GROUP_DEPTH) {
          throw new QueryTooComplex('depth', depth + 1);
        }
        node = this.or(depth + 1);
        if (this.#peek()?.kind === 'close') this.#at++;
        else this.#note('unbalanced_parenthesis', 'a parenthesis was not closed: the group runs to the end of the query');
        if (!node) this.#note('empty_group', 'a pair of parentheses held nothing to search and was left out');
        if (node && token.exclude) node = negated(node);
      }
      if (node) items.push(negate ? negated(node) : node);
      negate = false;
    }
    return items.length > 1 ? { kind: 'and', items } : items[0];
  }

  /** A closing parenthesis with no opening one: left out. */
  skipClose(): void {
    this.#at++;
    this.#note('unbalanced_parenthesis', 'a closing parenthesis without an opening one was left out');
  }

  #note(code: QueryNote['code'], message: string): void {
    if (!this.notes.some((n) => n.code === code)) this.notes.push({ code, message });
  }
}

/** NOT pushed down to the words: NOT (a OR b) = -a -b; NOT (a b) = -a OR -b. */
function negated(node: BooleanNode): BooleanNode {
  if (node.kind === 'literal') return { kind: 'literal', literal: { ...node.literal, exclude: !node.literal.exclude } };
  return { kind: node.kind === 'and' ? 'or' : 'and', items: node.items.map(negated) };
}

/** Nested ANDs and ORs of the same kind flattened; a node of one item is that item. */
function flattened(node: BooleanNode): BooleanNode {
  if (node.kind === 'literal') return node;
  const items = node.items.map(flattened).flatMap((n) => (n.kind === node.kind ? (n as { items: BooleanNode[] }).items : [n]));
  return items.length === 1 ? items[0]! : { kind: node.kind, items };
}

/**
 * The tree without the words that cannot be searched (`searchable` false: a single Han character,
 * only punctuation): as if they had not been typed. Undefined when nothing is left.
 */
export function withoutUnsearchable(node: BooleanNode, searchable: (l: Literal) => boolean): BooleanNode | undefined {
  if (node.kind === 'literal') return searchable(node.literal) ? node : undefined;
  const items = node.items.map((n) => withoutUnsearchable(n, searchable)).filter((n) => n !== undefined);
  if (items.length === 0) return undefined;
  return items.length === 1 ? items[0] : { kind: node.kind, items };
}

/** How many alternatives the tree expands into, before duplicates are merged (cheap: no expansion). */
function alternativeCount(node: BooleanNode): number {
  if (node.kind === 'literal') return 1;
  const counts = node.items.map(alternativeCount);
  return node.kind === 'or' ? counts.reduce((a, b) => a + b, 0) : counts.reduce((a, b) => a * b, 1);
}

const keyOf = (l: Literal) => `${l.exclude ? '-' : '+'}${l.phrase ? '"' : ''}${l.text}`;

/**
 * The alternatives of the tree: lists of words, any one of which a story may satisfy. Duplicates
 * are merged and an alternative that contains all the words of another is dropped (it adds no
 * story: `a OR (a b)` is a).
 */
export function alternativesOf(node: BooleanNode): Literal[][] {
  const count = alternativeCount(node);
  const tooMany = (n: number) => new QueryTooComplex('alternatives', n);
  // Expanding a huge product only to count it would be the work the limit is there to prevent.
  if (count > 4 * MAX_ALTERNATIVES) throw tooMany(count);
  const expand = (n: BooleanNode): Literal[][] => {
    if (n.kind === 'literal') return [[n.literal]];
    const parts = n.items.map(expand);
    if (n.kind === 'or') return parts.flat();
    return parts.reduce<Literal[][]>((acc, part) => acc.flatMap((a) => part.map((b) => [...a, ...b])), [[]]);
  };
  const sets = expand(node).map((alt) => {
    const byKey = new Map(alt.map((l) => [keyOf(l), l]));
    return { keys: new Set(byKey.keys()), literals: [...byKey.values()] };
  });
  const kept = sets.filter(
    (a, i) =>
      !sets.some(
        (b, j) =>
          j !== i &&
          [...b.keys].every((k) => a.keys.has(k)) &&
          // Of two equal alternatives the first is kept.
          (b.keys.size < a.keys.size || j < i),
      ),
  );
  if (kept.length > MAX_ALTERNATIVES) throw tooMany(kept.length);
  return kept.map((a) => a.literals);
}

/** The query's tree (flattened; exclusions on the words); undefined when it has no word at all. */
export function readBoolean(normalized: string, notes: QueryNote[]): BooleanNode | undefined {
  const reader = new Reader(tokenize(normalized, notes), notes);
  const items: BooleanNode[] = [];
  while (!reader.done) {
    const node = reader.or(0);
    if (node) items.push(node);
    if (!reader.done) reader.skipClose();
  }
  if (items.length === 0) return undefined;
  return flattened(items.length === 1 ? items[0]! : { kind: 'and', items });
}

/** Whether the tree offers alternatives (has an OR): then the answer shows how it was read. */
export function hasAlternatives(node: BooleanNode | undefined): boolean {
  return node !== undefined && node.kind !== 'literal' && (node.kind === 'or' || node.items.some(hasAlternatives));
}
