// MinHash signatures: similar texts get similar signatures, deterministically.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeSignature, encodeSignature, minhash, similarity } from '../../../indexer/dedupe/minhash.js';

const story = [
  '警方早前就七一立法會案起訴十五人，包括三張傳票，進入或逗留在會議廳範圍等罪。',
  '三十歲車房工人後來獲撤銷控罪；十二人另被加控暴動罪，其中二十歲學生早前被發拘捕令通緝中。',
  '法庭今日分六案處理涉及十一名被告的暴動和進入或逗留在會議廳範圍控罪。',
  '下午約二時，各被告陸續到庭應訊，未有就案件作回應。聆訊結束時，被告在被告欄內向旁聽席連聲高呼。',
].join('\n\n');

describe('minhash', () => {
  it('gives identical texts identical signatures, whitespace aside', () => {
    assert.equal(similarity(minhash(story)!, minhash(story.replace(/\n\n/g, ' '))!), 1);
  });

  it('rates a copy with an added author line close, and another story far', () => {
    const copy = `${story}\n\n【某人・專欄】作者是資深記者。`;
    const other =
      '天文學家捕捉到超大質量黑洞撕裂和吞噬一個大小如太陽般星體的時刻，並於今天公開影像，空前詳細地展示這段毀滅性過程。這個黑洞距離地球略超過兩億光年。';
    assert.ok(similarity(minhash(story)!, minhash(copy)!) >= 0.75);
    assert.ok(similarity(minhash(story)!, minhash(other)!) <= 0.1);
  });

  it('is deterministic and survives the state file round trip', () => {
    const sig = minhash(story)!;
    assert.deepEqual(minhash(story), sig);
    assert.deepEqual(decodeSignature(encodeSignature(sig)), sig);
  });

  it('has no signature for text shorter than one shingle', () => {
    assert.equal(minhash('短文'), undefined);
    assert.ok(minhash('五個字的話'));
  });
});
