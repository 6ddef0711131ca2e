// The lists of people, places and organizations that extraction accepts (people.txt, places.txt,
// organizations.txt beside this file): each line a name in canonical form, then other names the
// text may use for it. Read once, checked: every name must already be canonical (it is matched
// against canonical text) and belong to one entry only.
import { toCanonical } from '../text/normalize.js';
import { listLines } from '../text/jieba.js';

export const ENTITY_KINDS = ['people', 'places', 'organizations'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** jieba's part-of-speech tag of each kind. */
export const ENTITY_TAGS: Record<EntityKind, string> = { people: 'nr', places: 'ns', organizations: 'nt' };

export interface NamedEntity {
  kind: EntityKind;
  /** The name shown and stored. */
  name: string;
}

/** Every name and alias → the entity it names. Throws with the file and line of a bad entry. */
export function loadEntityNames(): Map<string, NamedEntity> {
  const names = new Map<string, NamedEntity>();
  for (const kind of ENTITY_KINDS) {
    const file = `core/entities/${kind}.txt`;
    for (const { line, text } of listLines(file)) {
      const [name, ...aliases] = text.split(/\s+/);
      for (const surface of [name!, ...aliases]) {
        const where = `${file} line ${line}`;
        if (Array.from(surface).length < 2) throw new Error(`${where}: "${surface}" is shorter than two characters`);
        if (toCanonical(surface) !== surface) {
          throw new Error(`${where}: "${surface}" is not in canonical form; write "${toCanonical(surface)}"`);
        }
        const earlier = names.get(surface);
        if (earlier) throw new Error(`${where}: "${surface}" is already a name of ${earlier.name} (${earlier.kind})`);
        names.set(surface, { kind, name: name! });
      }
    }
  }
  return names;
}
