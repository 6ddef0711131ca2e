// The keywords and names of the stories a full reindex sends after grouping (most of them),
// extracted on worker threads, one per core, before the first of those stories is sent. Extracted
// one by one as they were sent, on the main thread, they reached Meilisearch slower than it
// indexed them, so it indexed them in many small batches: more time and more disk (the file keeps
// the pages each batch replaced). Small runs extract on the main thread (workerCount()).
import { Worker } from 'node:worker_threads';
import type { IndexDocument } from '../../core/index-document.js';
import { extractTerms, type ExtractedTerms } from '../../core/text/extract.js';

type StoryText = Pick<IndexDocument, 'titleSearch' | 'bodySearch'>;

/** Stories per message to a worker: few enough to spread the work evenly, enough to make messages rare. */
const STORIES_PER_JOB = 32;

/** Each story's keywords and names, by id; `textOf` gives a story's canonical title and body. */
export async function extractStories(
  ids: string[],
  textOf: (id: string) => StoryText,
  workers: number,
): Promise<Map<string, ExtractedTerms>> {
  const out = new Map<string, ExtractedTerms>();
  if (workers <= 0 || ids.length <= STORIES_PER_JOB) {
    for (const id of ids) {
      const t = textOf(id);
      out.set(id, extractTerms(t.titleSearch, t.bodySearch));
    }
    return out;
  }
  const pool = Array.from({ length: workers }, () => new Worker(new URL('./terms-worker.js', import.meta.url)));
  try {
    let next = 0;
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let job: string[] = [];
            const give = () => {
              job = ids.slice(next, next + STORIES_PER_JOB);
              next += job.length;
              if (job.length === 0) return resolve();
              worker.postMessage(job.map((id) => textOf(id)).map((t) => [t.titleSearch, t.bodySearch]));
            };
            worker.on('message', (terms: ExtractedTerms[]) => {
              for (const [i, id] of job.entries()) out.set(id, terms[i]!);
              give();
            });
            worker.on('error', (err) => reject(new Error(`a worker extracting keywords and names failed: ${err.message}`)));
            worker.on('exit', (code) => reject(new Error(`a worker extracting keywords and names exited (code ${code})`)));
            give();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return out;
}
