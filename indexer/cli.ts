#!/usr/bin/env node
// The `tongwen` command: one entry point, one small module per subcommand.
import { parseArgs } from 'node:util';

const HELP = `Usage: tongwen <command> [options]

Commands:
  serve                      start the web server (same as npm start)
  help                       show this help

Options:
  -h, --help                 show this help

Environment: PORT, DATA_DIR, MEILI_URL, MEILI_MASTER_KEY, INDEX_NAME, LOG_LEVEL (see README.md).
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  switch (command) {
    case 'serve': {
      parseArgs({ args: rest, options: {}, strict: true });
      await import('../server/main.js');
      return -1; // the server keeps the process alive
    }
    default:
      process.stderr.write(`tongwen: unknown command '${command}'\n\n${HELP}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: Error) => {
    process.stderr.write(`tongwen: ${err.message}\n`);
    process.exitCode = 2;
  },
);
