// Runs the command line in this process through its `main(argv, io)`: the same code path as
// `npx countersign`, without starting a tsx process per step (tests/cli/cli.test.ts keeps
// one smoke test that spawns the real binary).
import { Readable } from 'node:stream';
import { main } from '@/scripts/cli/index';
import { resetEnvCache } from '@/lib/env';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `env` is applied on top of process.env for the run (undefined removes a variable) and
 * restored afterwards; `input` is standard input (empty, not a terminal, when omitted);
 * `onStdout` sees the output so far after each write. One run at a time: the env is global.
 */
export async function runCli(args: string[], opts: { env?: Record<string, string | undefined>; input?: string; onStdout?: (soFar: string) => void } = {}): Promise<CliResult> {
  const saved = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    saved.set(k, process.env[k]);
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
  let stdout = '';
  let stderr = '';
  const stdin = Readable.from(opts.input ? [Buffer.from(opts.input)] : []);
  try {
    const code = await main(args, { stdout: (t) => {
        stdout += t;
        opts.onStdout?.(stdout);
      }, stderr: (t) => void (stderr += t), stdin });
    return { code, stdout, stderr };
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetEnvCache();
  }
}
