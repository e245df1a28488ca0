// What every command gets: the database (opened once, closed at the end) and output helpers.
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

export const out = {
  line: (s = '') => process.stdout.write(`${s}\n`),
  err: (s: string) => process.stderr.write(`${s}\n`),
};
