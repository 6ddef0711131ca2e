// MEILI_MASTER_KEYS: entries separated by commas, keys that may hold `=` but not a comma, and no
// configuration error that quotes any part of a key, whatever is wrong with the variable.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { loadConfig } from '../../core/config.js';
import { ConfigError } from '../../core/errors.js';
import { tempDir } from '../helpers/meili.js';

const INSTANCES = 'ms0=http://127.0.0.1:7700,ms1=http://127.0.0.1:7701';
const dataDir = tempDir();
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
const load = (keys: string) => loadConfig({ DATA_DIR: dataDir, MEILI_INSTANCES: INSTANCES, MEILI_MASTER_KEYS: keys });

/** The configuration error `keys` gives; fails if it gives none. */
function errorFor(keys: string): ConfigError {
  try {
    load(keys);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err;
  }
  assert.fail(`MEILI_MASTER_KEYS=${keys} was accepted`);
}

/** Every 6-character piece of the keys' text, commas and `=` aside: none may reach a message. */
function assertQuotesNoKey(err: ConfigError, ...keys: string[]): void {
  const text = [err.message, ...err.problems].join('\n');
  for (const key of keys) {
    for (const part of key.split(/[,=]/)) {
      for (let i = 0; i + 6 <= part.length; i++)
        assert.ok(!text.includes(part.slice(i, i + 6)), `"${part.slice(i, i + 6)}" of a key is in: ${text}`);
    }
  }
}

describe('MEILI_MASTER_KEYS', () => {
  it('takes one key per instance; a key may contain =', () => {
    const config = load('ms0=Zq8=Lw3=Rt5=Yh7=Uk, ms1 = Pd2Xs9Mv4Nb6Qc1Je');
    assert.deepEqual(
      config.meiliInstances?.map((i) => [i.name, i.masterKey]),
      [
        ['ms0', 'Zq8=Lw3=Rt5=Yh7=Uk'],
        ['ms1', 'Pd2Xs9Mv4Nb6Qc1Je'],
      ],
    );
  });

  it('rejects a key with a comma by the place of the entry, quoting none of it', () => {
    const err = errorFor('ms0=Hx7Kd2Pq9Wm4Zr,Tb6Nc1Vf8,ms1=Pd2Xs9Mv4Nb6Qc1Je');
    assert.match(err.message, /MEILI_MASTER_KEYS: entry 2 of 3 \(counting by commas\) is not <instance>=<key>/);
    assert.match(err.message, /a key may not contain one/);
    assertQuotesNoKey(err, 'Hx7Kd2Pq9Wm4Zr,Tb6Nc1Vf8', 'Pd2Xs9Mv4Nb6Qc1Je');
  });

  it('does not echo a name that may be part of a key (a comma, then text, then =)', () => {
    const err = errorFor('ms0=Hx7Kd2Pq9,Wm4ZrTb6=Nc1Vf8Lj,ms1=Pd2Xs9Mv4Nb6Qc1Je');
    assert.match(err.message, /entry 2 of 3/);
    assertQuotesNoKey(err, 'Hx7Kd2Pq9,Wm4ZrTb6=Nc1Vf8Lj');
  });

  it('names an instance given twice, and a key too short, by instance only', () => {
    const err = errorFor('ms0=Hx7Kd2Pq9Wm4ZrTb,ms0=Pd2Xs9Mv4Nb6Qc1Je,ms1=Short5Key');
    assert.match(err.message, /entry 2 of 3 .* gives the key of ms0 a second time/);
    assert.match(err.message, /the key of ms1 must be at least 16 bytes/);
    assertQuotesNoKey(err, 'Hx7Kd2Pq9Wm4ZrTb', 'Pd2Xs9Mv4Nb6Qc1Je', 'Short5Key');
  });

  it('no error quotes a key, whatever the commas, = and spaces in it', () => {
    const keyText = fc.string({ unit: fc.constantFrom(...'abcdefghijkLMNOPQRS0123456789,= '), minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(keyText, keyText, fc.constantFrom('ms0', 'ms1', 'ms2', ''), (a, b, second) => {
        const keys = `ms0=${a},${second}${second ? '=' : ''}${b}`;
        let err: unknown;
        try {
          load(keys);
        } catch (e) {
          err = e;
        }
        if (err === undefined) return;
        assert.ok(err instanceof ConfigError);
        assertQuotesNoKey(err, a, b);
      }),
      { numRuns: 500 },
    );
  });
});
