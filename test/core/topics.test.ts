// Topic assignment: source sections first, keywords second, a fallback last.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assignTopics, TOPICS } from '../../core/topics.js';

describe('assignTopics', () => {
  it('the taxonomy has at most 15 topics, all in simplified Chinese', () => {
    assert.ok(TOPICS.length <= 15);
    assert.equal(new Set(TOPICS).size, TOPICS.length);
  });

  it('maps source sections (RFI, BBC, NYT, RFA paths, hkcnews categories)', () => {
    const t = (section: string) => assignTopics({ sections: [section], title: '', lead: '', fallback: '国际' });
    assert.deepEqual(t('经贸'), ['财经']);
    assert.deepEqual(t('chinese-news'), ['中国']);
    assert.deepEqual(t('opinion'), ['评论']);
    assert.deepEqual(t('yataibaodao/gangtai'), ['港澳台']);
    assert.deepEqual(t('眾說'), ['评论'], 'traditional categories are matched after normalization');
  });

  it('uses title and lead keywords in either script', () => {
    const simplified = assignTopics({ sections: [], title: '香港立法会选举延后', lead: '', fallback: '国际' });
    const traditional = assignTopics({ sections: [], title: '香港立法會選舉延後', lead: '', fallback: '国际' });
    assert.equal(simplified[0], '港澳台');
    assert.deepEqual(traditional, simplified);
  });

  it('falls back when nothing matches, and never returns more than three', () => {
    assert.deepEqual(assignTopics({ sections: [], title: 'Hello', lead: 'world', fallback: '中国' }), ['中国']);
    const many = assignTopics({ sections: ['经贸', 'opinion'], title: '香港 美国 新冠 法院 学生 电影', lead: '', fallback: '国际' });
    assert.equal(many.length, 3);
    assert.deepEqual(many.slice(0, 2), ['财经', '评论']);
  });
});
