// Where a story lives on a network: the shard its id hashes to (stable, spread evenly), and the
// shards MEILI_SHARDS makes of the instances of MEILI_INSTANCES, with errors naming the variable.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../core/config.js';
import { ConfigError } from '../../core/errors.js';
import { byShard, shardOf } from '../../core/shards.js';
import { tempDir } from '../helpers/meili.js';

describe('shardOf', () => {
  it('is the first four bytes of the SHA-256 of the id modulo the shards (as `sha256sum` gives them)', () => {
    // printf %s <id> | sha256sum | cut -c1-8
    const firstBytes: Array<[string, number]> = [
      ['abc', 0xba7816bf],
      ['https://example.com/a', 0x2dce0a4c],
      ['新聞', 0x9c200fe1],
    ];
    for (const [id, bytes] of firstBytes) {
      for (const shards of [1, 2, 3, 7, 1000]) assert.equal(shardOf(id, shards), bytes % shards, `${id} over ${shards} shards`);
    }
  });

  it('spreads ids evenly over the shards', () => {
    const counts = [0, 0, 0];
    for (let n = 0; n < 3000; n++) counts[shardOf(`story-${n}`, 3)]!++;
    for (const c of counts) assert.ok(c > 900 && c < 1100, `per shard: ${counts.join(', ')}`);
  });

  it('refuses a number of shards that is not a positive whole number', () => {
    for (const shards of [0, -1, 1.5, Number.NaN]) assert.throws(() => shardOf('abc', shards), RangeError);
  });
});

describe('byShard', () => {
  it('groups members by shard in placement order, and names a shard left empty', () => {
    assert.deepEqual(
      byShard([
        { shard: 1, n: 'a' },
        { shard: 0, n: 'b' },
        { shard: 1, n: 'c' },
      ]).map((s) => s.map((m) => m.n)),
      [['b'], ['a', 'c']],
    );
    assert.throws(() => byShard([{ shard: 0 }, { shard: 2 }]), /shard 1 of 3 has no instance/);
  });
});

describe('MEILI_SHARDS', () => {
  const dataDir = tempDir();
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const INSTANCES = 'ms0=http://127.0.0.1:7700,ms1=http://127.0.0.1:7701,ms2=http://127.0.0.1:7702,ms3=http://127.0.0.1:7703';
  const load = (env: Record<string, string>) =>
    loadConfig({ DATA_DIR: dataDir, MEILI_MASTER_KEY: 'a-master-key-of-32-bytes-0123456', ...env });

  /** Every problem the environment gives; fails if it is accepted. */
  function problems(env: Record<string, string>): string[] {
    try {
      load(env);
    } catch (err) {
      assert.ok(err instanceof ConfigError, String(err));
      return [...err.problems];
    }
    assert.fail(`accepted: ${JSON.stringify(env)}`);
  }

  it('unset: each instance is a shard of its own, in the order of MEILI_INSTANCES', () => {
    const config = load({ MEILI_INSTANCES: INSTANCES });
    assert.deepEqual(config.meiliShards, ['ms0', 'ms1', 'ms2', 'ms3']);
    assert.deepEqual(
      config.meiliInstances?.map((i) => [i.name, i.shard]),
      [
        ['ms0', 0],
        ['ms1', 1],
        ['ms2', 2],
        ['ms3', 3],
      ],
    );
  });

  it('groups replicas into shards, in its own order', () => {
    const config = load({ MEILI_INSTANCES: INSTANCES, MEILI_SHARDS: 'b=ms3+ms1, a = ms0 + ms2' });
    assert.deepEqual(config.meiliShards, ['b', 'a']);
    assert.deepEqual(
      config.meiliInstances?.map((i) => [i.name, i.shard]),
      [
        ['ms0', 1],
        ['ms1', 0],
        ['ms2', 1],
        ['ms3', 0],
      ],
    );
  });

  it('reports every instance left out, named twice or unknown, and every empty or repeated shard', () => {
    assert.deepEqual(problems({ MEILI_INSTANCES: INSTANCES, MEILI_SHARDS: 'a=ms0+ms0,b=ms1+ms9,a=ms2,c=,d=ms1' }), [
      'MEILI_SHARDS: instance ms0 is in shard "a" twice',
      'MEILI_SHARDS: "ms9" of shard "b" is not an instance of MEILI_INSTANCES (ms0, ms1, ms2, ms3)',
      'MEILI_SHARDS: shard "a" is given twice',
      'MEILI_SHARDS: shard "c" names no instance (shard=instance+instance)',
      'MEILI_SHARDS: instance ms1 is in two shards ("b" and "d")',
      'MEILI_SHARDS: every instance of MEILI_INSTANCES must be in a shard; ms3 is in none',
    ]);
    assert.deepEqual(problems({ MEILI_INSTANCES: INSTANCES, MEILI_SHARDS: 'a b=ms0+ms1+ms2+ms3' }), [
      'MEILI_SHARDS: shard name "a b" may contain only letters, digits, - and _ (at most 64)',
    ]);
  });

  it('needs MEILI_INSTANCES', () => {
    assert.deepEqual(problems({ MEILI_SHARDS: 'a=ms0+ms1' }), ['MEILI_SHARDS: set MEILI_INSTANCES too']);
  });
});
