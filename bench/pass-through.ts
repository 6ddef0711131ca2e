// The floor of any Node.js layer in front of Meilisearch, for bench:search: a bare node:http
// server that, for each search, sends Meilisearch the very requests Tongwen's server sends and
// returns the last answer's bytes without reading them. With --read it also decodes and parses
// every answer as the server's client does (meili-http.ts): the floor of any layer that reads
// what it asked for. Run as its own process:
//   node dist/bench/pass-through.js <requests.json> [--read]
// where the file maps each /api/search path to its recorded requests; prints the port.
import fs from 'node:fs';
import http from 'node:http';
import { decode } from '../server/meili-http.js';

interface Recorded {
  method: string;
  path: string;
  body?: string;
  headers: Record<string, string>;
}

const file = process.argv[2];
const read = process.argv[3] === '--read';
if (!file) {
  process.stderr.write('usage: pass-through.js <requests.json>\n');
  process.exit(2);
}
const { meiliUrl, byPath } = JSON.parse(fs.readFileSync(file, 'utf8')) as { meiliUrl: string; byPath: Record<string, Recorded[]> };
const meili = new URL(meiliUrl);
const agent = new http.Agent({ keepAlive: true });

function send(r: Recorded): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = { ...r.headers, 'content-length': String(Buffer.byteLength(r.body ?? '')) };
    const req = http.request({ host: meili.hostname, port: meili.port, path: r.path, method: r.method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        if (read) JSON.parse(decode(body));
        resolve({ status: res.statusCode ?? 0, body });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(r.body);
  });
}

const server = http.createServer((req, res) => {
  const calls = byPath[req.url ?? ''];
  if (!calls) {
    res.writeHead(404).end();
    return;
  }
  void (async () => {
    let last: { status: number; body: Buffer } = { status: 200, body: Buffer.alloc(0) };
    for (const c of calls) last = await send(c);
    res.writeHead(last.status, { 'content-type': 'application/json' }).end(last.body);
  })().catch(() => res.writeHead(502).end());
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as { port: number }).port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
