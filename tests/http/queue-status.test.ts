// GET /api/v1/changes?status= — approved changes waiting to deploy, deployed, rejected and rolled-back
// ones do not vanish from the queue; `all` lists every status. Each row carries its heaviest stored
// factors and what the gate refuses whatever the approvals.
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { GET as listChanges } from '@/app/api/v1/changes/route';
import { changes } from '@/db/schema';
import { CHANGE_STATUSES } from '@/db/schema/enums';
import { describeEachDb } from '../support/db';
import { call, tokenFor, type Json } from '../support/http';

describeEachDb('GET /api/v1/changes?status=', ({ handle }) => {
  const db = () => handle().db;

  it('lists only the asked status, pending by default', async () => {
    const auth = await tokenFor(db(), 'mrossi', ['gate:read']);
    const byDefault = await call(listChanges, '/api/v1/changes?limit=200', { auth });
    expect(byDefault.status, byDefault.text).toBe(200);
    expect((byDefault.json.items as Json[]).every((c) => c.status === 'pending')).toBe(true);
    for (const status of CHANGE_STATUSES) {
      const res = await call(listChanges, `/api/v1/changes?status=${status}&limit=200`, { auth });
      expect(res.status, res.text).toBe(200);
      const stored = await db().select({ id: changes.id }).from(changes).where(eq(changes.status, status));
      const items = res.json.items as Json[];
      expect(items.every((c) => c.status === status), status).toBe(true);
      expect(items.length, status).toBe(Math.min(stored.length, 200));
    }
  });

  it('status=all lists every status, still highest risk first', async () => {
    const auth = await tokenFor(db(), 'mrossi', ['gate:read']);
    const res = await call(listChanges, '/api/v1/changes?status=all&limit=200', { auth });
    expect(res.status, res.text).toBe(200);
    const items = res.json.items as Json[];
    const statuses = new Set(items.map((c) => c.status));
    const storedStatuses = new Set((await db().select({ s: changes.status }).from(changes)).map((r) => r.s));
    // Every status the database holds appears in the first 200 or the list is full.
    if (items.length < 200) expect([...statuses].sort()).toEqual([...storedStatuses].sort());
    for (let i = 1; i < items.length; i++) {
      const [a, b] = [items[i - 1], items[i]];
      expect(a.riskScore > b.riskScore || (a.riskScore === b.riskScore && a.id > b.id)).toBe(true);
    }
  });

  it('refuses an unknown status with 400 validation_failed naming the choices', async () => {
    const auth = await tokenFor(db(), 'mrossi', ['gate:read']);
    const res = await call(listChanges, '/api/v1/changes?status=merged', { auth });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('validation_failed');
    expect(res.text).toContain('rolled_back');
  });

  it('each row carries at most three stored factors, heaviest first, and the gate blockers', async () => {
    const auth = await tokenFor(db(), 'mrossi', ['gate:read']);
    const items = (await call(listChanges, '/api/v1/changes?limit=200', { auth })).json.items as Json[];
    expect(items.some((c) => c.topFactors.length > 0)).toBe(true);
    for (const c of items) {
      expect(c.topFactors.length).toBeLessThanOrEqual(3);
      for (let i = 1; i < c.topFactors.length; i++) expect(c.topFactors[i - 1].points).toBeGreaterThanOrEqual(c.topFactors[i].points);
      for (const f of c.topFactors) expect(f).toMatchObject({ key: expect.any(String), points: expect.any(Number), evidence: expect.any(String) });
      expect(Array.isArray(c.blockedBy)).toBe(true);
      expect(c.blockedBy).not.toContain('approvals_missing');
    }
    // An unmapped change is blocked whatever the approvals, and says so.
    const [unmapped] = await db().select({ id: changes.id }).from(changes).where(eq(changes.unmapped, true)).limit(1);
    if (unmapped) {
      const all = (await call(listChanges, '/api/v1/changes?status=all&limit=200', { auth })).json.items as Json[];
      const row = all.find((c) => c.id === unmapped.id);
      if (row) expect(row.blockedBy).toContain('unmapped');
    }
  });
});
