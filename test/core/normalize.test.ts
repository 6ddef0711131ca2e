// The canonical search form: simplified script with mainland vocabulary, for documents and queries.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toCanonical } from '../../core/text/normalize.js';

describe('toCanonical', () => {
  it('converts traditional characters to simplified', () => {
    assert.equal(toCanonical('香港國安法'), '香港国安法');
    assert.equal(toCanonical('北約將提升與亞太夥伴四國關係'), '北约将提升与亚太伙伴四国关系');
    assert.equal(toCanonical('頭髮'), '头发');
  });

  it('converts Hong Kong character variants', () => {
    assert.equal(toCanonical('衞生署'), '卫生署');
    assert.equal(toCanonical('裏面'), '里面');
  });

  it('makes regional vocabulary meet at the mainland word', () => {
    const pairs: Array<[string, string]> = [
      ['軟體', '软件'],
      ['資訊', '信息'],
      ['網路', '网络'],
      ['網絡', '网络'],
      ['滑鼠', '鼠标'],
      ['計程車', '出租车'],
      ['記憶體', '内存'],
    ];
    for (const [regional, mainland] of pairs) assert.equal(toCanonical(regional), mainland, regional);
  });

  it('leaves canonical text unchanged, and is idempotent', () => {
    const canonical = '软件和信息网络，鼠标与内存；北约将提升与亚太伙伴四国关系。Huawei 华为 2020';
    assert.equal(toCanonical(canonical), canonical);
    const once = toCanonical('香港人權與網路自由');
    assert.equal(toCanonical(once), once);
  });

  it('leaves Latin text, digits and punctuation alone', () => {
    assert.equal(toCanonical('NATO (AP4) 2024-06-13 "quoted"'), 'NATO (AP4) 2024-06-13 "quoted"');
  });

  it('a simplified query and a traditional document meet', () => {
    assert.equal(toCanonical('网络安全'), toCanonical('網絡安全'));
    assert.equal(toCanonical('软件'), toCanonical('軟體'));
  });
});

describe('toCanonical is the same for a text in either script', () => {
  it('even where the Taiwan phrase table has an entry (檔案, 連結, 整合)', () => {
    for (const [simplified, traditional] of [
      ['档案', '檔案'],
      ['连结前海铁路', '連結前海鐵路'],
      ['整合分析', '整合分析'],
      ['消失的档案', '消失的檔案'],
    ] as const) {
      assert.equal(toCanonical(simplified), toCanonical(traditional), `${simplified} / ${traditional}`);
    }
  });
});

describe('canonicalWithMap', () => {
  it('gives the same canonical text as toCanonical, with a map back to the original', async () => {
    const { canonicalWithMap } = await import('../../core/text/normalize.js');
    for (const text of [
      '我的記憶體不夠，計程車很貴。軟體與資訊',
      '香港國安法 Huawei 華為 😀 網絡安全',
      '「六四記憶．人權博物館」第一批上線',
    ]) {
      const { canonical, toOriginal } = canonicalWithMap(text);
      assert.equal(canonical, toCanonical(text));
      assert.equal(toOriginal.length, canonical.length + 1);
      const at = canonical.indexOf('内存');
      if (at >= 0) assert.equal(text.slice(toOriginal[at], toOriginal[at + 2]), '記憶體', 'a replaced phrase maps back whole');
    }
  });
});
