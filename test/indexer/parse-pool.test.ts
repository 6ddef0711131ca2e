// Parsing on worker threads gives exactly what parsing on the main thread gives, in walk order.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createParser, MIN_FILES_FOR_WORKERS, overTimeLimit, workerCount } from '../../indexer/reindex/parse-pool.js';
import { prepareFile } from '../../indexer/reindex/prepare.js';
import { scanFiles } from '../../indexer/reindex/scan.js';
import { fixtureCorpusDir, fixtureFiles } from '../helpers/corpus.js';

describe('parse workers', () => {
  it('prepare every corpus file exactly as the main thread does', async () => {
    const files = [...fixtureFiles('feedx'), ...fixtureFiles('cdt'), ...fixtureFiles('hkcnews')];
    const parser = createParser(2);
    try {
      const results = await Promise.all(files.map((f) => parser.prepare(f, fs.readFileSync(f))));
      assert.equal(results.length, files.length);
      for (const [i, f] of files.entries()) assert.deepEqual(results[i], prepareFile(f, fs.readFileSync(f)), f);
      assert.ok(
        results.some((r) => !r.ok),
        'the damaged files are rejected on the workers too',
      );
    } finally {
      await parser.close();
    }
  });

  it('scanFiles yields in walk order whichever worker finishes first', async () => {
    const roots = [path.join(fixtureCorpusDir, 'hkcnews')];
    const inline: string[] = [];
    for await (const s of scanFiles(roots, undefined, createParser(0))) inline.push(s.path);
    const parser = createParser(2);
    const pooled: string[] = [];
    try {
      for await (const s of scanFiles(roots, undefined, parser)) pooled.push(s.path);
    } finally {
      await parser.close();
    }
    assert.deepEqual(pooled, inline);
  });

  it('a closed pool refuses work with an error instead of hanging', async () => {
    const parser = createParser(1);
    await parser.close();
    const f = fixtureFiles('feedx')[0]!;
    await assert.rejects(parser.prepare(f, fs.readFileSync(f)), /parse worker/);
  });

  // The timeout only keeps a pool without a time limit from hanging the suite.
  it('a file that runs past the time limit is rejected with that reason, and the files after it are parsed', {
    timeout: 120_000,
  }, async () => {
    const limitMs = 2_000;
    const parser = createParser(1, { timeLimitMs: limitMs, workerUrl: new URL('../helpers/stalling-parse-worker.js', import.meta.url) });
    const good = fixtureFiles('feedx').slice(0, 3);
    try {
      const [stalled, ...rest] = await Promise.all([
        parser.prepare('/hostile/article.stall', Buffer.from('<a'.repeat(1000))),
        ...good.map((f) => parser.prepare(f, fs.readFileSync(f))),
      ]);
      assert.deepEqual(stalled, overTimeLimit('/hostile/article.stall', limitMs));
      assert.match(stalled!.ok ? '' : stalled!.error, /longer than 2 s, the limit for one file/);
      for (const [i, f] of good.entries()) assert.deepEqual(rest[i], prepareFile(f, fs.readFileSync(f)), f);
    } finally {
      await parser.close();
    }
  });

  it('small runs stay on the main thread', () => {
    assert.equal(workerCount(MIN_FILES_FOR_WORKERS - 1), 0);
    assert.ok(workerCount(MIN_FILES_FOR_WORKERS) >= 1);
  });
});
