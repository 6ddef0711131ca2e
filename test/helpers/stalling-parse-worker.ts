// A parse worker for the pool's time-limit tests: a file whose name ends in `.stall` never
// finishes (as a parse stuck in super-linear work would not); every other file is prepared as
// the real worker prepares it.
import { parentPort } from 'node:worker_threads';
import { prepareFile } from '../../indexer/reindex/prepare.js';

// `npm test` also loads every file under dist/test as a test file: outside a worker it does nothing.
const port = parentPort;
if (port) {
  port.on('message', (job: { seq: number; path: string; bytes: Uint8Array }) => {
    if (job.path.endsWith('.stall')) for (;;);
    port.postMessage({ seq: job.seq, result: prepareFile(job.path, job.bytes) });
  });
  port.postMessage({ ready: true });
}
