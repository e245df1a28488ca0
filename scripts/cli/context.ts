// What every command gets: the database (opened once, closed at the end) and output helpers.
import type { Readable } from 'node:stream';
import { migrateWithRoles } from '@/db/grants';
import { openDatabase, type DbHandle } from '@/db/client';
import { setDbHandle } from '@/db';
import { getEnv } from '@/lib/env';

export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

let handle: DbHandle | undefined;

export async function openCliDatabase(opts: { migrate?: boolean } = {}): Promise<DbHandle> {
  if (handle) return handle;
  const env = getEnv();
  handle = await openDatabase({ url: env.DATABASE_URL, dataDir: env.dataDir, max: 4 });
  setDbHandle(handle);
  if (opts.migrate !== false) await migrateWithRoles(handle, env.DATABASE_MIGRATION_URL);
  return handle;
}

export async function closeCliDatabase(): Promise<void> {
  if (!handle) return;
  const h = handle;
  handle = undefined;
  setDbHandle(undefined);
  await h.close();
}

/** Where a run of the CLI reads and writes: the process's streams, or a test's buffers. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: Readable & { isTTY?: boolean };
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  get stdin() {
    return process.stdin;
  },
};

let io: CliIo = processIo;

/** Makes `io` the current run's streams; returns the function that restores the previous ones. */
export function installIo(next: CliIo): () => void {
  const previous = io;
  io = next;
  return () => {
    io = previous;
  };
}

export const out = {
  line: (s = '') => io.stdout(`${s}\n`),
  err: (s: string) => io.stderr(`${s}\n`),
  /** Standard input of the current run. */
  stdin: () => io.stdin,
};
