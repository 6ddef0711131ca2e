// Interface text, written once in simplified Chinese and shown in the reader's script.
import { inScript } from '../search/display.js';
import { SCRIPTS, type DisplayScript } from '../search/params.js';

const TEXT = {
  siteName: '同文',
  tagline: '简繁通搜的中文新闻档案',
  searchLabel: '搜索新闻',
  searchPlaceholder: '输入关键词，简体或繁体皆可',
  searchButton: '搜索',
  results: '篇报道',
  articlesSearchable: '篇报道可供搜索',
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
  noResults: '没有找到报道',
  noResultsHint: '试试更少或不同的关键词，或移除一些筛选条件。',
  pastLastPage: '没有第 {page} 页：这次搜索共 {pages} 页。',
  pagination: '分页',
  previous: '上一页',
  next: '下一页',
  page: '第',
  pageSuffix: '页',
  script: '字体',
  scriptOrig: '原文',
  readOriginal: '阅读原文',
  alsoPublishedAs: '同一报道的其他版本',
  backToResults: '返回搜索结果',
  undated: '日期不详',
  filters: '筛选',
  skip: '跳到内容',
  status: '服务状态',
  by: '作者',
  searchTips: '搜索技巧',
  readAs: '搜索',
  exactOnly: '只搜完整字符串',
  partial: '部分结果：搜索实例 {names} 没有响应。总数、计数和结果只包括其余实例上的报道。',
  bounded: '总数为上限：长词只核对了 {candidates} 篇候选报道中的 {verified} 篇，其余 {unverified} 篇可能只含词的片段。',
  yearSuffix: '年',
  monthSuffix: '月',
  storiesUnit: '篇',
  coverage: '报道随时间的数量',
  coveragePerMonth: '每月报道数',
  coveragePerYear: '每年报道数',
  coverageHint: '点选柱条可把搜索限定在该月份或年份。',
  coverageUndated: '另有 {n} 篇日期不详，不在图中。',
  coverageSummary: '{first} 至 {last}，共 {total} 篇；最多的是 {peak}（{peakCount} 篇）。',
  dataTable: '数据表',
  period: '时间',
  stories: '报道数',
  share: '占同期全部报道的百分比',
  compare: '比较趋势',
  compareTitle: '比较报道趋势',
  compareIntro: '输入最多 5 个查询，比较它们每月（时间跨度长时每年）的报道数。计数精确，简繁通用，同一报道的多个副本只算一次。',
  compareQuery: '查询',
  compareAdd: '比较',
  compareShare: '显示为占当期全部报道的百分比',
  compareAll: '全部报道',
  compareEmpty: '输入至少一个查询。',
  compareLink: '比较此查询的趋势',
  exportLabel: '导出结果',
  feedLabel: '订阅（Atom）',
  note_single_character: '「{text}」只有一个字，无法精确计数，已略去；请输入两个字以上的词。',
  note_unbalanced_quote: '引号没有配对：短语一直算到查询末尾。',
  note_unbalanced_parenthesis: '括号没有配对：多出的右括号已略去，未闭合的括号一直算到查询末尾。',
  note_empty_group: '一对括号里没有可搜索的词，已略去。',
  note_dangling_or: 'OR 两边都须有词：多余的 OR 已略去。',
  note_mixed_phrase: '「{text}」把中文和外文放在同一个短语里：各部分都须出现，但不一定相连。',
  note_searched_as_written: '「{text}」拆成词会超过 10 个，已按原字符串搜索。',
  note_too_many_terms: '一次最多搜索 10 个词、短语或排除项（有 OR 时每个备选各 10 个）；以下没有搜索：{text}',
  readAsTree: '查询理解为',
  orWord: '或',
  notWord: '不含',
  // Issue 26, item 8 (the results' edges): the range shown, a page past the last, the page size.
  resultsLabel: '搜索结果',
  range: '第 {first}–{last} 篇，',
  totalPrefix: '共',
  lastPageLink: '前往最后一页（第 {pages} 页）',
  perPage: '每页',
  perPageLabel: '每页显示的报道数',
  perPageLink: '每页 {n} 篇',
  // Issue 26 items 3, 6, 9 (i26b): the error pages, the copies of a story, the compare page.
  errorTitle_400: '搜索条件有误',
  errorTitle_404: '找不到页面',
  errorTitle_429: '搜索过于频繁',
  errorTitle_503: '搜索暂时不可用',
  errorTitle_500: '出错了',
  error_400: '「{name}」一项有误：{rule}',
  error_404: '这个地址没有页面。',
  error_404_article: '找不到这篇报道：地址可能有误，或者它已不在档案中。',
  error_429: '这个浏览器或网络一分钟内的搜索次数超过了服务器的上限。请稍等片刻再试。',
  error_503: '搜索引擎暂时没有响应。请稍后再试；这不是您的操作引起的。',
  error_deadline: '这次搜索超过了 {seconds} 秒的时限，已经停止。请再试一次，或者缩小搜索范围（加上筛选条件或更具体的词）。',
  error_500: '服务器出了问题。请稍后再试。',
  errorGiven: '收到的是「{value}」。',
  errorRetry: '去掉「{name}」再试',
  errorHome: '回到首页',
  param_q: '搜索词',
  param_outlet: '媒体',
  param_topic: '主题',
  param_from: '起始日期',
  param_to: '截止日期',
  param_sort: '排序',
  param_page: '页码',
  param_perPage: '每页篇数',
  param_script: '字体',
  param_share: '百分比显示',
  rule_q: '每个搜索词最多 {maxChars} 个字，只能给一次；比较页最多比较 {maxCompared} 个查询。',
  rule_q_alternatives: '用 OR 和括号展开后有 {found} 个备选，最多 {max} 个（多了 {over} 个）：请减少 OR 的选项或分开搜索。',
  rule_q_depth: '括号嵌套了 {found} 层，最多 {max} 层（多了 {over} 层）。',
  rule_outlet: '须是筛选栏里列出的媒体，最多选 {maxValues} 个。',
  rule_topic: '须是筛选栏里列出的主题，最多选 {maxValues} 个。',
  rule_from: '日期要写成“年-月-日”，如 2021-07-01，而且起始日期不能晚于截止日期。',
  rule_to: '日期要写成“年-月-日”，如 2021-07-31，而且不能早于起始日期。',
  rule_sort: '只能按相关度、最新或最早排序。',
  rule_page: '页码须是 1 到 {maxPage} 之间的整数。',
  rule_perPage: '每页篇数须是 1 到 {maxPerPage} 之间的整数。',
  rule_script: '只能选原文、简体或繁体。',
  rule_share: '只能勾选或不选。',
  rule_other: '请求的地址里有无法识别的内容。',
  copyCount: '另有 {n} 个版本',
  copyUntitled: '（标题不详）',
  backToSearch: '返回搜索',
  compareUndated: '{total} {unit}，其中 {undated} {unit}无日期，不在图中',
  // Issue 26, items 4 and 5: the date range, the links past the filters to the results and back, the chart's keys.
  dateRange: '日期范围',
  dateFrom: '从',
  dateTo: '到',
  dateApply: '应用',
  skipToResults: '跳到结果',
  chartKeys: '用键盘时，左右方向键在柱条间移动。',
  // Issue 29: the names in the stories, the words that stand out, the same event elsewhere.
  people: '人物',
  places: '地点',
  organizations: '机构',
  param_person: '人物',
  param_place: '地点',
  param_organization: '机构',
  rule_person: '每个人名最多 {maxNameChars} 个字，最多选 {maxValues} 个。',
  rule_place: '每个地名最多 {maxNameChars} 个字，最多选 {maxValues} 个。',
  rule_organization: '每个机构名最多 {maxNameChars} 个字，最多选 {maxValues} 个。',
  terms: '突出的词',
  termsIntro: '在这些报道里比在整个档案里常见得多的词。数字是含有该词的报道篇数（精确计数，简繁通用）；点选可把词加入搜索。',
  termsNone: '这次搜索没有明显突出的词。',
  termsCount: '{n} 篇',
  termsLift: '是全档案比例的 {lift} 倍',
  related: '其他媒体的相关报道',
  relatedIntro: '三天内其他媒体发表、与本文共有最多关键词和人名的报道。',
  relatedShared: '共有：',
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

/** A link of the 原文/简/繁 switch in the page header. */
export interface ScriptLink {
  script: DisplayScript;
  label: string;
  href: string;
  current: boolean;
  lang: string;
}

/** The 原文/简/繁 switch: each script named in that script, whatever the page shows. */
export function scriptSwitch(current: DisplayScript, href: (script: DisplayScript) => string): ScriptLink[] {
  return SCRIPTS.map((s) => ({
    script: s,
    label: s === 'orig' ? strings(current).scriptOrig : s === 'hans' ? '简' : '繁',
    href: href(s),
    current: s === current,
    lang: s === 'hant' ? 'zh-Hant' : 'zh-Hans',
  }));
}
