// The words' scores (server/search/term-score.ts) on counts worked by hand, and why the panel
// ranks by G²: an event's own word above a common one only somewhat more frequent in the search.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { liftOf, logLikelihood, TERM_RANKING, TERM_RANKINGS } from '../../server/search/term-score.js';

test('G² of the 2×2 table: 10 of 100 matching stories, 30 of 1,000 in the archive', () => {
  // The table is [[10, 90], [20, 880]]; scipy's chi2_contingency(lambda_="log-likelihood",
  // correction=False) gives 12.64901579080787.
  assert.ok(Math.abs(logLikelihood({ m: 10, total: 100, a: 30, archive: 1000 }) - 12.64901579080787) < 1e-9);
  // A word as frequent in the search as in the archive says nothing.
  assert.ok(Math.abs(logLikelihood({ m: 3, total: 100, a: 30, archive: 1000 })) < 1e-9);
});

test('the lift is (m / M) / (a / A), with a at least m', () => {
  assert.equal(liftOf({ m: 10, total: 100, a: 30, archive: 1000 }), 10 / 100 / (30 / 1000));
  assert.equal(liftOf({ m: 4, total: 8, a: 2, archive: 1000 }), 4 / 8 / (4 / 1000));
});

test('the panel ranks an event’s own word above a common word somewhat more frequent in the search', () => {
  const rank = TERM_RANKINGS[TERM_RANKING];
  // 六四 天安門 on the 48k: 305 of 27,770 stories. 烛光 in 29 of them and 102 of the archive;
  // 中国 in 116 of them and 3,377 of the archive. The pointwise KL put 中国 first.
  const counts = (m: number, a: number) => ({ m, total: 305, a, archive: 27770 });
  assert.ok(rank(counts(29, 102)) > rank(counts(116, 3377)));
  assert.ok(TERM_RANKINGS['pointwise-kl'](counts(29, 102)) < TERM_RANKINGS['pointwise-kl'](counts(116, 3377)));
});
