// The server's Meilisearch transport (server/meili-http.ts) with a recorder in front, for tests
// that check what Meilisearch is asked: every request that goes out is kept (URL and body) and
// announced ('sent'), and a request can be held before it goes out ('held') until the test lets
// it go, so that a test can act while a request's work is in flight. A request whose signal has
// aborted by the time it would go out is not sent (the transport refuses it), and not recorded.
import { EventEmitter } from 'node:events';
import { pino, type Logger } from 'pino';
import { nodeHttpClient, type HttpClient } from '../../server/meili-http.js';

export interface SentRequest {
  url: string;
  body: unknown;
}

export class RecordingHttp {
  readonly sent: SentRequest[] = [];
  readonly events = new EventEmitter();
  readonly #inner = nodeHttpClient();
  #holding: { left: number; matches: (url: string) => boolean } | undefined;
  #gate: { promise: Promise<void>; open(): void } | undefined;

  /** Multi-searches sent (not health probes, key look-ups or reads of the index's version). */
  searches(): SentRequest[] {
    return this.sent.filter((r) => isSearch(r.url));
  }

  /**
   * Holds the `n`th request from now (1: the next) among those whose URL `matches`, before it
   * goes out; resolves with the request's signal once it is waiting. release() lets it go.
   */
  hold(n = 1, matches: (url: string) => boolean = () => true): Promise<AbortSignal | undefined> {
    this.#holding = { left: n, matches };
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.#gate = { promise, open };
    return new Promise((resolve) => this.events.once('held', resolve));
  }

  release(): void {
    this.#gate?.open();
  }

  readonly client: HttpClient = async (input, init = {}) => {
    const url = input instanceof Request ? input.url : String(input);
    const holding = this.#holding;
    if (holding?.matches(url) && --holding.left === 0 && this.#gate) {
      this.#holding = undefined;
      this.events.emit('held', init.signal ?? undefined);
      await this.#gate.promise;
    }
    if (!init.signal?.aborted) {
      const sent = { url, body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined };
      this.sent.push(sent);
      this.events.emit('sent', sent);
    }
    return this.#inner(input, init);
  };
}

/** A multi-search, the call that searches (for hold(): not the version read that comes first). */
export function isSearch(url: string): boolean {
  return url.endsWith('/multi-search');
}

/** A logger whose lines are events by their `event` field (info and above), for tests to wait on. */
export function eventLogger(): { log: Logger; events: EventEmitter } {
  const events = new EventEmitter();
  const log = pino(
    { level: 'info' },
    {
      write(line: string) {
        const entry = JSON.parse(line) as { event?: string };
        if (entry.event) events.emit(entry.event, entry);
      },
    },
  );
  return { log, events };
}
