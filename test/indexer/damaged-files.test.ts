// Files that cannot be articles, among good ones: each is rejected with its path and a reason,
// the rest is indexed. Fixture corpus files, damaged on purpose in a temp copy.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MAX_FILE_BYTES } from '../../indexer/parse-file.js';
import { createParser, type Parser } from '../../indexer/reindex/parse-pool.js';
import { scanFiles } from '../../indexer/reindex/scan.js';
import { runCli } from '../helpers/cli.js';
import { fixtureFiles } from '../helpers/corpus.js';
import { startTestMeili, tempDir, type TestMeili } from '../helpers/meili.js';

interface Summary {
  documents: number;
  rejected: Array<{ path: string; reason: string }>;
}

let meili: TestMeili;
let env: Record<string, string>;
const dirs: string[] = [];
before(async () => {
  meili = await startTestMeili();
  const dataDir = tempDir();
  dirs.push(dataDir);
  env = { MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.masterKey, DATA_DIR: dataDir };
});
after(async () => {
  await meili.cleanup();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function copyOf(sub: string): { dir: string; files: string[] } {
  const dir = tempDir('tongwen-damaged-');
  dirs.push(dir);
  const files = fixtureFiles(sub).map((f, i) => {
    const to = path.join(dir, `${String(i).padStart(4, '0')}-${path.basename(f)}`);
    fs.copyFileSync(f, to);
    return to;
  });
  return { dir, files };
}

async function reindexJson(dir: string, extra: Record<string, string> = {}): Promise<Summary> {
  const run = runCli(['reindex', dir, '--json'], { ...env, ...extra });
  assert.equal(await run.done, 0, run.stderr);
  return JSON.parse(run.stdout) as Summary;
}

describe('damaged files are rejected with a reason; the rest is indexed', () => {
  it('binary, truncated, non-UTF-8 (UTF-16, Latin-1) and oversized (50 MB) files', async () => {
    const { dir, files } = copyOf('feedx');
    const baseline = await reindexJson(copyOf('feedx').dir);
    const [binary, truncated, utf16, latin1, huge] = files.slice(0, 5) as [string, string, string, string, string];
    const original = fs.readFileSync(binary);
    fs.writeFileSync(binary, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    fs.writeFileSync(truncated, original.subarray(0, 25)); // cut inside the header line
    fs.writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(fs.readFileSync(utf16, 'utf8'), 'utf16le')]));
    fs.writeFileSync(latin1, Buffer.from(fs.readFileSync(latin1, 'utf8').replace(/[^\x00-\x7f]/g, 'é'), 'latin1'));
    fs.truncateSync(huge, 50 * 1024 * 1024); // 50 MB (sparse: nothing is written)

    const summary = await reindexJson(dir);
    const reason = (file: string) => summary.rejected.find((r) => r.path === file)?.reason;
    assert.match(reason(binary) ?? '', /not valid UTF-8|binary data/);
    assert.match(reason(truncated) ?? '', /./, 'truncated file has a reason');
    assert.match(reason(utf16) ?? '', /not valid UTF-8|binary data/);
    assert.match(reason(latin1) ?? '', /not valid UTF-8/);
    assert.match(reason(huge) ?? '', new RegExp(`file is ${50 * 1024 * 1024} bytes, over the ${MAX_FILE_BYTES}-byte limit`));
    assert.ok(summary.documents >= baseline.documents - 5 && summary.documents > 0, 'only the damaged files are missing');
    if (process.env.SHOW_REASONS) console.log(summary.rejected);
    for (const r of summary.rejected) assert.ok(r.path.startsWith(dir) && r.reason.length > 0);
  });

  it('a file listed by the walk that vanishes before it is read is rejected as unreadable; the rest parse', async () => {
    const { dir, files } = copyOf('hkcnews');
    const kept = Math.floor(files.length / 2);
    const doomed = new Set(files.slice(kept));
    // The walk has listed the whole directory when the first file is parsed; the files removed
    // then are read later, exactly as if another process deleted them mid-run.
    const inner = createParser(0);
    let removed = false;
    const parser: Parser = {
      prepare: async (p, bytes) => {
        if (!removed) {
          removed = true;
          for (const f of doomed) fs.rmSync(f);
        }
        return inner.prepare(p, bytes);
      },
      close: () => inner.close(),
    };
    let parsed = 0;
    for await (const s of scanFiles([dir], undefined, parser)) {
      if (doomed.has(s.path)) {
        assert.equal(s.kind, 'unreadable', s.path);
        assert.match((s as { error: string }).error, /cannot read file \(ENOENT\)/);
      } else {
        assert.equal(s.kind, 'parsed', s.path);
        parsed++;
      }
    }
    assert.equal(parsed, kept);
  });

  it('a file that vanishes between two runs keeps its last good version (without --prune)', async () => {
    const { dir, files } = copyOf('feedx');
    const first = await reindexJson(dir);
    fs.rmSync(files[0]!);
    const run = runCli(['reindex', dir, '--incremental', '--json'], env);
    assert.equal(await run.done, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as Summary).documents, first.documents);
  });
});
