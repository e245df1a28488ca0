// The deploy gate as pipelines see it: always 200 with {allowed, reasons, approvals},
// every call recorded with its revision and an audit event, and the policy's hard rules.
import { and, desc, eq, sql } from 'drizzle-orm';
import { expect, it, vi } from 'vitest';
import { GET as gateRoute } from '@/app/api/v1/gate/route';
import { POST as breakGlassRoute } from '@/app/api/v1/changes/[id]/break-glass/route';
import { auditEvents, gateDecisions } from '@/db/schema';
import { verifyAuditChain } from '@/lib/audit/chain';
import { recordGateDecision } from '@/lib/gate/recorder';
import { describeEachDb, uid } from '../support/db';
import { call } from '../support/http';
import { approve, askGate, getChange, newChange, tokenOf } from './sign-off-fixtures';

describeEachDb('deploy gate', ({ handle }) => {
  const db = () => handle().db;

  it('answers an unknown change with 200, allowed false and unknown_change, and records the call', async () => {
    const ref = `acme/nowhere#${uid()}`;
    const auth = await tokenOf(db(), 'admin', ['gate:read']);
    const res = await call(gateRoute, `/api/v1/gate?change=${encodeURIComponent(ref)}&environment=production`, { auth });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ allowed: false, reasons: ['unknown_change'], approvals: { required: 0, valid: 0 }, change: null });
    const [row] = await db().select().from(gateDecisions).where(eq(gateDecisions.changeRef, ref));
    expect(row).toMatchObject({ changeId: null, revisionId: null, allowed: false, reasons: ['unknown_change'], environment: 'production' });
    const [ev] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, 'gate.decided'), eq(auditEvents.subjectId, String(row!.id))));
    expect(ev!.payload).toMatchObject({ change: ref, allowed: false, reasons: ['unknown_change'] });
    expect(ev!.actor).toMatch(/^admin \(token cs_/);
  });

  it('records every call with the revision it judged, by id or external id', async () => {
    const c = await newChange(db());
    const change = await getChange(db(), c.id);
    const a = await askGate(db(), c.id);
    const b = await askGate(db(), c.externalId);
    expect(a.decisionId).not.toBe(b.decisionId);
    expect(a.change).toMatchObject({ id: c.id, externalId: c.externalId, revision: { number: 1, sha: c.sha } });
    const rows = await db().select().from(gateDecisions).where(eq(gateDecisions.changeId, c.id)).orderBy(gateDecisions.id);
    expect(rows.map((r) => [r.changeRef, r.revisionId, r.allowed, r.required, r.valid])).toEqual([
      [String(c.id), change.currentRevisionId, false, 2, 0],
      [c.externalId, change.currentRevisionId, false, 2, 0],
    ]);
    const events = await db().select().from(auditEvents).where(and(eq(auditEvents.changeId, c.id), eq(auditEvents.action, 'gate.decided')));
    expect(events).toHaveLength(2);
    expect(events[0]!.payload).toMatchObject({ revision: { number: 1, sha: c.sha }, environment: 'production', allowed: false });
    expect(a.messages).toEqual(['Not enough valid approvals on the current revision.']);
  });

  it('blocks a Tier-1 change without pre-deploy validation even with two approvals; break-glass lets it through', async () => {
    const c = await newChange(db(), { preDeploy: null });
    await approve(db(), 'mrossi', c);
    await approve(db(), 'sahmed', c);
    expect(await askGate(db(), c.id)).toMatchObject({ allowed: false, reasons: ['no_predeploy_validation'], approvals: { required: 2, valid: 2 } });
    const explicitFalse = await newChange(db(), { preDeploy: false });
    expect((await askGate(db(), explicitFalse.id)).reasons).toContain('no_predeploy_validation');

    const director = await tokenOf(db(), 'asaleh', ['approve']);
    const open = await call(breakGlassRoute, '/x', {
      auth: director,
      params: { id: String(c.id) },
      body: { justification: 'SEV-1: checkout errors at 40%; this limit fix is the mitigation.', incidentRef: 'INC-2041' },
    });
    expect(open.status, open.text).toBe(201);
    expect(await askGate(db(), c.id)).toMatchObject({ allowed: true, reasons: ['break_glass'], approvals: { required: 2, valid: 2 } });
  });

  it('judges the environment asked about: a change declared for staging needs production sign-off to go to production', async () => {
    const c = await newChange(db(), { environment: 'staging' });
    expect(await askGate(db(), c.id, 'staging')).toMatchObject({ allowed: true, reasons: ['no_approval_required'], approvals: { required: 0 } });
    expect(await askGate(db(), c.id, 'production')).toMatchObject({ allowed: false, reasons: ['approvals_missing'], approvals: { required: 2, valid: 0 } });
    // Qualified production names are production too.
    expect(await askGate(db(), c.id, 'prod-eu-west-1')).toMatchObject({ allowed: false, approvals: { required: 2 } });
    expect(await askGate(db(), c.id, 'PRODUCTION')).toMatchObject({ allowed: false, environment: 'production' });
  });

  it('treats a Tier-3 change with a Tier-1 service depending on it directly as Tier-1', async () => {
    // product-pages (Tier-1) depends on design-system (Tier-3) directly.
    const c = await newChange(db(), { services: ['design-system'] });
    const change = await getChange(db(), c.id);
    expect(change.topTier).toBe(3);
    expect(change.blastRadius.services.find((s) => s.tier === 1)).toMatchObject({ slug: 'product-pages', depth: 1 });
    expect(await askGate(db(), c.id)).toMatchObject({ allowed: false, reasons: ['approvals_missing'], approvals: { required: 2, valid: 0 } });
  });

  it('lets a Tier-3 change through without approvals, and needs a human for an agent’s change', async () => {
    const t3 = await newChange(db(), { services: ['store-locator'] });
    expect(await askGate(db(), t3.id)).toMatchObject({ allowed: true, reasons: ['no_approval_required'], approvals: { required: 0, valid: 0 } });
    const agent = await newChange(db(), { services: ['store-locator'], author: 'kiro-agent[bot]', ai: { level: 'agent', tool: 'kiro' } });
    expect(await askGate(db(), agent.id)).toMatchObject({ allowed: false, approvals: { required: 1 } });
  });

  it('records concurrent calls in shared commits, each with its own decision and audit event, the chain whole', async () => {
    const c = await newChange(db());
    const auth = await tokenOf(db(), 'admin', ['gate:read']);
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      call(gateRoute, `/api/v1/gate?change=${encodeURIComponent(i % 2 ? c.externalId : String(c.id))}&environment=production`, { auth })));
    expect(answers.map((a) => a.status)).toEqual(Array(40).fill(200));
    const ids = answers.map((a) => a.json.decisionId as number);
    expect(new Set(ids).size).toBe(40);
    const rows = await db().select().from(gateDecisions).where(eq(gateDecisions.changeId, c.id));
    expect(rows.map((r) => r.id).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    // Each answer's id names its own record: the reference it was asked with.
    const byId = new Map(rows.map((r) => [r.id, r.changeRef]));
    answers.forEach((a, i) => expect(byId.get(a.json.decisionId)).toBe(i % 2 ? c.externalId : String(c.id)));
    const events = await db().select().from(auditEvents).where(and(eq(auditEvents.changeId, c.id), eq(auditEvents.action, 'gate.decided')));
    expect(events.map((e) => Number(e.subjectId)).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    for (const e of events) expect((e.payload as { change: string }).change).toBe(byId.get(Number(e.subjectId)));
    // Fewer commits than calls: grouped (the creation of the change and its token take their own).
    const txids = await db().execute(sql`select count(distinct xmin::text)::int as n from gate_decisions where change_id = ${c.id}`);
    const n = Number(((Array.isArray(txids) ? txids : (txids as unknown as { rows: { n: number }[] }).rows)[0] as { n: number }).n);
    expect(n).toBeLessThan(40);
    expect((await verifyAuditChain(db())).ok).toBe(true);
  });

  it('a record that cannot be written fails alone: the calls grouped with it are recorded', async () => {
    const c = await newChange(db());
    const good = (ref: string) => recordGateDecision(db(), {
      decision: { changeId: c.id, revisionId: null, changeRef: ref, environment: 'production', allowed: false, reasons: ['approvals_missing'], required: 2, valid: 0, actorId: null, tokenId: null },
      audit: { actorId: null, actor: 'test', action: 'gate.decided', subjectType: 'gate_decision', changeId: c.id, payload: { change: ref } },
    });
    const bad = () => recordGateDecision(db(), {
      decision: { changeId: 2_000_000_000, revisionId: null, changeRef: 'nowhere', environment: 'production', allowed: false, reasons: [], required: 0, valid: 0, actorId: null, tokenId: null },
      audit: { actorId: null, actor: 'test', action: 'gate.decided', subjectType: 'gate_decision', changeId: null, payload: {} },
    });
    const transactions = vi.spyOn(db(), 'transaction');
    const settled = await Promise.allSettled([good('a'), good('b'), bad(), good('c')]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    // 'a' went alone; b, the bad one and c were grouped, the group failed, and each was retried alone.
    expect(transactions).toHaveBeenCalledTimes(5);
    transactions.mockRestore();
    const rows = await db().select().from(gateDecisions).where(eq(gateDecisions.changeId, c.id));
    expect(rows.map((r) => r.changeRef).sort()).toEqual(['a', 'b', 'c']);
    const ids = settled.filter((s) => s.status === 'fulfilled').map((s) => (s as PromiseFulfilledResult<number>).value);
    expect(rows.map((r) => r.id).sort((x, y) => x - y)).toEqual([...ids].sort((x, y) => x - y));
    const events = await db().select().from(auditEvents).where(and(eq(auditEvents.changeId, c.id), eq(auditEvents.action, 'gate.decided')));
    expect(events.map((e) => Number(e.subjectId)).sort((x, y) => x - y)).toEqual([...ids].sort((x, y) => x - y));
    expect((await verifyAuditChain(db())).ok).toBe(true);
  });

  it('says what is wrong with a malformed question, and needs the gate:read scope', async () => {
    const auth = await tokenOf(db(), 'admin', ['gate:read']);
    const missing = await call(gateRoute, '/api/v1/gate?environment=production', { auth });
    expect(missing.status).toBe(400);
    expect(missing.json.error.message).toMatch(/change/);
    const wrong = await tokenOf(db(), 'admin', ['changes:write']);
    const refused = await call(gateRoute, '/api/v1/gate?change=1', { auth: wrong });
    expect([refused.status, refused.json.error.code]).toEqual([403, 'insufficient_scope']);
    const before = await db().select({ id: gateDecisions.id }).from(gateDecisions).orderBy(desc(gateDecisions.id)).limit(1);
    await call(gateRoute, '/api/v1/gate?change=1', {});
    const after = await db().select({ id: gateDecisions.id }).from(gateDecisions).orderBy(desc(gateDecisions.id)).limit(1);
    expect(after[0]?.id).toBe(before[0]?.id);
  });
});
