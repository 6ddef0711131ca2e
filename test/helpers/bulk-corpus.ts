// A larger corpus made from the fixtures, for tests that need more data than 150 articles (a disk
// that fills up): each copy of the hkcnews fixtures gets new article numbers and dates 20 days
// later per copy, so the copies are distinct stories and never fold into one.
import fs from 'node:fs';
import path from 'node:path';
import { fixtureCorpusDir, fixtureFiles } from './corpus.js';

function shiftDay(day: string, days: number): string {
  const t = Date.parse(`${day}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Writes `copies` copies of the hkcnews fixtures under `dir` and returns `dir`. */
export function writeBulkCorpus(dir: string, copies: number): string {
  const source = path.join(fixtureCorpusDir, 'hkcnews');
  for (let k = 1; k <= copies; k++) {
    for (const file of fixtureFiles('hkcnews')) {
      const text = fs
        .readFileSync(file, 'utf8')
        .replace(/\/article\/(\d+)/g, (_, n: string) => `/article/${Number(n) + k * 1_000_000}`)
        .replace(/^date: "(\d{4}-\d{2}-\d{2})"/m, (_, d: string) => `date: "${shiftDay(d, 20 * k)}"`);
      const to = path.join(dir, `copy-${k}`, path.relative(source, file));
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.writeFileSync(to, text);
    }
  }
  return dir;
}
