// Script detection from the characters of the text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectScript } from '../../core/text/normalize.js';

describe('detectScript', () => {
  it('tells simplified from traditional', () => {
    assert.equal(detectScript('香港教育局引用殖民时期打压左派的条例'), 'hans');
    assert.equal(detectScript('香港教育局引用殖民時期打壓左派的條例'), 'hant');
  });

  it('calls a real mix mixed, and text without Chinese mixed', () => {
    assert.equal(detectScript('这是简体。這是繁體。'), 'mixed');
    assert.equal(detectScript('Tear gas, never rests'), 'mixed');
  });

  it('is not swayed by a few characters of the other script', () => {
    const traditional = '香港人的記憶與城市的變遷，是這篇長文討論的主題。'.repeat(5);
    assert.equal(detectScript(`${traditional}《并：控制》`), 'hant');
  });
});
