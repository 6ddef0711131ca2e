// Keeps the server's embedded Meilisearch running: when it dies (crash, OOM kill, someone's
// kill -9), it is started again on the same port with the same data, after a delay that doubles
// on each failure in a row (0.5 s up to 30 s) so a binary that cannot start does not spin.
// Meanwhile searches answer 503; nothing else has to know.
import type { Logger } from '../log.js';
import { startEmbeddedMeili, type EmbeddedMeili } from './embedded.js';

export interface SupervisorOptions {
  dataDir: string;
  log: Logger;
  /** Called with each new instance (to record its pid in the DATA_DIR lock). */
  onStarted?: (meili: EmbeddedMeili) => void;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Up this long, an instance counts as healthy again and the delay starts over. */
  stableMs?: number;
}

export class MeiliSupervisor {
  #current: EmbeddedMeili;
  #startedAt = Date.now();
  #failures = 0;
  #restarts = 0;
  #stopping = false;
  #timer: NodeJS.Timeout | undefined;
  readonly #opts: Required<Omit<SupervisorOptions, 'onStarted'>> & Pick<SupervisorOptions, 'onStarted'>;
  readonly #port: number;

  constructor(first: EmbeddedMeili, opts: SupervisorOptions) {
    this.#opts = { initialDelayMs: 500, maxDelayMs: 30_000, stableMs: 60_000, ...opts };
    this.#current = first;
    this.#port = Number(new URL(first.url).port);
    this.#watch(first);
  }

  get current(): EmbeddedMeili {
    return this.#current;
  }

  /** Restarts so far (for /healthz and tests). */
  get restarts(): number {
    return this.#restarts;
  }

  #watch(meili: EmbeddedMeili): void {
    this.#startedAt = Date.now();
    void meili.exited.then(({ code, signal }) => {
      if (this.#stopping) return;
      if (Date.now() - this.#startedAt >= this.#opts.stableMs) this.#failures = 0;
      this.#opts.log.error(
        { event: 'meilisearch.crashed', pid: meili.pid, code, signal },
        'embedded Meilisearch exited unexpectedly; restarting it',
      );
      this.#schedule();
    });
  }

  #schedule(): void {
    const delay = Math.min(this.#opts.maxDelayMs, this.#opts.initialDelayMs * 2 ** this.#failures);
    this.#failures++;
    this.#opts.log.warn({ event: 'meilisearch.restart_scheduled', attempt: this.#failures, delayMs: delay });
    this.#timer = setTimeout(() => void this.#restart(), delay);
  }

  async #restart(): Promise<void> {
    if (this.#stopping) return;
    try {
      const meili = await startEmbeddedMeili({ dataDir: this.#opts.dataDir, log: this.#opts.log, port: this.#port });
      if (this.#stopping) return void (await meili.stop());
      this.#current = meili;
      this.#restarts++;
      this.#opts.onStarted?.(meili);
      this.#opts.log.warn({ event: 'meilisearch.restarted', pid: meili.pid, attempt: this.#failures, restarts: this.#restarts });
      this.#watch(meili);
    } catch (err) {
      this.#opts.log.error({ event: 'meilisearch.restart_failed', attempt: this.#failures, reason: (err as Error).message });
      if (!this.#stopping) this.#schedule();
    }
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#timer);
    await this.#current.stop();
  }
}
