// The server's database role cannot cut the audit trail: migrations run as the owner, the app
// role only gets INSERT/SELECT on audit_events (derived from the schema by grantAppRole), so
// disabling the append-only trigger and deleting events both fail for it. PostgreSQL only:
// the embedded PGlite is a single-role database (its one role owns everything; see docs/security.md).
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '@/db/client';
import { APPEND_ONLY_TABLES, grantAppRole, grantStatements } from '@/db/grants';
import { people } from '@/db/schema';
import { appendAudit, verifyAuditChain } from '@/lib/audit/chain';

/** Drizzle wraps the driver's error: the database's reason is in its cause. */
async function expectRefused(p: Promise<unknown>, reason: RegExp): Promise<void> {
  const err = await p.then(() => null, (e: unknown) => e as Error & { cause?: Error });
  expect(err, 'statement should have been refused').not.toBeNull();
  expect(`${err!.message} ${err!.cause?.message ?? ''}`).toMatch(reason);
}

describe('app role grants (pure)', () => {
  it('gives append-only tables INSERT/SELECT and every other table read/write', () => {
    const s = grantStatements('cs_app', ['audit_events', 'people'], ['people_id_seq']);
    expect(APPEND_ONLY_TABLES).toContain('audit_events');
    expect(s).toContain('GRANT SELECT, INSERT ON TABLE public."audit_events" TO "cs_app"');
    expect(s).toContain('GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public."people" TO "cs_app"');
    expect(s).toContain('GRANT USAGE, SELECT ON SEQUENCE public."people_id_seq" TO "cs_app"');
    expect(() => grantStatements('x; DROP TABLE people', [], [])).toThrow(/Not a role name/);
  });
});

describe.skipIf(!process.env.DATABASE_URL)('two database roles on PostgreSQL (skipped on PGlite: one role owns everything there)', () => {
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://localhost/x');
  const tag = `${process.pid}_${Date.now().toString(36)}`;
  const dbName = `cs_roles_${tag}`;
  const role = `cs_app_${tag}`;
  const password = `pw_${tag}`;
  let admin: postgres.Sql;
  let owner: DbHandle;
  let app: DbHandle;

  beforeAll(async () => {
    admin = postgres(base.toString(), { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE "${dbName}"`);
    await admin.unsafe(`CREATE ROLE "${role}" LOGIN PASSWORD '${password}'`);
    const ownerUrl = new URL(base);
    ownerUrl.pathname = `/${dbName}`;
    owner = await openDatabase({ url: ownerUrl.toString(), max: 2 });
    await owner.migrate();
    await grantAppRole(owner.db, role);
    const appUrl = new URL(ownerUrl);
    appUrl.username = role;
    appUrl.password = password;
    app = await openDatabase({ url: appUrl.toString(), max: 2 });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await owner?.close();
    await admin.unsafe(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.unsafe(`DROP ROLE IF EXISTS "${role}"`);
    await admin.end();
  });

  it('lets the app role append and read events and work the other tables', async () => {
    await app.db.insert(people).values({ handle: `p${tag}`, name: 'Role Test', level: 5, role: 'engineer', email: `p${tag}@example.test` });
    for (let i = 0; i < 3; i++) {
      await app.db.transaction((tx) => appendAudit(tx, { actorId: null, actor: 'test', action: 'policy.updated', subjectType: 'policy', subjectId: `r${i}`, payload: { i } }));
    }
    expect(await verifyAuditChain(app.db)).toMatchObject({ ok: true, events: 3 });
  });

  it('refuses the app role DISABLE TRIGGER, DELETE, UPDATE and TRUNCATE on audit_events', async () => {
    await expectRefused(app.db.execute(sql`ALTER TABLE audit_events DISABLE TRIGGER ALL`), /must be owner|permission denied/);
    await expectRefused(app.db.execute(sql`ALTER TABLE audit_events DISABLE TRIGGER USER`), /must be owner|permission denied/);
    await expectRefused(app.db.execute(sql`DELETE FROM audit_events`), /permission denied/);
    await expectRefused(app.db.execute(sql`UPDATE audit_events SET actor = 'someone else'`), /permission denied/);
    await expectRefused(app.db.execute(sql`TRUNCATE audit_events`), /permission denied/);
    await expectRefused(app.db.execute(sql`DROP TABLE audit_events`), /must be owner/);
    expect(await verifyAuditChain(app.db)).toMatchObject({ ok: true, events: 3 });
  });
});
