// Two database roles on PostgreSQL: the owner runs the migrations and owns every table; the
// server's role gets only what it needs, derived from the live schema (never a hand list that
// rots): read/write on every table except the append-only ones, where it may only INSERT and
// SELECT. Not owning audit_events, it can neither DISABLE TRIGGER nor DELETE/UPDATE/TRUNCATE.
// See docs/security.md "Database roles".
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, type DbHandle, type Queryable } from './client';

/** Tables whose rows are never changed or removed once written. */
export const APPEND_ONLY_TABLES: readonly string[] = ['audit_events'];

const ROLE_NAME = /^[A-Za-z_][A-Za-z0-9_$-]{0,62}$/;

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The GRANT statements for the app role, from the tables and sequences in the public schema. */
export function grantStatements(role: string, tables: string[], sequences: string[]): string[] {
  if (!ROLE_NAME.test(role)) throw new Error(`Not a role name: ${role}`);
  const r = ident(role);
  const out = [`GRANT USAGE ON SCHEMA public TO ${r}`];
  for (const t of tables) {
    // REVOKE first: re-running after a table became append-only takes the old rights away.
    out.push(`REVOKE ALL ON TABLE public.${ident(t)} FROM ${r}`);
    out.push(APPEND_ONLY_TABLES.includes(t) ? `GRANT SELECT, INSERT ON TABLE public.${ident(t)} TO ${r}` : `GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.${ident(t)} TO ${r}`);
  }
  for (const s of sequences) out.push(`GRANT USAGE, SELECT ON SEQUENCE public.${ident(s)} TO ${r}`);
  return out;
}

/** Grants the app role its privileges on the current schema (run as the owner, after migrating). */
export async function grantAppRole(q: Queryable, role: string): Promise<string[]> {
  const tables = (await queryRows<{ name: string }>(q, sql`select tablename as name from pg_tables where schemaname = 'public' order by 1`)).map((r) => r.name);
  const sequences = (await queryRows<{ name: string }>(q, sql`select sequencename as name from pg_sequences where schemaname = 'public' order by 1`)).map((r) => r.name);
  const statements = grantStatements(role, tables, sequences);
  for (const s of statements) await q.execute(sql.raw(s));
  return statements;
}

async function currentUser(q: Queryable): Promise<string> {
  const [row] = await queryRows<{ u: string }>(q, sql`select current_user as u`);
  return String(row?.u);
}

/**
 * Brings the schema up to date for `handle` (the server's or the CLI's connection). With a
 * migration URL the owner role migrates and grants the handle's role its privileges, so the
 * server never owns the tables; without one, the handle's role does both (the embedded database,
 * single-role installations). `grantTo` names an app role to grant explicitly.
 */
export async function migrateWithRoles(handle: DbHandle, migrationUrl?: string, grantTo?: string): Promise<{ grantedTo: string[] }> {
  if (!migrationUrl || handle.driver !== 'postgres') {
    await handle.migrate();
    if (grantTo) await grantAppRole(handle.db, grantTo);
    return { grantedTo: grantTo ? [grantTo] : [] };
  }
  const owner = await openDatabase({ url: migrationUrl, max: 1 });
  try {
    await owner.migrate();
    const ownerRole = await currentUser(owner.db);
    const roles = [...new Set([await currentUser(handle.db), ...(grantTo ? [grantTo] : [])])].filter((r) => r !== ownerRole);
    for (const r of roles) await grantAppRole(owner.db, r);
    return { grantedTo: roles };
  } finally {
    await owner.close();
  }
}
