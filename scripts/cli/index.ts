// `countersign <command>`: the operator's and the pipeline's command line.
import { DatabaseUnavailableError } from '@/db/client';
import { EnvError } from '@/lib/env';
import { isAppError } from '@/lib/errors';
import { CliError, closeCliDatabase, out, processIo, installIo, type CliIo } from './context';
import { commands } from './registry';

function usage(): string {
  const rows = commands.map((c) => `  countersign ${c.name.padEnd(18)} ${c.summary}`);
  return ['Usage:', ...rows, '', 'Run `countersign <command> --help` for its options.'].join('\n');
}

/** Runs one command line; `io` replaces the process's streams (tests run the CLI in process this way). */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const restore = installIo(io);
  try {
    return await run(argv);
  } finally {
    restore();
  }
}

async function run(argv: string[]): Promise<number> {
  // Longest matching command name wins: "db migrate" before "db".
  const match = commands
    .map((c) => ({ c, words: c.name.split(' ') }))
    .filter(({ words }) => words.every((w, i) => argv[i] === w))
    .sort((a, b) => b.words.length - a.words.length)[0];
  if (!match) {
    if (argv.length && !['-h', '--help', 'help'].includes(argv[0]!)) out.err(`Unknown command: ${argv.join(' ')}\n`);
    out.err(usage());
    return argv.length && !['-h', '--help', 'help'].includes(argv[0]!) ? 2 : 0;
  }
  const rest = argv.slice(match.words.length);
  if (rest.includes('--help') || rest.includes('-h')) {
    out.line(`countersign ${match.c.name} — ${match.c.summary}\n\n${match.c.help}`);
    return 0;
  }
  try {
    return (await match.c.run(rest)) ?? 0;
  } catch (err) {
    if (err instanceof CliError) {
      out.err(`countersign: ${err.message}`);
      return err.exitCode;
    }
    if (err instanceof EnvError || err instanceof DatabaseUnavailableError || isAppError(err)) {
      out.err(`countersign: ${err.message}`);
      return 1;
    }
    if (err instanceof TypeError && (err as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      out.err(`countersign: ${err.message}`);
      return 2;
    }
    if ((err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      out.err(`countersign: ${(err as Error).message}`);
      return 2;
    }
    out.err(`countersign: ${(err as Error)?.stack ?? String(err)}`);
    return 1;
  } finally {
    await closeCliDatabase();
  }
}
