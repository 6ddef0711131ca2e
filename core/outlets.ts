// Which outlet published an article, decided by the URL's host, and the outlet-specific
// facts that come with it: display name, title suffixes to strip, section from the URL path.
import type { Outlet } from './schema.js';

interface OutletRule extends Outlet {
  hosts: string[];
  /** Suffixes the outlet appends to titles (` – 法国国际广播电台 - RFI`, ` - 要闻解说`). */
  titleSuffix?: RegExp;
  /** The outlet's own section, taken from the URL path, when it has one. */
  section?: (url: URL) => string | undefined;
}

const segment = (url: URL, index: number): string | undefined => {
  const parts = url.pathname.split('/').filter(Boolean);
  const part = parts[index];
  if (part === undefined) return undefined;
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
};

const RULES: OutletRule[] = [
  {
    id: 'rfi',
    name: '法广 RFI',
    hosts: ['rfi.fr'],
    // Wire items end in the station name; programme pages in ` - <programme>` (要闻解说, 今日经济…).
    titleSuffix: /\s+[–-]\s+法国国际广播电台\s+-\s+RFI$|\s+-\s+[\u4e00-\u9fff]{2,8}$/,
    section: (u) => {
      const s = segment(u, 1); // /cn/<section>/...
      return s && s !== 'contenu' && !/^\d/.test(s) ? s : undefined;
    },
  },
  {
    id: 'bbc',
    name: 'BBC 中文',
    hosts: ['bbc.com', 'bbc.co.uk'],
    titleSuffix: /\s+-\s+BBC\s*News\s*中文$/,
    section: (u) => {
      const last = segment(u, 2); // /zhongwen/simp/<section>-<id>
      const m = last ? /^([a-z-]+?)-\d+$/.exec(last) : null;
      return m?.[1];
    },
  },
  { id: 'dw', name: '德国之声 DW', hosts: ['dw.com'], titleSuffix: /\s+\|\s+DW$/ },
  { id: 'voa', name: '美国之音 VOA', hosts: ['voachinese.com', 'voanews.com'] },
  {
    id: 'nytimes',
    name: '纽约时报中文网',
    hosts: ['nytimes.com', 'nytimes.cn', 'nytcn.me'],
    titleSuffix: /\s+-\s+纽约时报中文网$/,
    section: (u) => segment(u, 0), // cn.nytimes.com/<section>/...
  },
  {
    id: 'rfa',
    name: '自由亚洲电台 RFA',
    hosts: ['rfa.org'],
    section: (u) => {
      const parts = u.pathname.split('/').filter(Boolean); // /mandarin/<section>/<sub>/<file>
      // Commentary is /mandarin/pinglun/<columnist>/<file>: the columnist is not a section.
      if (parts[1] === 'pinglun') return 'pinglun';
      return parts.length >= 4 ? `${parts[1]}/${parts[2]}` : parts[1];
    },
  },
  { id: 'cdt', name: '中国数字时代', hosts: ['chinadigitaltimes.net'] },
  { id: 'hkcnews', name: '眾新聞', hosts: ['hkcnews.com'] },
];

/** Display names of the known outlets, by id. */
export const OUTLET_NAMES: ReadonlyMap<string, string> = new Map(RULES.map((r) => [r.id, r.name]));

function ruleFor(host: string): OutletRule | undefined {
  const h = host.toLowerCase();
  return RULES.find((r) => r.hosts.some((d) => h === d || h.endsWith(`.${d}`)));
}

/** Unknown hosts get an id and name from the registrable part of the host (`example.com` → `example`). */
export function outletFor(url: URL): Outlet {
  const rule = ruleFor(url.hostname);
  if (rule) return { id: rule.id, name: rule.name };
  const labels = url.hostname
    .toLowerCase()
    .replace(/^www\./, '')
    .split('.');
  const base = labels.length >= 2 ? labels[labels.length - 2]! : labels[0]!;
  const id = base.replace(/[^a-z0-9-]/g, '') || 'unknown';
  return { id, name: url.hostname.replace(/^www\./, '') };
}

export function stripTitleSuffix(title: string, url: URL): string {
  const rule = ruleFor(url.hostname);
  const stripped = rule?.titleSuffix ? title.replace(rule.titleSuffix, '') : title;
  return stripped.trim() || title.trim();
}

/** The section the outlet files the article under, from its URL, if the outlet has one. */
export function urlSection(url: URL): string | undefined {
  return ruleFor(url.hostname)?.section?.(url);
}
