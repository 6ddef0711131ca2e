// A parse worker thread: prepares the files the pool hands it, one message each. It says when it
// is ready, so that the pool's per-file clock does not count the start (OpenCC's dictionaries).
import { parentPort } from 'node:worker_threads';
import { prepareFile } from './prepare.js';

if (!parentPort) throw new Error('parse-worker.js runs only as a worker thread');
const port = parentPort;
port.on('message', (job: { seq: number; path: string; bytes: Uint8Array }) => {
  port.postMessage({ seq: job.seq, result: prepareFile(job.path, job.bytes) });
});
port.postMessage({ ready: true });
