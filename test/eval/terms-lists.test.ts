// eval:terms' two lists: the blind lists and the pooled judgments are read apart, a judgment
// names a query of the blind lists and never judges a word both ways; the verdicts keep them apart.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { projectRoot } from '../../core/paths.js';
import { readBlindLists, readJudgments, wordVerdict } from '../../eval/terms-lists.js';

const blind = [{ q: '逃犯條例', terms: ['修例'], people: ['林郑月娥'] }];

function judgmentsFile(queries: unknown[]): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tongwen-judged-')), 'j.json');
  fs.writeFileSync(file, JSON.stringify({ rule: 'a rule', queries }));
  return file;
}

test('a word is expected blind, judged relevant, judged not, or not judged', () => {
  const file = judgmentsFile([{ q: '逃犯條例', relevantTerms: ['引渡'], notRelevantTerms: ['香港'] }]);
  const judged = readJudgments(file, blind).get('逃犯條例');
  assert.equal(wordVerdict('修例', blind[0]!, judged), 'blind');
  assert.equal(wordVerdict('引渡', blind[0]!, judged), 'relevant');
  assert.equal(wordVerdict('香港', blind[0]!, judged), 'not');
  assert.equal(wordVerdict('市民', blind[0]!, judged), 'unjudged');
  fs.rmSync(path.dirname(file), { recursive: true });
});

test('a judgment of a query the blind lists lack, or of a word both ways, is refused', () => {
  const unknown = judgmentsFile([{ q: '不存在' }]);
  assert.throws(() => readJudgments(unknown, blind), /query 1 \(不存在\) is not a query of the blind lists/);
  const both = judgmentsFile([{ q: '逃犯條例', relevantTerms: ['香港'], notRelevantTerms: ['香港'] }]);
  assert.throws(() => readJudgments(both, blind), /judges the word 香港 both relevant and not/);
  for (const f of [unknown, both]) fs.rmSync(path.dirname(f), { recursive: true });
});

test('the repository’s judgments read cleanly against its blind lists', () => {
  const queries = readBlindLists(path.join(projectRoot, 'eval', 'terms-queries.json'));
  const judged = readJudgments(path.join(projectRoot, 'eval', 'terms-judgments.json'), queries);
  assert.ok(judged.size >= 30, `${judged.size} queries judged`);
});
