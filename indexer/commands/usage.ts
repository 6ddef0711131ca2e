// What `tongwen reindex` and `tongwen repair` share before they start: bad usage or configuration
// is said on stderr with the command's help, and exits 2.
import { loadConfig, type Config } from '../../core/config.js';
import { ConfigError } from '../../core/errors.js';

/** Prints `message` and the command's help on stderr; returns exit code 2. */
export type Usage = (message: string) => number;

export function usageOf(command: string, help: string): Usage {
  return (message) => {
    process.stderr.write(`tongwen ${command}: ${message}\n\n${help}`);
    return 2;
  };
}

/** The configuration from the environment, or the exit code after `usage` said what is wrong with it. */
export function configOrUsage(usage: Usage): Config | number {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) return usage(err.message);
    throw err;
  }
}
