// Structured logging: one JSON line per event. Secrets are redacted by key name as a safety net;
// the code never passes keys to the logger on purpose.
import { pino, type Logger } from 'pino';

export type { Logger };

const redact = {
  paths: ['masterKey', 'apiKey', 'key', '*.masterKey', '*.apiKey', '*.key', 'headers.authorization'],
  censor: '[redacted]',
};

/** Server logs go to stdout; CLI logs to stderr so stdout stays clean for --json output. */
export function createLogger(level: string, destination: 1 | 2 = 1): Logger {
  return pino({ level, redact, base: { pid: process.pid } }, pino.destination({ fd: destination, sync: true }));
}
