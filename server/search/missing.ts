// The instances of a network missing from a search's answers (a search may ask several times):
// each named once, and the answer's `partial` and `missing` fields from them.
import type { MissingInstance } from './backend.js';
import type { SearchResult } from './search-result.js';

export class Missing {
  readonly #byName = new Map<string, MissingInstance>();

  add(list: MissingInstance[]): void {
    for (const m of list) if (!this.#byName.has(m.instance)) this.#byName.set(m.instance, m);
  }

  fields(): Pick<SearchResult, 'partial' | 'missing'> {
    return this.#byName.size ? { partial: true, missing: [...this.#byName.values()] } : { partial: false };
  }
}
