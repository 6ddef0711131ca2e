// Interface text, written once in simplified Chinese and shown in the reader's script.
import { inScript } from '../search/display.js';
import type { DisplayScript } from '../search/params.js';

const TEXT = {
  siteName: '同文',
  tagline: '简繁通搜的中文新闻档案',
  searchLabel: '搜索新闻',
  searchPlaceholder: '输入关键词，简体或繁体皆可',
  searchButton: '搜索',
  results: '篇结果',
  articlesSearchable: '篇文章可供搜索',
  took: '用时',
  ms: '毫秒',
  sortBy: '排序',
  relevance: '相关度',
  newest: '最新',
  oldest: '最早',
  outlets: '媒体',
  topics: '主题',
  dates: '日期',
  allYears: '全部年份',
  activeFilters: '已选条件',
  remove: '移除',
  clearAll: '清除全部',
  noResults: '没有找到结果',
  noResultsHint: '试试更少或不同的关键词，或移除一些筛选条件。',
  pagination: '分页',
  previous: '上一页',
  next: '下一页',
  page: '第',
  pageSuffix: '页',
  script: '字体',
  scriptOrig: '原文',
  readOriginal: '阅读原文',
  alsoPublishedAs: '同一报道的其他网址',
  backToResults: '返回搜索结果',
  undated: '日期不详',
  filters: '筛选',
  skip: '跳到内容',
  status: '服务状态',
  by: '作者',
} as const;

export type Strings = { [K in keyof typeof TEXT]: string };

const cache = new Map<DisplayScript, Strings>();

export function strings(script: DisplayScript): Strings {
  let s = cache.get(script);
  if (!s) {
    s = Object.fromEntries(Object.entries(TEXT).map(([k, v]) => [k, script === 'hant' ? inScript(v, 'hant') : v])) as Strings;
    cache.set(script, s);
  }
  return s;
}

/** The page's language: its interface text is simplified unless the reader chose traditional. */
export function pageLang(script: DisplayScript): string {
  return script === 'hant' ? 'zh-Hant' : 'zh-Hans';
}
