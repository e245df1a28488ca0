// The process-wide database handle, opened once from the environment.
import { getEnv } from '@/lib/env';
import { openDatabase, type Db, type DbHandle } from './client';

const globalForDb = globalThis as unknown as { __countersignDb?: Promise<DbHandle> };

export function getDbHandle(): Promise<DbHandle> {
  if (!globalForDb.__countersignDb) {
    const env = getEnv();
    const opening = openDatabase({ url: env.DATABASE_URL, dataDir: env.dataDir });
    // A failed open is not cached: the next caller tries again.
    opening.catch(() => {
      if (globalForDb.__countersignDb === opening) globalForDb.__countersignDb = undefined;
    });
    globalForDb.__countersignDb = opening;
  }
  return globalForDb.__countersignDb;
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

/** Lets tests and the CLI install a handle they opened themselves. */
export function setDbHandle(handle: DbHandle | undefined): void {
  globalForDb.__countersignDb = handle ? Promise.resolve(handle) : undefined;
}

export type { Db, DbHandle, Queryable, Tx } from './client';
export { queryRows } from './client';
