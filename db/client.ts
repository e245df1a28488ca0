// The one database module: PGlite in ./.data when DATABASE_URL is unset, PostgreSQL
// (postgres.js) when it is set. Nothing outside this file knows which one runs.
import fs from 'node:fs';
import path from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything that runs queries: the database or a transaction in progress. */
export type Queryable = Db | Tx;
export type DbDriver = 'pglite' | 'postgres';

export interface DbHandle {
  db: Db;
  driver: DbDriver;
  /** Applies the committed drizzle-kit migrations; safe to call from many instances at once. */
  migrate(): Promise<void>;
  /** Subscribe to a NOTIFY channel; returns an unsubscribe function. */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  /**
   * Bulk load: `COPY table (columns) FROM STDIN` in text format, fed with chunks of already
   * escaped lines (see copyText). Outside any transaction; used by the benchmark seed.
   */
  copyIn(table: string, columns: readonly string[], chunks: Iterable<string> | AsyncIterable<string>): Promise<void>;
  close(): Promise<void>;
  /** PGlite only: the data directory as a tarball (for cloning test databases). */
  dump?: () => Promise<Blob>;
}

export class DatabaseUnavailableError extends Error {}

export interface OpenOptions {
  /** postgres:// URL; when absent, PGlite in dataDir (or in memory with dataDir 'memory://'). */
  url?: string;
  dataDir?: string;
  /** Max pool size for PostgreSQL. */
  max?: number;
  /** PGlite only: start from a dumped data directory (tests clone a migrated, seeded one). */
  loadDataDir?: Blob;
}

export async function openDatabase(opts: OpenOptions): Promise<DbHandle> {
  return opts.url ? openPostgres(opts.url, opts.max ?? 10) : openPglite(opts.dataDir ?? path.resolve('.data'), opts.loadDataDir);
}

async function openPostgres(url: string, max: number): Promise<DbHandle> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const client = postgres(url, { max, onnotice: () => {}, connect_timeout: 5, idle_timeout: 30 });
  try {
    await client`select 1`;
  } catch (err) {
    await client.end({ timeout: 1 }).catch(() => {});
    throw new DatabaseUnavailableError(`Cannot reach PostgreSQL at ${redactUrl(url)}: ${describeError(err)}`);
  }
  const db = drizzle(client, { schema, casing: 'snake_case' }) as unknown as Db;
  return {
    db,
    driver: 'postgres',
    async migrate() {
      const { migrate } = await import('drizzle-orm/postgres-js/migrator');
      // Several app instances may start at once: one migrates, the others wait.
      const conn = await client.reserve();
      try {
        await conn`select pg_advisory_lock(7364021)`;
        await migrate(drizzle(client, { schema, casing: 'snake_case' }), { migrationsFolder: migrationsFolder() });
      } finally {
        await conn`select pg_advisory_unlock(7364021)`.catch(() => {});
        conn.release();
      }
    },
    async listen(channel, onMessage) {
      const sub = await client.listen(channel, onMessage);
      return () => sub.unlisten();
    },
    async copyIn(table, columns, chunks) {
      const conn = await client.reserve();
      let open = false;
      try {
        // In a transaction of its own: postgres.js 3.4 never settles a COPY the server refuses after
        // the last chunk and drops the reason (porsager/postgres#1173), but the refusal leaves the
        // transaction aborted, which the next statement on this connection reports.
        await conn`begin`;
        open = true;
        const writable = await conn.unsafe(copyStatement(table, columns, 'STDIN')).writable();
        // Each chunk waits until it is on the socket: nothing is left buffered when the COPY ends.
        for await (const chunk of chunks) {
          await new Promise<void>((resolve, reject) => writable.write(chunk, (err) => (err ? reject(err) : resolve())));
        }
        writable.end();
        await new Promise((resolve) => setImmediate(resolve));
        try {
          await conn`select 1`;
        } catch (err) {
          throw new Error(`PostgreSQL refused the COPY into ${table} (${(err as Error).message}); its log has the reason.`);
        }
        await conn`commit`;
        open = false;
      } finally {
        if (open) await conn`rollback`.catch(() => {});
        conn.release();
      }
    },
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(dataDir: string, loadDataDir?: Blob): Promise<DbHandle> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const inMemory = dataDir.startsWith('memory://');
  let release = () => {};
  if (!inMemory) {
    fs.mkdirSync(dataDir, { recursive: true });
    release = acquireDataDirLock(dataDir);
  }
  let client;
  try {
    client = await PGlite.create(inMemory ? undefined : path.join(dataDir, 'pglite'), loadDataDir ? { loadDataDir } : {});
  } catch (err) {
    release();
    throw new DatabaseUnavailableError(`Cannot open the embedded database in ${dataDir}: ${describeError(err)}`);
  }
  const pg = drizzle(client, { schema, casing: 'snake_case' });
  const db = pg as unknown as Db;
  return {
    db,
    driver: 'pglite',
    async migrate() {
      const { migrate } = await import('drizzle-orm/pglite/migrator');
      await migrate(pg, { migrationsFolder: migrationsFolder() });
    },
    async listen(channel, onMessage) {
      return client.listen(channel, onMessage);
    },
    async copyIn(table, columns, chunks) {
      // PGlite reads COPY input from a blob: feed it in bounded batches.
      const statement = copyStatement(table, columns, "'/dev/blob'");
      let batch: string[] = [];
      let size = 0;
      const flush = async () => {
        if (!batch.length) return;
        await client.query(statement, [], { blob: new Blob(batch) });
        batch = [];
        size = 0;
      };
      for await (const chunk of chunks) {
        batch.push(chunk);
        size += chunk.length;
        if (size >= 16 * 1024 * 1024) await flush();
      }
      await flush();
    },
    async close() {
      await client.close();
      release();
    },
    dump: () => client.dumpDataDir('none'),
  };
}

/**
 * PGlite is one process's database: a second writer on the same folder corrupts it.
 * The holder writes its pid into a lock file; anyone else is refused while it lives.
 */
function acquireDataDirLock(dataDir: string): () => void {
  const lockPath = path.join(dataDir, 'countersign.lock');
  const tryCreate = () => {
    const fd = fs.openSync(lockPath, 'wx');
    fs.writeSync(fd, `${process.pid}\n`);
    fs.closeSync(fd);
  };
  try {
    tryCreate();
  } catch {
    const holder = Number.parseInt(fs.readFileSync(lockPath, 'utf8'), 10);
    if (Number.isFinite(holder) && holder !== process.pid && isAlive(holder)) {
      throw new DatabaseUnavailableError(
        `The embedded database in ${dataDir} is in use by another Countersign process (pid ${holder}). ` +
          'Stop it first, or set DATABASE_URL to use PostgreSQL.',
      );
    }
    // A stale lock from a process that died: take it over.
    fs.rmSync(lockPath, { force: true });
    tryCreate();
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    // A process that opens and closes the database many times (the CLI tests) keeps no listener per open.
    process.off('exit', release);
    try {
      if (fs.readFileSync(lockPath, 'utf8').trim() === String(process.pid)) fs.rmSync(lockPath, { force: true });
    } catch {
      /* already gone */
    }
  };
  process.once('exit', release);
  return release;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function migrationsFolder(): string {
  return path.resolve(process.env.COUNTERSIGN_ROOT ?? process.cwd(), 'db/migrations');
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

function describeError(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length) return describeError(err.errors[0]);
  if (err instanceof Error) return (err as NodeJS.ErrnoException).code ? `${(err as NodeJS.ErrnoException).code} ${err.message}` : err.message;
  return String(err);
}

function copyStatement(table: string, columns: readonly string[], source: string): string {
  const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
  return `COPY ${ident(table)} (${columns.map(ident).join(', ')}) FROM ${source}`;
}

/** One value in COPY text format: \\N for null, backslash escapes for the separators. */
export function copyText(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  let s: string;
  if (typeof value === 'string') s = value;
  else if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  else if (typeof value === 'boolean') return value ? 't' : 'f';
  else if (value instanceof Date) return value.toISOString();
  else s = JSON.stringify(value);
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : s;
}

/**
 * `= any(…)` over integer ids as ONE array parameter: a list of a thousand ids bound one by one
 * (inArray) costs the planner more than the query itself. Use as sql`col = ${anyIntArray(ids)}`.
 */
export function anyIntArray(ids: readonly number[]): SQL {
  return sql`any(${`{${ids.map((id) => Math.trunc(id)).join(',')}}`}::int[])`;
}

/** Rows of a raw query, whichever driver runs it (postgres.js returns an array, PGlite {rows}). */
export async function queryRows<T = Record<string, unknown>>(q: Queryable, query: SQL): Promise<T[]> {
  const result = (await q.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

export { sql };
