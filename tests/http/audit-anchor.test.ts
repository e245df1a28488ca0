// The audit chain is anchored outside the database: signed checkpoints of its head are appended
// to AUDIT_CHECKPOINT_DIR, and verify compares the database with them. Cutting the last events
// (as the owner, triggers disabled) used to leave verify at ok:true; now it names the missing
// range. A forged checkpoint is reported; a rotated key still verifies older checkpoints.
import fs from 'node:fs';
import path from 'node:path';
import { asc, sql } from 'drizzle-orm';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { GET as checkpointsRoute } from '@/app/api/v1/audit/checkpoints/route';
import { GET as verifyRoute } from '@/app/api/v1/audit/verify/route';
import { setDbHandle } from '@/db';
import type { DbHandle } from '@/db/client';
import { auditEvents, people } from '@/db/schema';
import { appendAudit, verifyAuditChain } from '@/lib/audit/chain';
import { writeCheckpoint } from '@/lib/audit/checkpoints';
import { createApiToken } from '@/lib/auth/tokens';
import { resetEnvCache } from '@/lib/env';
import { onFreshPglite, onFreshPostgres } from '../support/fresh-db';
import { DRIVERS, getTestDb, uid } from '../support/db';
import { call } from '../support/http';

const KEY_1 = 'k1-0123456789abcdef0123456789abcdef';
const KEY_2 = 'k2-fedcba9876543210fedcba9876543210';
const saved = { key: process.env.AUDIT_SIGNING_KEY, prev: process.env.AUDIT_PREVIOUS_KEYS, dir: process.env.AUDIT_CHECKPOINT_DIR };

/** A fresh checkpoint folder under the ignored one vitest.config.ts names (never a tracked path). */
function checkpointsIn(key: string, previous?: string): string {
  const base = process.env.COUNTERSIGN_TEST_CHECKPOINTS;
  if (!base) throw new Error('vitest.config.ts must set COUNTERSIGN_TEST_CHECKPOINTS');
  const dir = path.join(base, uid('anchor'));
  process.env.AUDIT_CHECKPOINT_DIR = dir;
  process.env.AUDIT_SIGNING_KEY = key;
  if (previous) process.env.AUDIT_PREVIOUS_KEYS = previous;
  else delete process.env.AUDIT_PREVIOUS_KEYS;
  resetEnvCache();
  return dir;
}

function setKeys(key: string, previous?: string): void {
  process.env.AUDIT_SIGNING_KEY = key;
  if (previous) process.env.AUDIT_PREVIOUS_KEYS = previous;
  else delete process.env.AUDIT_PREVIOUS_KEYS;
  resetEnvCache();
}

afterEach(() => {
  for (const [name, value] of [['AUDIT_SIGNING_KEY', saved.key], ['AUDIT_PREVIOUS_KEYS', saved.prev], ['AUDIT_CHECKPOINT_DIR', saved.dir]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnvCache();
});

async function seedTrail(h: DbHandle): Promise<{ ids: number[]; token: string }> {
  await h.migrate();
  await h.db.insert(people).values({ handle: 'auditor', name: 'Audrey Auditor', level: 9, role: 'director', email: 'auditor@example.test' });
  for (let i = 1; i <= 6; i++) {
    await h.db.transaction((tx) => appendAudit(tx, { actorId: null, actor: 'test', action: 'policy.updated', subjectType: 'policy', subjectId: `p${i}`, payload: { step: i } }));
  }
  const { token } = await createApiToken(h.db, { personHandle: 'auditor', scopes: ['audit:read'], createdBy: null });
  const ids = (await h.db.select({ id: auditEvents.id }).from(auditEvents).orderBy(asc(auditEvents.id))).map((r) => r.id);
  return { ids, token };
}

async function on<T>(h: DbHandle, fn: () => Promise<T>): Promise<T> {
  setDbHandle(h);
  try {
    return await fn();
  } finally {
    setDbHandle(undefined);
  }
}

async function anchorStory(h: DbHandle) {
  const dir = checkpointsIn(KEY_1);
  const { ids, token } = await seedTrail(h);
  const verify = () => on(h, () => call(verifyRoute, '/api/v1/audit/verify', { auth: { token } }));

  const c1 = await writeCheckpoint(h.db);
  expect(c1).toMatchObject({ eventId: ids.at(-1), count: ids.length });
  expect(await writeCheckpoint(h.db)).toBeNull(); // nothing new to anchor
  expect(fs.readdirSync(dir).every((f) => f.endsWith('.jsonl'))).toBe(true);
  const ok = await verify();
  expect(ok.status).toBe(200);
  expect(ok.json).toMatchObject({ ok: true, firstBrokenId: null, missing: null, anchor: { configured: true, verified: true, checkpoints: 1 } });

  // Rotate the key: the old checkpoint still verifies under AUDIT_PREVIOUS_KEYS; new ones use the new key.
  setKeys(KEY_2, KEY_1);
  expect((await verify()).json).toMatchObject({ ok: true, anchor: { verified: true } });

  // The owner cuts the last 3 events with the triggers off: the chain itself still verifies…
  await h.db.transaction(async (tx) => {
    await tx.execute(sql`ALTER TABLE audit_events DISABLE TRIGGER USER`);
    await tx.execute(sql`DELETE FROM audit_events WHERE id >= ${ids[ids.length - 3]!}`);
    await tx.execute(sql`ALTER TABLE audit_events ENABLE TRIGGER USER`);
  });
  expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true, events: ids.length - 3 });
  // …but not against the checkpoint outside the database.
  const cut = await verify();
  expect(cut.json).toMatchObject({ ok: false, firstBrokenId: ids[ids.length - 3], missing: { from: ids[ids.length - 3], to: ids.at(-1) }, anchor: { verified: false } });
  expect(cut.json.reason).toMatch(/missing/);

  // A forged checkpoint (edited count, old signature) is reported as such.
  const file = path.join(dir, fs.readdirSync(dir)[0]!);
  const forged = { ...JSON.parse(fs.readFileSync(file, 'utf8').trim().split('\n')[0]!), count: 3, eventId: ids[2] };
  fs.appendFileSync(file, `${JSON.stringify(forged)}\n`);
  const listed = await on(h, () => call(checkpointsRoute, '/api/v1/audit/checkpoints', { auth: { token } }));
  expect(listed.status).toBe(200);
  expect(listed.json.checkpoints.map((c: { signature: string }) => c.signature).sort()).toEqual(['bad signature', 'ok']);
  const badSig = await verify();
  expect(badSig.json.ok).toBe(false);
  expect(badSig.json.anchor.problems.map((p: { reason: string }) => p.reason).join('\n')).toMatch(/bad signature/);

  // Without the old key, its checkpoints cannot be trusted and say so.
  setKeys(KEY_2);
  const unknown = await verify();
  expect(unknown.json.ok).toBe(false);
  expect(unknown.json.anchor.problems[0].reason).toMatch(/key this installation does not know/);
}

describe('audit chain anchored outside the database', () => {
  afterAll(async () => {
    if (DRIVERS.includes('pglite')) setDbHandle(await getTestDb('pglite'));
  });

  it('reports a cut tail and forged checkpoints on a fresh embedded database (PGlite)', { timeout: 60_000 }, async () => {
    await onFreshPglite(anchorStory);
  });

  it.runIf(!!process.env.DATABASE_URL)('reports a cut tail and forged checkpoints on a fresh PostgreSQL database', { timeout: 60_000 }, async () => {
    await onFreshPostgres('cs_anchor', anchorStory);
  });
});
