// VOA: subscription and follow-us blurbs at the end of some articles.
import type { CleanRules } from './rules.js';

export const voaRules: CleanRules = {
  remove: [],
  dropParagraphs: [
    /^(?:请|請)?(?:订阅|訂閱)(?:美国之音|美國之音)|^关注美国之音|^關注美國之音|^(?:美国之音中文网版权所有|美國之音中文網版權所有)/,
  ],
};
