// `tongwen parse <file-or-dir>... [--json]`: parse and clean without Meilisearch.
import { parseArgs } from 'node:util';
import { fingerprint, groupCopies, type Fingerprint } from '../dedupe/group.js';
import { parseAll } from '../parse-stream.js';

export const PARSE_HELP = `Usage: tongwen parse <file-or-dir>... [--json]

Parses article files (.md, .txt; directories recursively) and reports each one.
  --json    one JSON object per file: {"ok":true,"path","doc","warnings"} or {"ok":false,"path","error"}
Without --json, prints a summary with every rejected file and its reason, the junk pages and
the near-duplicate copies found (with --json, that summary goes to stderr).
`;

async function write(line: string): Promise<void> {
  if (!process.stdout.write(line)) await new Promise((r) => process.stdout.once('drain', r));
}

export async function parseCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    await write(PARSE_HELP);
    return 0;
  }
  if (positionals.length === 0) {
    process.stderr.write(`tongwen parse: give at least one file or directory\n\n${PARSE_HELP}`);
    return 2;
  }
  const started = performance.now();
  let ok = 0;
  let withWarnings = 0;
  const failed: Array<{ path: string; error: string }> = [];
  const byOutlet = new Map<string, number>();
  const byScript = new Map<string, number>();
  const fingerprints: Fingerprint[] = [];
  let junk = 0;
  for await (const result of parseAll(positionals)) {
    if (values.json) await write(`${JSON.stringify(result)}\n`);
    if (!result.ok && result.junk) junk++;
    if (result.ok) {
      fingerprints.push(fingerprint(result.doc));
      ok++;
      if (result.warnings.length) withWarnings++;
      byOutlet.set(result.doc.outlet.id, (byOutlet.get(result.doc.outlet.id) ?? 0) + 1);
      byScript.set(result.doc.script, (byScript.get(result.doc.script) ?? 0) + 1);
    } else failed.push({ path: result.path, error: result.error });
  }
  const { groups } = groupCopies(fingerprints);
  const grouped = groups.filter((g) => g.copies.length > 0);
  const copies = ok - groups.length;
  {
    const seconds = (performance.now() - started) / 1000;
    const list = (m: Map<string, number>) =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
    const lines = [
      `Parsed ${ok + failed.length} files in ${seconds.toFixed(1)} s: ${ok} articles, ${failed.length} rejected (${junk} junk pages), ${withWarnings} with warnings.`,
      `Near-duplicates: ${copies} copies in ${grouped.length} stories; ${groups.length} distinct stories.`,
      ok ? `By outlet: ${list(byOutlet)}.` : '',
      ok ? `By script: ${list(byScript)}.` : '',
      ...(failed.length && !values.json ? ['', 'Rejected:', ...failed.map((f) => `  ${f.path}: ${f.error}`)] : []),
    ];
    const text = `${lines.filter((l, i) => l !== '' || i > 0).join('\n')}\n`;
    // With --json, stdout carries only the per-file lines.
    if (values.json) process.stderr.write(text);
    else await write(text);
  }
  return 0;
}
