// The canonical topic taxonomy (13 topics, simplified labels) and how an article gets its topics:
// first from the source's own section or category, then from keywords in the title and lead.
// All matching runs on canonical (simplified) text, so traditional sources match the same words.
import { toCanonical } from './text/normalize.js';

export const TOPICS = ['中国', '港澳台', '国际', '财经', '科技', '健康', '环境', '文化', '体育', '教育', '法治', '社会', '评论'] as const;
export type Topic = (typeof TOPICS)[number];

/** Source sections and categories (canonicalized) → topics. Keys are matched exactly. */
const SECTION_TOPICS: Record<string, Topic[]> = {
  // RFI /cn/<section>/
  中国: ['中国'],
  国际: ['国际'],
  法国: ['国际'],
  亚洲: ['国际'],
  欧洲: ['国际'],
  非洲: ['国际'],
  美洲: ['国际'],
  中东: ['国际'],
  经贸: ['财经'],
  科技与文化: ['科技', '文化'],
  港澳台: ['港澳台'],
  体育: ['体育'],
  环境: ['环境'],
  专栏检索: ['评论'],
  // BBC /zhongwen/simp/<section>-<id>
  'chinese-news': ['中国'],
  world: ['国际'],
  uk: ['国际'],
  business: ['财经'],
  science: ['科技'],
  'world-news': ['国际'],
  'uk-news': ['国际'],
  'business-news': ['财经'],
  'science-news': ['科技'],
  'hong-kong-news': ['港澳台'],
  'taiwan-news': ['港澳台'],
  sport: ['体育'],
  health: ['健康'],
  'in-depth': ['评论'],
  indepth: ['评论'],
  'world-asia-china': ['中国'],
  // NYT cn.nytimes.com/<section>/
  china: ['中国'],
  'asia-pacific': ['国际'],
  usa: ['国际'],
  'world-asia': ['国际'],
  technology: ['科技'],
  culture: ['文化'],
  'film-tv': ['文化'],
  books: ['文化'],
  style: ['文化'],
  lifestyle: ['社会'],
  travel: ['文化'],
  opinion: ['评论'],
  education: ['教育'],
  'real-estate': ['财经'],
  sports: ['体育'],
  'morning-brief': ['国际'],
  'daily-news-brief': ['国际'],
  // RFA /mandarin/<section>/<sub>
  'yataibaodao/gangtai': ['港澳台'],
  'yataibaodao/renquanfazhi': ['法治'],
  'yataibaodao/jingmao': ['财经'],
  'yataibaodao/huanjing': ['环境'],
  'yataibaodao/junshiwaijiao': ['国际'],
  'yataibaodao/shehui': ['社会'],
  'yataibaodao/meiti': ['社会'],
  'yataibaodao/wenhua': ['文化'],
  'yataibaodao/kejiaowen': ['教育'],
  'yataibaodao/zhengzhi': ['中国'],
  'yataibaodao/shaoshuminzu': ['中国'],
  'yataibaodao/guojijiaodian': ['国际'],
  pinglun: ['评论'],
  zhuanlan: ['评论'],
  // hkcnews categories (眾說 opinion, 眾觀 photo/video features; 眾聞 news is decided by keywords)
  众说: ['评论'],
  'tri-angles': ['评论'],
};

/** Keywords per topic, in canonical script. A title hit weighs 3, a lead hit 1. */
const KEYWORDS: Record<Topic, string[]> = {
  中国: [
    '中国',
    '中共',
    '北京',
    '习近平',
    '国务院',
    '大陆',
    '新疆',
    '西藏',
    '上海',
    '武汉',
    '广东',
    '深圳',
    '李克强',
    '全国人大',
    '维吾尔',
    '中国大陆',
  ],
  港澳台: [
    '香港',
    '港府',
    '港人',
    '澳门',
    '台湾',
    '台北',
    '蔡英文',
    '立法会',
    '林郑',
    '特首',
    '区议会',
    '国安法',
    '港区',
    '民进党',
    '国民党',
    '九龙',
    '新界',
    '警队',
  ],
  国际: [
    '美国',
    '特朗普',
    '拜登',
    '日本',
    '韩国',
    '朝鲜',
    '俄罗斯',
    '普京',
    '欧盟',
    '英国',
    '法国',
    '德国',
    '印度',
    '联合国',
    '北约',
    '乌克兰',
    '伊朗',
    '以色列',
    '澳大利亚',
    '加拿大',
    '白宫',
    '国际',
  ],
  财经: [
    '经济',
    '股市',
    '股票',
    '银行',
    '贸易',
    '关税',
    '通胀',
    '市场',
    '企业',
    '投资',
    '央行',
    '利率',
    'GDP',
    '楼市',
    '金融',
    '失业',
    '财政',
    '营业额',
    '出口',
  ],
  科技: [
    '科技',
    '科学',
    '华为',
    '谷歌',
    '苹果公司',
    '人工智能',
    '芯片',
    '互联网',
    '网络',
    '太空',
    '天文',
    '黑洞',
    '卫星',
    '研究人员',
    '科学家',
    '手机',
    'TikTok',
    '微信',
    '软件',
  ],
  健康: ['新冠', '疫情', '病毒', '疫苗', '肺炎', '医院', '确诊', '卫生', '口罩', '防疫', '医生', '病例', '健康', '精神健康', '检测'],
  环境: ['气候', '环境', '污染', '排放', '碳', '野生动物', '森林', '海洋', '飓风', '台风', '地震', '洪水', '冻土', '动物'],
  文化: [
    '电影',
    '音乐',
    '艺术',
    '文学',
    '小说',
    '诗',
    '书',
    '文化',
    '博物馆',
    '演唱会',
    '歌手',
    '导演',
    '诺贝尔文学奖',
    '戏剧',
    '明星',
    '乐队',
  ],
  体育: ['体育', '足球', '篮球', '网球', '奥运', '世界杯', '比赛', '冠军', '运动员', '法网', '马拉松'],
  教育: ['教育', '学校', '学生', '教师', '老师', '大学', '中学', '小学', '考试', '文凭试', '校长', '课程', '教科书'],
  法治: [
    '法院',
    '法庭',
    '审讯',
    '判囚',
    '被控',
    '控罪',
    '起诉',
    '律师',
    '裁判',
    '保释',
    '还柙',
    '判刑',
    '上诉',
    '法官',
    '拘捕',
    '被捕',
    '暴动',
  ],
  社会: ['社会', '示威', '游行', '抗议', '居民', '市民', '社区', '贫穷', '性别', '劳工', '工会', '房屋', '交通', '人权'],
  评论: ['评论', '社论', '观点', '专栏'],
};

export interface TopicInput {
  /** Source sections/categories as written (RFI path segment, hkcnews category, …). */
  sections: string[];
  title: string;
  lead: string;
  /** Used when neither sections nor keywords decide. */
  fallback: Topic;
}

/** At most three topics: section topics first, then the best keyword topics. Never empty. */
export function assignTopics(input: TopicInput): Topic[] {
  const topics = new Set<Topic>();
  for (const section of input.sections) {
    for (const t of SECTION_TOPICS[toCanonical(section)] ?? SECTION_TOPICS[section] ?? []) topics.add(t);
  }
  const title = toCanonical(input.title);
  const lead = toCanonical(input.lead);
  const scores = TOPICS.map((topic) => {
    let score = 0;
    for (const word of KEYWORDS[topic]) {
      if (title.includes(word)) score += 3;
      if (lead.includes(word)) score += 1;
    }
    return { topic, score };
  })
    .filter((s) => s.score >= 3)
    .sort((a, b) => b.score - a.score || TOPICS.indexOf(a.topic) - TOPICS.indexOf(b.topic));
  for (const { topic } of scores) {
    if (topics.size >= 3) break;
    topics.add(topic);
  }
  if (topics.size === 0) topics.add(input.fallback);
  return [...topics];
}
