// NYT 中文网: the newsletter blurb ("感谢阅读今天的简报…点击此处订阅…") and follow-us lines.
import type { CleanRules } from './rules.js';

export const nytimesRules: CleanRules = {
  remove: ['a[href*="sso.nytcn.me"]'],
  dropParagraphs: [/^感谢阅读今天的简报|点击此处订阅|^欢迎在Twitter|cn\.letters@nytimes\.com|^本文最初发表于《纽约时报》英文版/],
};
