// The audit trail is tamper-evident: editing or deleting a row directly in the database
// (as a superuser who can get past the append-only trigger) makes /api/v1/audit/verify
// name the first broken event. Tampering happens on a fresh database of its own, never
// on the worker's shared one.
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { GET as verifyRoute } from '@/app/api/v1/audit/verify/route';
import { setDbHandle } from '@/db';
import type { DbHandle } from '@/db/client';
import { auditEvents, people } from '@/db/schema';
import { appendAudit, verifyAuditChain } from '@/lib/audit/chain';
import { createApiToken } from '@/lib/auth/tokens';
import { onFreshPglite, onFreshPostgres } from '../support/fresh-db';
import { DRIVERS, describeEachDb, getTestDb } from '../support/db';
import { call } from '../support/http';

describeEachDb('audit verify on the seeded trail', ({ handle }) => {
  it('answers ok with the number of events, for audit:read only', async () => {
    const db = handle().db;
    const auditor = await createApiToken(db, { personHandle: 'cmoore', scopes: ['audit:read'], createdBy: null });
    const res = await call(verifyRoute, '/api/v1/audit/verify', { auth: { token: auditor.token } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ok: true, firstBrokenId: null });
    expect(res.json.events).toBeGreaterThan(1000);
    const pipeline = await createApiToken(db, { personHandle: 'admin', scopes: ['gate:read'], createdBy: null });
    expect((await call(verifyRoute, '/api/v1/audit/verify', { auth: { token: pipeline.token } })).status).toBe(403);
  });
});

/** A migrated database with one person and a short trail of our own. */
async function seedTrail(h: DbHandle): Promise<{ ids: number[]; token: string }> {
  await h.migrate();
  await h.db.insert(people).values({ handle: 'auditor', name: 'Audrey Auditor', level: 9, role: 'director', email: 'auditor@example.test' });
  for (let i = 1; i <= 6; i++) {
    await h.db.transaction((tx) => appendAudit(tx, { actorId: null, actor: 'test', action: 'policy.updated', subjectType: 'policy', subjectId: `p${i}`, payload: { step: i, note: `event ${i}` } }));
  }
  const { token } = await createApiToken(h.db, { personHandle: 'auditor', scopes: ['audit:read'], createdBy: null });
  const ids = (await h.db.select({ id: auditEvents.id }).from(auditEvents).orderBy(asc(auditEvents.id))).map((r) => r.id);
  return { ids, token };
}

/** Runs the route against another database, then gives the worker its own back. */
async function verifyOn(h: DbHandle, token: string) {
  setDbHandle(h);
  try {
    return await call(verifyRoute, '/api/v1/audit/verify', { auth: { token } });
  } finally {
    setDbHandle(undefined);
  }
}

/** Superuser tampering: get past the append-only trigger the way an attacker with the keys would. */
async function tamper(h: DbHandle, statement: ReturnType<typeof sql>): Promise<void> {
  await h.db.transaction(async (tx) => {
    await tx.execute(sql`ALTER TABLE audit_events DISABLE TRIGGER USER`);
    await tx.execute(statement);
    await tx.execute(sql`ALTER TABLE audit_events ENABLE TRIGGER USER`);
  });
}

async function tamperingStory(h: DbHandle) {
  const { ids, token } = await seedTrail(h);
  expect(ids.length).toBeGreaterThanOrEqual(7);
  const ok = await verifyOn(h, token);
  expect(ok.json).toMatchObject({ ok: true, events: ids.length, firstBrokenId: null });

  // The trigger refuses the application's UPDATE and DELETE.
  await expect(h.db.update(auditEvents).set({ actor: 'someone else' }).where(eq(auditEvents.id, ids[2]!))).rejects.toThrow();

  // Edit the third event's payload directly.
  const [original] = await h.db.select().from(auditEvents).where(eq(auditEvents.id, ids[2]!));
  await tamper(h, sql`UPDATE audit_events SET payload = '{"step": 3, "note": "nothing to see"}'::jsonb WHERE id = ${ids[2]!}`);
  const edited = await verifyOn(h, token);
  expect(edited.status).toBe(200);
  expect(edited.json).toMatchObject({ ok: false, firstBrokenId: ids[2], events: 2 });
  expect(edited.json.reason).toMatch(/edited/);

  // Put it back: the chain verifies again (the hashes were never touched).
  await tamper(h, sql`UPDATE audit_events SET payload = ${JSON.stringify(original!.payload)}::jsonb WHERE id = ${ids[2]!}`);
  expect((await verifyOn(h, token)).json).toMatchObject({ ok: true });

  // Delete the fifth event: the sixth no longer follows its predecessor.
  await tamper(h, sql`DELETE FROM audit_events WHERE id = ${ids[4]!}`);
  const deleted = await verifyOn(h, token);
  expect(deleted.json).toMatchObject({ ok: false, firstBrokenId: ids[5], events: 4 });
  expect(deleted.json.reason).toMatch(/changed or deleted/);

  // The library says the same as the route.
  const direct = await verifyAuditChain(h.db);
  expect(direct.firstBrokenId).toBe(ids[5]);
}

describe('audit verify after tampering', () => {
  afterAll(async () => {
    // Give the worker's later files the database they expect.
    if (DRIVERS.includes('pglite')) setDbHandle(await getTestDb('pglite'));
  });

  it('reports the first broken event on a fresh embedded database (PGlite)', { timeout: 60_000 }, async () => {
    await onFreshPglite(tamperingStory);
  });

  it.runIf(!!process.env.DATABASE_URL)('reports the first broken event on a fresh PostgreSQL database', { timeout: 60_000 }, async () => {
    await onFreshPostgres('cs_tamper', tamperingStory);
  });
});
