// Stories sent while parsing (indexer/reindex/provisional.ts): whatever order articles arrive
// in and however they finally group, sending, removing and adding what reconcile() says leaves
// exactly one document per story, its representative, listing its copies.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { preferred, type Fingerprint, type Group } from '../../../indexer/dedupe/group.js';
import { ProvisionalStories } from '../../../indexer/reindex/provisional.js';

const article = (id: string, titleKey: string, day: number | null, length: number): Fingerprint => ({
  id,
  url: `https://example.org/${id}`,
  outlet: 'hkcnews',
  day,
  titleKey,
  length,
  updated: 0,
  signature: undefined,
});

/** What the index holds after the run: sent while parsing, minus removed, plus sent after. */
function indexAfter(arrivals: Fingerprint[], groups: Group[], lag: number): Set<string> {
  const stories = new ProvisionalStories(lag);
  const sent: string[] = [];
  arrivals.forEach((a, i) => {
    stories.arrived(a, i + 1);
    sent.push(...stories.due(i + 1));
  });
  const plan = stories.reconcile(groups);
  const held = new Set(sent);
  for (const id of plan.remove) assert.ok(held.delete(id), `${id} removed but never sent`);
  for (const g of plan.send) {
    assert.ok(!held.has(g.representative.id), `${g.representative.id} sent twice`);
    held.add(g.representative.id);
  }
  for (const g of plan.addCopies) assert.ok(held.has(g.representative.id) && g.copies.length > 0);
  const withCopies = groups
    .filter((g) => g.copies.length > 0)
    .map((g) => g.representative.id)
    .sort();
  const listed = [...plan.addCopies, ...plan.send.filter((g) => g.copies.length > 0)].map((g) => g.representative.id).sort();
  assert.deepEqual(listed, withCopies, 'every story with copies gets its copy list');
  return held;
}

describe('stories sent while parsing', () => {
  it("sends a story's best copy once `lag` more files came without a better one; a sent copy that loses is removed after grouping", () => {
    const a = article('a', '标题', 100, 500);
    const b = article('b', '标题', 101, 900);
    const c = article('c', '标题', 100, 300);
    const other = article('d', '标题', 110, 400); // same title, ten days later: another story
    const late = article('e', '标题', 100, 2000);
    const stories = new ProvisionalStories(2);
    const sent = [a, b, c, other, undefined, undefined, late].map((x, i) => {
      if (x) stories.arrived(x, i + 1);
      return stories.due(i + 1);
    });
    // a is replaced by b within the lag and never sent; b is sent two files after it came.
    assert.deepEqual(sent, [[], [], [], ['b'], [], ['d'], []]);
    const plan = stories.reconcile([
      { representative: late, copies: [a, b, c] },
      { representative: other, copies: [] },
    ]);
    assert.deepEqual(plan.remove, ['b']);
    assert.deepEqual(
      plan.send.map((g) => g.representative.id),
      ['e'],
    );
    assert.deepEqual(plan.addCopies, []);
  });

  it('any arrival order and any final grouping end with exactly the representatives', () => {
    const arb = fc
      .array(
        fc.record({
          title: fc.constantFrom('x', 'y', 'z'),
          day: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }),
          length: fc.integer({ min: 1, max: 50 }),
          group: fc.integer({ min: 0, max: 6 }),
        }),
        { minLength: 1, maxLength: 40 },
      )
      .chain((items) =>
        fc.tuple(
          fc.constant(items),
          fc.shuffledSubarray(
            items.map((_, i) => i),
            { minLength: items.length, maxLength: items.length },
          ),
          fc.integer({ min: 0, max: 5 }),
        ),
      );
    fc.assert(
      fc.property(arb, ([items, order, lag]) => {
        const all = items.map((it, i) => article(`id${i}`, it.title, it.day, it.length));
        // A final grouping that need not agree with titles or days (grouping uses bodies too).
        const byGroup = new Map<number, Fingerprint[]>();
        for (const [i, it] of items.entries()) byGroup.set(it.group, [...(byGroup.get(it.group) ?? []), all[i]!]);
        const groups: Group[] = [...byGroup.values()].map((members) => {
          const [representative, ...copies] = [...members].sort(preferred);
          return { representative: representative!, copies };
        });
        const held = indexAfter(
          order.map((i) => all[i]!),
          groups,
          lag,
        );
        assert.deepEqual([...held].sort(), groups.map((g) => g.representative.id).sort());
      }),
      { numRuns: 300, seed: 20261127 },
    );
  });
});
