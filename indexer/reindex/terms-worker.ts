// A worker thread of terms-pool.ts: each message is a list of stories' canonical [title, body];
// it answers with their keywords and names, in the same order.
import { parentPort } from 'node:worker_threads';
import { extractTerms } from '../../core/text/extract.js';

if (!parentPort) throw new Error('terms-worker.js runs only as a worker thread');
const port = parentPort;
port.on('message', (stories: Array<[string, string]>) => {
  port.postMessage(stories.map(([title, body]) => extractTerms(title, body)));
});
