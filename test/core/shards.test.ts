// Where a story lives on a network: the shard its id hashes to (stable, spread evenly), the ring
// that puts each shard on MEILI_REPLICAS instances, and errors naming the variable.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../core/config.js';
import { ConfigError } from '../../core/errors.js';
import { ringPlacement, shardFilter, shardOf } from '../../core/shards.js';
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

describe('ringPlacement', () => {
  it('puts shard k on instances k … k+R-1, so that each instance holds R shards', () => {
    assert.deepEqual(ringPlacement(3, 1), [[0], [1], [2]]);
    assert.deepEqual(ringPlacement(3, 2), [
      [0, 2],
      [0, 1],
      [1, 2],
    ]);
    assert.deepEqual(ringPlacement(4, 3), [
      [0, 2, 3],
      [0, 1, 3],
      [0, 1, 2],
      [1, 2, 3],
    ]);
    assert.deepEqual(ringPlacement(2, 2), [
      [0, 1],
      [0, 1],
    ]);
  });

  it('leaves every shard on R instances: any R - 1 of them may be lost', () => {
    for (const [n, r] of [
      [5, 2],
      [6, 3],
    ] as const) {
      const held = ringPlacement(n, r);
      for (let k = 0; k < n; k++) assert.equal(held.filter((s) => s.includes(k)).length, r, `shard ${k} of ${n}, R ${r}`);
    }
  });

  it('refuses more replicas than instances, and none', () => {
    assert.throws(() => ringPlacement(3, 4), RangeError);
    assert.throws(() => ringPlacement(3, 0), RangeError);
  });
});

describe('shardFilter', () => {
  it('filters only when an instance is asked for some of the shards it holds', () => {
    assert.equal(shardFilter({ shards: [0, 2] }, [2, 0]), undefined);
    assert.equal(shardFilter({ shards: [0, 2] }, [2]), 'shard IN [2]');
    assert.equal(shardFilter({ shards: [0, 1, 2] }, [2, 0]), 'shard IN [0, 2]');
  });
});

describe('MEILI_REPLICAS', () => {
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

  it('unset: one replica, each instance holding the shard of its place in MEILI_INSTANCES', () => {
    const config = load({ MEILI_INSTANCES: INSTANCES });
    assert.equal(config.meiliReplicas, 1);
    assert.deepEqual(
      config.meiliInstances?.map((i) => [i.name, i.shards]),
      [
        ['ms0', [0]],
        ['ms1', [1]],
        ['ms2', [2]],
        ['ms3', [3]],
      ],
    );
  });

  it('2: each instance holds its own shard and the one before it on the ring', () => {
    const config = load({ MEILI_INSTANCES: INSTANCES, MEILI_REPLICAS: '2' });
    assert.equal(config.meiliReplicas, 2);
    assert.deepEqual(
      config.meiliInstances?.map((i) => [i.name, i.shards]),
      [
        ['ms0', [0, 3]],
        ['ms1', [0, 1]],
        ['ms2', [1, 2]],
        ['ms3', [2, 3]],
      ],
    );
  });

  it('must be a whole number from 1 to the number of instances, and is named when it is not', () => {
    for (const bad of ['0', '5', '-1', '1.5', 'two', '2x'])
      assert.deepEqual(problems({ MEILI_INSTANCES: INSTANCES, MEILI_REPLICAS: bad }), [
        `MEILI_REPLICAS: "${bad}" must be a whole number from 1 to the number of instances of MEILI_INSTANCES (4)`,
      ]);
    assert.equal(load({ MEILI_INSTANCES: INSTANCES, MEILI_REPLICAS: '4' }).meiliInstances?.[0]?.shards.length, 4);
  });

  it('needs MEILI_INSTANCES', () => {
    assert.deepEqual(problems({ MEILI_REPLICAS: '2' }), ['MEILI_REPLICAS: set MEILI_INSTANCES too']);
  });

  it('MEILI_SHARDS, which grouped instances before the ring, is refused with what to set instead', () => {
    assert.match(
      problems({ MEILI_INSTANCES: INSTANCES, MEILI_SHARDS: 'a=ms0+ms1,b=ms2+ms3' }).join(),
      /MEILI_SHARDS: no longer read.*MEILI_REPLICAS/,
    );
  });
});
