// The streaming decision of a full reindex (indexer/reindex/stream-decision.ts), without
// Meilisearch: stories are held until the first payload is due, then streamed if that happens
// early on a corpus big enough for two payloads, else held back until grouping.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StreamDecision } from '../../indexer/reindex/stream-decision.js';

const KB = 1024;
const stories = (ids: string[], bytes: number) => ids.map((id) => ({ id, bytes }));

describe('the streaming decision', () => {
  it('holds stories until the first payload is due, deciding nothing', () => {
    const d = new StreamDecision({ batchBytes: 100 * KB, firstPayloadBytes: 10 * KB });
    assert.deepEqual(d.due(stories(['a', 'b'], 4 * KB), { files: 2, totalFiles: 100 }), { send: [], enqueue: false, withdraw: [] });
    assert.equal(d.mode, 'undecided');
  });

  it('streams when the first payload is due early and the corpus fills two payloads: the held stories go at once', () => {
    const d = new StreamDecision({ batchBytes: 100 * KB, firstPayloadBytes: 10 * KB, streamShare: 1 });
    d.due(stories(['a', 'b'], 4 * KB), { files: 2, totalFiles: 100 });
    // 12 KB after 3 of 100 files: 400 KB projected, at least two payloads of 100 KB.
    assert.deepEqual(d.due(stories(['c'], 4 * KB), { files: 3, totalFiles: 100 }), { send: ['a', 'b', 'c'], enqueue: true, withdraw: [] });
    assert.equal(d.mode, 'streaming');
    assert.deepEqual(d.due(stories(['d'], 1 * KB), { files: 90, totalFiles: 100 }), { send: ['d'], enqueue: false, withdraw: [] });
    assert.deepEqual(d.end(), []);
  });

  it('streams only its share of the corpus projected so far; the rest waits for grouping', () => {
    const d = new StreamDecision({ batchBytes: 100 * KB, firstPayloadBytes: 10 * KB, streamShare: 0.1 });
    // The first payload goes whatever the share: 12 KB after 3 of 100 files.
    assert.deepEqual(d.due(stories(['a', 'b', 'c'], 4 * KB), { files: 3, totalFiles: 100 }).send, ['a', 'b', 'c']);
    // 16 more of 4 KB after 20 of 100 files: 76 KB due, 380 KB projected, a share of 38 KB, of
    // which 12 KB are sent: six more fit (36 KB), the other ten wait.
    const ids = 'defghijklmnopqrs'.split('');
    const step = d.due(stories(ids, 4 * KB), { files: 20, totalFiles: 100 });
    assert.equal(d.mode, 'streaming');
    assert.deepEqual(step, { send: ids.slice(0, 6), enqueue: false, withdraw: ids.slice(6) });
    // Once the share is sent, every later story waits, however small.
    assert.deepEqual(d.due(stories(['t'], 1), { files: 99, totalFiles: 100 }), { send: [], enqueue: false, withdraw: ['t'] });
  });

  it('refuses a share outside 0 to 1', () => {
    assert.throws(() => new StreamDecision({ batchBytes: KB, streamShare: 1.5 }), /streamShare must be within 0 and 1, got 1.5/);
  });

  it('holds back when the first payload is due only after half the files, however big the corpus', () => {
    // 12 KB after 51 of 100 files: 23.5 KB projected, two payloads of 10 KB, but late.
    const d = new StreamDecision({ batchBytes: 10 * KB });
    assert.deepEqual(d.due(stories(['a', 'b', 'c'], 4 * KB), { files: 51, totalFiles: 100 }), {
      send: [],
      enqueue: false,
      withdraw: ['a', 'b', 'c'],
    });
    assert.equal(d.mode, 'holding');
    assert.deepEqual(d.due(stories(['d'], 4 * KB), { files: 60, totalFiles: 100 }), { send: [], enqueue: false, withdraw: ['d'] });
  });

  it('holds back when the corpus projects to less than two payloads', () => {
    const d = new StreamDecision({ batchBytes: 100 * KB, firstPayloadBytes: 10 * KB });
    // 12 KB after 10 of 20 files: early enough, but 24 KB projected, less than two payloads.
    assert.deepEqual(d.due(stories(['a', 'b', 'c'], 4 * KB), { files: 10, totalFiles: 20 }).withdraw, ['a', 'b', 'c']);
    assert.equal(d.mode, 'holding');
  });

  it('a first payload larger than one payload is one payload', () => {
    const d = new StreamDecision({ batchBytes: 8 * KB });
    assert.equal(d.due(stories(['a', 'b'], 4 * KB), { files: 1, totalFiles: 100 }).enqueue, true);
  });

  it('a scan that ends undecided withdraws what it held', () => {
    const d = new StreamDecision({ batchBytes: 100 * KB, firstPayloadBytes: 10 * KB });
    d.due(stories(['a', 'b'], 4 * KB), { files: 2, totalFiles: 3 });
    assert.deepEqual(d.end(), ['a', 'b']);
    assert.equal(d.mode, 'undecided');
  });
});
