#!/usr/bin/env node
// The `tongwen` command: one entry point, one small module per subcommand.
import { parseArgs } from 'node:util';

const HELP = `Usage: tongwen <command> [options]

Commands:
  serve                      start the web server (same as npm start)
  parse <path>... [--json]   parse and clean article files, report each (no Meilisearch needed)
  reindex <dir>... [--incremental [--prune]] [--allow-shrink] [--json]
                             load article files into Meilisearch (same as npm run reindex -- <dir>...)
  repair [--json]            bring stale instances of a network (MEILI_INSTANCES) up to date
  help                       show this help

Options:
  -h, --help                 show this help

Environment: PORT, DATA_DIR, MEILI_URL, MEILI_MASTER_KEY, MEILI_INSTANCES, MEILI_MASTER_KEYS,
MEILI_REPLICAS, INDEX_NAME, LOG_LEVEL (see README.md).
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  switch (command) {
    case 'serve': {
      const { values } = parseArgs({ args: rest, options: { help: { type: 'boolean', short: 'h', default: false } }, strict: true });
      if (values.help) {
        process.stdout.write('Usage: tongwen serve\n\nStarts the web server on PORT (see README.md for the environment).\n');
        return 0;
      }
      const { serve } = await import('../server/main.js');
      await serve();
      return -1; // the server keeps the process alive
    }
    case 'parse': {
      const { parseCommand } = await import('../indexer/commands/parse.js');
      return parseCommand(rest);
    }
    case 'reindex': {
      const { reindexCommand } = await import('../indexer/commands/reindex.js');
      return reindexCommand(rest);
    }
    case 'repair': {
      const { repairCommand } = await import('../indexer/commands/repair.js');
      return repairCommand(rest);
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
  (err: Error & { code?: string }) => {
    process.stderr.write(`tongwen: ${err.message}\n`);
    // parseArgs reports bad usage with ERR_PARSE_ARGS_* codes; anything else is a failure.
    process.exitCode = err.code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
  },
);
