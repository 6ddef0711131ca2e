// Markdown with YAML front matter (the hkcnews archive):
//   ---
//   title: "…"  date: "2017-01-01"  author  category  tags: [...]  url  original_url  last_updated
//   ---
//   # title
//   Markdown body with some inline HTML (<figure>), Hugo shortcodes ({{< video … >}})
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ParseError } from '../../core/errors.js';
import type { RawArticle } from '../../core/schema.js';

const text = z.preprocess((v) => (v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : v), z.string());

const frontMatterSchema = z.object({
  title: text,
  date: text,
  last_updated: text.optional(),
  author: text.optional(),
  category: text.optional(),
  tags: z.preprocess((v) => (v === null || v === undefined ? [] : v), z.array(text)),
  url: text,
  original_url: text.optional(),
});

/** A calendar day in Hong Kong/Beijing time (UTC+8, no DST since 1979) → ISO UTC instant of its start. */
export function hongKongDay(day: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day.trim());
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - 8 * 3600_000;
  const check = new Date(ms + 8 * 3600_000);
  if (check.getUTCDate() !== Number(m[3]) || check.getUTCMonth() !== Number(m[2]) - 1) return undefined;
  return new Date(ms).toISOString();
}

/** `2020-07-17 01:22:32` in Hong Kong time → ISO UTC. */
function hongKongTimestamp(value: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return undefined;
  const day = hongKongDay(m[1]!);
  if (!day) return undefined;
  return new Date(Date.parse(day) + ((Number(m[2]) * 60 + Number(m[3])) * 60 + Number(m[4] ?? 0)) * 1000).toISOString();
}

export function parseFrontMatter(source: string): RawArticle {
  const m = /^---\n([\s\S]*?)\n---[ \t]*(?:\n|$)([\s\S]*)$/.exec(source.trimStart());
  if (!m) throw new ParseError('front matter: no closing --- line');
  let data: unknown;
  try {
    data = parseYaml(m[1]!);
  } catch (err) {
    throw new ParseError(`front matter: invalid YAML (${(err as Error).message.split('\n')[0]})`);
  }
  const parsed = frontMatterSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ParseError(`front matter: field ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const fm = parsed.data;
  if (!fm.url && !fm.original_url) throw new ParseError('front matter: no url or original_url');
  const warnings: string[] = [];
  const publishedAt = fm.date.trim() ? hongKongDay(fm.date) : undefined;
  if (!fm.date.trim()) warnings.push('date is empty: indexed without a publication date');
  else if (!publishedAt) warnings.push(`date "${fm.date}" is not a valid YYYY-MM-DD day: indexed without a publication date`);
  return {
    format: 'front-matter',
    title: fm.title.trim(),
    url: fm.url.trim() || fm.original_url!.trim(),
    originalUrl: fm.original_url?.trim() || undefined,
    publishedAt: publishedAt ?? null,
    updatedAt: fm.last_updated ? hongKongTimestamp(fm.last_updated) : undefined,
    author: fm.author?.trim() || undefined,
    category: fm.category?.trim() || undefined,
    tags: fm.tags.map((t) => t.trim()).filter(Boolean),
    body: m[2]!,
    bodyKind: 'markdown',
    warnings,
  };
}
