// A story's keywords, people, places and organizations are extracted when the reindex sends it
// (indexer/reindex/stories.ts), not when its file is parsed: whichever way a story reaches the
// index (sent while parsing, after grouping, by an incremental run), it holds exactly what
// extractTerms() gives on its canonical title and body, as when every file was extracted.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Meilisearch } from 'meilisearch';
import { pino } from 'pino';
import { INDEX_SETTINGS } from '../../core/index-settings.js';
import { extractTerms } from '../../core/text/extract.js';
import { reindex, type ReindexOptions } from '../../indexer/reindex/run.js';
import { FIXTURE, FIXTURE_TREES } from '../helpers/corpus.js';
import { startTestMeili, tempDir, type TestMeili } from '../helpers/meili.js';

interface StoredStory {
  id: string;
  titleSearch: string;
  bodySearch: string;
  keywords: string[];
  people: string[];
  places: string[];
  organizations: string[];
}

const silent = pino({ level: 'silent' });

async function run(meili: TestMeili, indexName: string, roots: string[], dataDir: string, extra: Partial<ReindexOptions> = {}) {
  return reindex({ client: meili.client, indexName, dataDir, roots, incremental: false, prune: false, log: silent, ...extra });
}

async function storiesOf(client: Meilisearch, indexName: string): Promise<StoredStory[]> {
  const index = client.index(indexName);
  await index.updateSettings({ displayedAttributes: ['*'] }).waitTask({ timeout: 30_000 });
  const docs: StoredStory[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await index.getDocuments<StoredStory>({ offset, limit: 1000 });
    docs.push(...page.results);
    if (page.results.length < 1000) break;
  }
  await index.updateSettings({ displayedAttributes: INDEX_SETTINGS.displayedAttributes }).waitTask({ timeout: 30_000 });
  return docs;
}

const termsOf = (d: StoredStory) => ({ keywords: d.keywords, people: d.people, places: d.places, organizations: d.organizations });

describe('keywords and names are extracted for the stories sent, the same as from each story itself', () => {
  let meili: TestMeili;
  const dirs: string[] = [];
  const dir = () => {
    const d = tempDir();
    dirs.push(d);
    return d;
  };
  before(async () => {
    meili = await startTestMeili();
  });
  after(async () => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    await meili?.cleanup();
  });

  it('a full reindex on the parse workers, part streamed while parsing and the rest after grouping', async () => {
    // Small payloads and half the corpus streamed: both ways of sending a story are taken.
    await run(meili, 'full', FIXTURE_TREES, dir(), { parseWorkers: 2, batchBytes: 16 * 1024, streamShare: 0.5, lag: 20 });
    const stories = await storiesOf(meili.client, 'full');
    assert.equal(stories.length, FIXTURE.stories);
    for (const s of stories) assert.deepEqual(termsOf(s), extractTerms(s.titleSearch, s.bodySearch), s.id);
    // The lists are not all empty: the comparison above would pass for a run that extracted nothing.
    assert.ok(stories.filter((s) => s.people.length > 0).length >= 10, 'stories name people');
    assert.ok(stories.filter((s) => s.keywords.length > 0).length >= FIXTURE.stories * 0.9, 'stories have keywords');
  });

  it('an incremental run: a changed story gets the terms of its new text', async () => {
    const root = path.join(dir(), 'hkcnews');
    fs.cpSync(FIXTURE_TREES[2]!, root, { recursive: true });
    const dataDir = dir();
    await run(meili, 'changed', [root], dataDir);
    // A paragraph added before the outlet's closing appeal (where the cleaner ends the body).
    const footer = '請加入成為眾新聞的月費訂戶';
    const files = fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.md'));
    const filePath = files.map((e) => path.join(e.parentPath, e.name)).find((p) => fs.readFileSync(p, 'utf8').includes(footer))!;
    const text = fs.readFileSync(filePath, 'utf8');
    fs.writeFileSync(filePath, text.replace(footer, `林郑月娥在立法会答问，民主派议员批评政府。\n\n${footer}`));
    const summary = await run(meili, 'changed', [root], dataDir, { incremental: true });
    assert.equal(summary.mode, 'incremental');
    assert.equal(summary.updated + summary.indexed, 1, 'one story changed');
    const stories = await storiesOf(meili.client, 'changed');
    for (const s of stories) assert.deepEqual(termsOf(s), extractTerms(s.titleSearch, s.bodySearch), s.id);
    assert.ok(
      stories.some((s) => s.bodySearch.includes('民主派议员批评政府') && s.organizations.includes('立法会')),
      'the changed story names what its new text names',
    );
  });

  it('extractTerms false (bench:index measures extraction with it): the lists stay empty', async () => {
    await run(meili, 'bare', FIXTURE_TREES, dir(), { extractTerms: false });
    const stories = await storiesOf(meili.client, 'bare');
    assert.equal(stories.length, FIXTURE.stories);
    for (const s of stories) assert.deepEqual(termsOf(s), { keywords: [], people: [], places: [], organizations: [] }, s.id);
  });
});
