// Reindex progress: a live bar on a terminal, a plain log line every few seconds otherwise.
import cliProgress from 'cli-progress';
import type { Logger } from '../../core/log.js';

export interface ProgressCounts {
  files: number;
  totalFiles: number;
  sent: number;
  indexed: number;
  /** Documents the run expects to index: the file count until grouping knows the stories. */
  expected: number;
}

export interface Progress {
  update(counts: ProgressCounts): void;
  stop(): void;
}

export function createProgress(log: Logger, tty: boolean, intervalMs = 5_000): Progress {
  const started = Date.now();
  const rate = (n: number) => Math.round(n / Math.max(1, (Date.now() - started) / 1000));
  if (tty) {
    const bar = new cliProgress.SingleBar(
      {
        format: ' {bar} {percentage}% | files {files}/{totalFiles} | sent {sent} | indexed {value} | {rate} docs/s | ETA {eta_formatted}',
        hideCursor: true,
        etaBuffer: 50,
        stream: process.stderr,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(1, 0, { files: 0, totalFiles: 0, sent: 0, rate: 0 });
    return {
      update: (c) => {
        bar.setTotal(Math.max(1, c.expected));
        bar.update(c.indexed, { files: c.files, totalFiles: c.totalFiles, sent: c.sent, rate: rate(c.indexed) });
      },
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  return {
    update: (c) => {
      if (Date.now() - last < intervalMs) return;
      last = Date.now();
      log.info({ event: 'reindex.progress', ...c, docsPerSecond: rate(c.indexed) });
    },
    stop: () => {},
  };
}
