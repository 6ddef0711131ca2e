// How the server's Meilisearch client talks HTTP: node:http on kept-alive sockets, the body read
// as one buffer and parsed once. The client's default, fetch(), spent about a quarter of the
// server's CPU under load in its stream machinery and text decoding (CPU profile, bench:search).
// The contract is meilisearch-js's `httpClient` option: resolve with the parsed body; a failed
// answer is a MeilisearchApiError; a timeout rejects with the abort signal's own reason. The
// client wraps whatever an httpClient throws in a MeilisearchRequestError: apiError() unwraps it.
import { isUtf8, transcode } from 'node:buffer';
import http from 'node:http';
import https from 'node:https';
import { MeilisearchApiError, MeilisearchRequestError } from 'meilisearch';

export type HttpClient = (input: Parameters<typeof fetch>[0], init?: RequestInit) => Promise<unknown>;

/** A request's headers as a plain object, as node:http takes them. */
export function headersOf(init: RequestInit | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [k, v] of new Headers(init?.headers)) headers[k] = v;
  return headers;
}

/**
 * A UTF-8 body as a string. Node 20 decodes Chinese UTF-8 at about 230 MB/s (buffer.toString),
 * the largest single cost of a search (a one-word search reads 430 KB); ICU's transcode to UTF-16
 * and a UTF-16 read take a quarter of that time. Small or ASCII bodies gain nothing; invalid
 * UTF-8 is left to toString, which replaces bad bytes the same way as always.
 */
export function decode(body: Buffer): string {
  if (body.length < 4096 || !isUtf8(body)) return body.toString('utf8');
  return transcode(body, 'utf8', 'ucs2').toString('ucs2');
}

export function nodeHttpClient(): HttpClient {
  const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };
  return (input, init = {}) =>
    new Promise((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const signal = init.signal ?? undefined;
      if (signal?.aborted) return reject(signal.reason);
      const headers = headersOf(init);
      const body = typeof init.body === 'string' ? init.body : undefined;
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
      const lib = url.protocol === 'https:' ? https : http;
      const req = lib.request(url, { method: init.method ?? 'GET', headers, agent: agents[url.protocol as 'http:' | 'https:'] }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          signal?.removeEventListener('abort', onAbort);
          const status = res.statusCode ?? 0;
          let parsed: unknown;
          try {
            const text = decode(Buffer.concat(chunks));
            parsed = text === '' ? undefined : JSON.parse(text);
          } catch (err) {
            return reject(new Error(`Meilisearch answered ${status} with a body that is not JSON: ${(err as Error).message}`));
          }
          if (status >= 200 && status < 300) return resolve(parsed);
          reject(new MeilisearchApiError(new Response(null, { status, statusText: res.statusMessage ?? '' }), parsed as never));
        });
      });
      const onAbort = () => {
        req.destroy();
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (err) => {
        signal?.removeEventListener('abort', onAbort);
        reject(err);
      });
      req.end(body);
    });
}

/** The error Meilisearch answered with, whether thrown as is (fetch) or wrapped (httpClient). */
export function apiError(err: unknown): MeilisearchApiError | undefined {
  if (err instanceof MeilisearchApiError) return err;
  if (err instanceof MeilisearchRequestError && err.cause instanceof MeilisearchApiError) return err.cause;
  return undefined;
}
