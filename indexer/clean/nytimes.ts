// NYT 中文网: the newsletter blurb ("感谢阅读今天的简报…点击此处订阅…") and follow-us lines.
import type { CleanRules } from './rules.js';

export const nytimesRules: CleanRules = {
  remove: ['a[href*="sso.nytcn.me"]'],
  // Both scripts: the traditional edition (/zh-hant/) carries the same blurbs.
  dropParagraphs: [
    /^(?:感谢阅读今天的简报|感謝閱讀今天的簡報)|点击此处订阅|點擊此處訂閱|^(?:欢迎在Twitter|歡迎在Twitter)|cn\.letters@nytimes\.com|^(?:本文最初发表于《纽约时报》英文版|本文最初發表於《紐約時報》英文版)/,
  ],
};
