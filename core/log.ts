// Structured logging: one JSON line per event. Secrets are redacted by key name as a safety net;
// the code never passes keys to the logger on purpose.
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

const redact = {
  paths: ['masterKey', 'apiKey', 'key', '*.masterKey', '*.apiKey', '*.key', 'headers.authorization'],
  censor: '[redacted]',
};

/**
 * Server logs go to stdout; CLI logs to stderr so stdout stays clean for --json output, or to a
 * stream of the CLI's own (the reindex writes readable lines on a terminal).
 */
export function createLogger(level: string, destination: 1 | 2 | DestinationStream = 1): Logger {
  const to = typeof destination === 'number' ? pino.destination({ fd: destination, sync: true }) : destination;
  return pino({ level, redact, base: { pid: process.pid } }, to);
}
