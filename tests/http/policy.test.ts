// Changing the policy over HTTP: an administrator's edit applies at once (the gate, the stored
// sign-off the queue reads, the change page), is recorded by one `policy.updated` audit event
// in the same transaction, and anything refused — wrong role, no CSRF, a stale version, a
// nonsensical or too lenient policy — changes nothing. Every test leaves the policy as it found it.
import { and, count, desc, eq, TransactionRollbackError } from 'drizzle-orm';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { GET as auditList } from '@/app/api/v1/audit/route';
import { GET as auditVerify } from '@/app/api/v1/audit/verify/route';
import { GET as changeDetail } from '@/app/api/v1/changes/[id]/route';
import { GET as queueRoute } from '@/app/api/v1/changes/route';
import { GET as getPolicyRoute, PUT as putPolicyRoute } from '@/app/api/v1/policy/route';
import { dataVersion } from '@/db/queries/reports';
import { auditEvents, people, settings } from '@/db/schema';
import { lockOpenChanges, reweighChanges } from '@/lib/approvals/refresh';
import { getPolicy, POLICY_SETTING_KEY, type Policy } from '@/lib/policy';
import { updatePolicy } from '@/lib/policy/update';
import { describeEachDb } from '../support/db';
import { call, sessionFor, type CallOptions } from '../support/http';
import { approve, askGate, getChange, newChange, newPerson, tokenOf } from './sign-off-fixtures';

describeEachDb('policy API', ({ handle }) => {
  const db = () => handle().db;
  let original: Policy;
  let adminId: number;

  beforeAll(async () => {
    original = await getPolicy(db());
    const [admin] = await db().select({ id: people.id }).from(people).where(eq(people.handle, 'admin'));
    adminId = admin!.id;
  });

  // Other test files in this worker share the database: put the policy back after every test.
  afterEach(async () => {
    await updatePolicy(db(), original, { id: adminId, handle: 'admin' }, { actorLabel: 'test cleanup' });
    expect(await getPolicy(db())).toEqual(original);
  });

  const put = async (body: unknown, opts: Partial<CallOptions> = {}) => {
    const auth = opts.auth === undefined ? await sessionFor(db(), 'admin') : opts.auth;
    return call(putPolicyRoute, '/api/v1/policy', { method: 'PUT', body, ...opts, auth });
  };

  const policyEvents = async () => (await db().select({ n: count() }).from(auditEvents).where(eq(auditEvents.action, 'policy.updated')))[0]!.n;
  const settingsRow = async () => (await db().select().from(settings).where(eq(settings.key, POLICY_SETTING_KEY)))[0] ?? null;
  const lastPolicyEvent = async () => (await db().select().from(auditEvents).where(eq(auditEvents.action, 'policy.updated')).orderBy(desc(auditEvents.id)).limit(1))[0]!;

  it('stores every open change’s sign-off as the policy in force says (re-weighing under it moves nothing)', async () => {
    // Rolled back (the locks held nothing else up); any failed expectation inside rejects differently.
    await expect(
      db().transaction(async (tx) => {
        const { ids } = await lockOpenChanges(tx);
        expect(ids.length).toBeGreaterThan(10);
        expect(await reweighChanges(tx, ids, original.approvals)).toEqual([]);
        tx.rollback();
      }),
    ).rejects.toBeInstanceOf(TransactionRollbackError);
  });

  it('lets anyone signed in read the policy, with its version as ETag and the defaults', async () => {
    const res = await call(getPolicyRoute, '/api/v1/policy', { auth: await sessionFor(db(), 'kchen') });
    expect(res.status).toBe(200);
    expect(res.json.policy).toEqual(original);
    expect(res.json.version).toMatch(/^"[0-9a-f]{16}"$/);
    expect(res.headers.get('etag')).toBe(res.json.version);
    expect(res.json.defaults.approvals.approvalsByTier).toEqual({ 1: 2, 2: 1, 3: 0 });
  });

  it('raises Tier-2 approvals: the gate, the stored sign-off, the queue and the change page follow at once, with one audit event', async () => {
    const c = await newChange(db(), { services: ['cost-explorer'] });
    expect(await getChange(db(), c.id)).toMatchObject({ topTier: 2, requiredApprovals: 1 });
    expect((await approve(db(), 'mrossi', c)).status).toBe(201);
    expect(await getChange(db(), c.id)).toMatchObject({ requiredApprovals: 1, validApprovals: 1, status: 'approved' });
    expect(await askGate(db(), c.id)).toMatchObject({ allowed: true, reasons: ['approved'], approvals: { required: 1, valid: 1 } });
    const eventsBefore = await policyEvents();
    const versionBefore = await dataVersion(db());

    const res = await put({ approvals: { approvalsByTier: { 2: 2 } } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.policy.approvals.approvalsByTier).toEqual({ 1: 2, 2: 2, 3: 0 });
    expect(res.json.changed).toEqual([{ path: 'approvals.approvalsByTier.2', label: 'Tier-2 approvals', from: 1, to: 2 }]);
    expect(res.json.reweighed.count).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(res.json.sections)).toContain('Tier-2 needs 2');

    // At once, everywhere: the gate, the stored sign-off (the queue), the change page.
    expect(await askGate(db(), c.id)).toMatchObject({ allowed: false, reasons: ['approvals_missing'], approvals: { required: 2, valid: 1 } });
    expect(await getChange(db(), c.id)).toMatchObject({ requiredApprovals: 2, validApprovals: 1, status: 'pending' });
    const auth = await tokenOf(db(), 'admin', ['gate:read']);
    const queue = await call(queueRoute, '/api/v1/changes?status=pending&service=cost-explorer&limit=200', { auth: await sessionFor(db(), 'kchen') });
    expect(queue.status, queue.text).toBe(200);
    expect(queue.json.items.find((i: { id: number }) => i.id === c.id)).toMatchObject({ approvals: { required: 2, valid: 1 } });
    const detail = await call(changeDetail, `/api/v1/changes/${c.id}`, { auth, params: { id: String(c.id) } });
    expect(detail.status, detail.text).toBe(200);
    expect(detail.json).toMatchObject({ requiredApprovals: 2, gate: { allowed: false } });

    // The settings row and exactly one audit event, saying who changed what.
    const row = await settingsRow();
    expect(row).toMatchObject({ updatedById: adminId });
    expect((row!.value as Policy).approvals.approvalsByTier[2]).toBe(2);
    expect(await policyEvents()).toBe(eventsBefore + 1);
    const ev = await lastPolicyEvent();
    expect(ev.id).toBe(res.json.auditEventId);
    expect(ev).toMatchObject({ actor: 'admin', actorId: adminId, subjectType: 'policy', changeId: null });
    expect(ev.payload).toMatchObject({
      fields: [{ path: 'approvals.approvalsByTier.2', label: 'Tier-2 approvals', from: 1, to: 2 }],
      before: { approvals: { approvalsByTier: { 2: 1 } } },
      after: { approvals: { approvalsByTier: { 2: 2 } } },
    });
    const reweighed = (ev.payload.reweighed as { count: number; changes: { id: number }[] }).changes.find((x) => x.id === c.id);
    expect(reweighed).toMatchObject({ externalId: c.externalId, required: [1, 2], valid: [1, 1], status: ['approved', 'pending'] });
    // A policy change is a write the weekly report's cache must see.
    expect(await dataVersion(db())).toBeGreaterThan(versionBefore);

    // Back to one: the change is approved again, at once.
    const back = await put({ approvals: { approvalsByTier: { 2: 1 } } });
    expect(back.status, back.text).toBe(200);
    expect(await getChange(db(), c.id)).toMatchObject({ requiredApprovals: 1, validApprovals: 1, status: 'approved' });
    expect(await askGate(db(), c.id)).toMatchObject({ allowed: true });
  });

  it('raises the Tier-1 approver level: L7 approvals stop counting at once, and count again when it is lowered', async () => {
    const [a, b] = [await newPerson(db(), { level: 7, role: 'senior' }), await newPerson(db(), { level: 7, role: 'senior' })];
    const c = await newChange(db());
    await approve(db(), a.handle, c);
    await approve(db(), b.handle, c);
    expect(await askGate(db(), c.id)).toMatchObject({ allowed: true, approvals: { required: 2, valid: 2 } });

    const res = await put({ approvals: { minLevelByTier: { 1: 8 } } });
    expect(res.status, res.text).toBe(200);
    expect(await askGate(db(), c.id)).toMatchObject({ allowed: false, reasons: ['approvals_missing'], approvals: { required: 2, valid: 0 } });
    expect(await getChange(db(), c.id)).toMatchObject({ validApprovals: 0, status: 'pending' });
    // A new approval by an L7 is now refused with the reason.
    const third = await newPerson(db(), { level: 7, role: 'senior' });
    const refused = await approve(db(), third.handle, c);
    expect([refused.status, refused.json.error.code]).toEqual([403, 'level_too_low']);

    expect((await put({ approvals: { minLevelByTier: { 1: 7 } } })).status).toBe(200);
    expect(await askGate(db(), c.id)).toMatchObject({ allowed: true, approvals: { valid: 2 } });
    expect(await getChange(db(), c.id)).toMatchObject({ validApprovals: 2, status: 'approved' });
  });

  it('refuses nonsense and anything below the design’s floors with 400 naming the field, writing neither the row nor an event', async () => {
    const cases: [unknown, string][] = [
      [{ approvals: { approvalsByTier: { 1: 1 } } }, 'approvals.approvalsByTier.1'],
      [{ approvals: { approvalsByTier: { 2: -1 } } }, 'approvals.approvalsByTier.2'],
      [{ approvals: { approvalsByTier: { 2: 1.5 } } }, 'approvals.approvalsByTier.2'],
      [{ approvals: { approvalsByTier: { 1: '3' } } }, 'approvals.approvalsByTier.1'],
      [{ approvals: { approvalsByTier: { 2: 3 } } }, 'approvals.approvalsByTier.2'],
      [{ approvals: { approvalsByTier: { 4: 1 } } }, 'approvals.approvalsByTier.4'],
      [{ approvals: { criticalApprovals: 1 } }, 'approvals.criticalApprovals'],
      [{ approvals: { agentMinApprovals: 0 } }, 'approvals.agentMinApprovals'],
      [{ approvals: { minLevelByTier: { 1: 6 } } }, 'approvals.minLevelByTier.1'],
      [{ approvals: { minLevelByTier: { 3: 11 } } }, 'approvals.minLevelByTier.3'],
      [{ approvals: { approverRoles: [] } }, 'approvals.approverRoles'],
      [{ approvals: { approverRoles: ['senior', 'admin'] } }, 'approvals.approverRoles'],
      [{ approvals: { requirePreDeployForTier1: false } }, 'approvals.requirePreDeployForTier1'],
      [{ approvals: { tier1BlastDepth: 0 } }, 'approvals.tier1BlastDepth'],
      [{ approvals: { productionEnvironments: ['staging'] } }, 'approvals.productionEnvironments'],
      [{ approvals: { productionEnvironments: ['production', 'prod', 'Not A Name'] } }, 'approvals.productionEnvironments'],
      [{ approvals: { breakGlassDefaultHours: 10 } }, 'approvals.breakGlassDefaultHours'],
      [{ approvals: { breakGlassMaxHours: 100 } }, 'approvals.breakGlassMaxHours'],
      [{ review: { rubberStampShare: 1.5 } }, 'review.rubberStampShare'],
      [{ review: { readingLinesPerMinute: -200 } }, 'review.readingLinesPerMinute'],
      [{ approvals: { colour: 'blue' } }, 'approvals.colour'],
      [{ riskWeights: {} }, 'riskWeights'],
      [[], 'the body must be a JSON object'],
      // Nobody could ever sign off: five L10 VPs do not exist.
      [{ approvals: { approvalsByTier: { 1: 5 }, criticalApprovals: 5, minLevelByTier: { 1: 10 }, approverRoles: ['vp'] } }, 'approvals.approvalsByTier.1'],
    ];
    const rowBefore = await settingsRow();
    const eventsBefore = await policyEvents();
    const admin = await sessionFor(db(), 'admin');
    for (const [body, field] of cases) {
      const res = await put(body, { auth: admin });
      expect([res.status, res.json?.error?.code], `${JSON.stringify(body)} → ${res.text}`).toEqual([400, 'invalid_policy']);
      expect(res.json.error.message, JSON.stringify(body)).toContain(field);
      if (field.includes('.')) expect(res.json.error.details.map((d: { path: string }) => d.path)).toContain(field);
    }
    const badJson = await put(undefined, { auth: admin, rawBody: '{"approvals":', headers: { 'content-type': 'application/json' } });
    expect([badJson.status, badJson.json.error.code]).toEqual([400, 'invalid_json']);
    expect((await put(undefined, { auth: admin, rawBody: 'approvals=1', headers: { 'content-type': 'text/plain' } })).status).toBe(415);

    expect(await settingsRow()).toEqual(rowBefore);
    expect(await policyEvents()).toBe(eventsBefore);
    expect(await getPolicy(db())).toEqual(original);
  });

  it('refuses the unauthenticated (401), non-admins and tokens without the admin scope (403), and a session write without CSRF (403)', async () => {
    const body = { approvals: { approvalsByTier: { 2: 2 } } };
    const eventsBefore = await policyEvents();
    expect((await put(body, { auth: null })).status).toBe(401);
    for (const h of ['kchen', 'mrossi', 'cmoore', 'mgrant']) {
      const res = await put(body, { auth: await sessionFor(db(), h) });
      // A session has its role's scopes: no one but an admin holds the admin scope, so the scope refuses first.
      expect([res.status, res.json.error.code], h).toEqual([403, 'insufficient_scope']);
    }
    const wrongScope = await put(body, { auth: await tokenOf(db(), 'admin', ['gate:read']) });
    expect([wrongScope.status, wrongScope.json.error.code]).toEqual([403, 'insufficient_scope']);
    const s = await sessionFor(db(), 'admin');
    const noCsrf = await put(body, { auth: { cookie: s.cookie } });
    expect([noCsrf.status, noCsrf.json.error.code]).toEqual([403, 'csrf_failed']);
    const badCsrf = await put(body, { auth: { cookie: s.cookie, csrf: 'x'.repeat(s.csrf.length) } });
    expect([badCsrf.status, badCsrf.json.error.code]).toEqual([403, 'csrf_failed']);
    expect(await policyEvents()).toBe(eventsBefore);
    expect(await getPolicy(db())).toEqual(original);

    // A pipeline token with the admin scope needs no CSRF (it is not a cookie); its label is the audit actor.
    const byToken = await put(body, { auth: await tokenOf(db(), 'admin', ['admin']) });
    expect(byToken.status, byToken.text).toBe(200);
    expect((await lastPolicyEvent()).actor).toMatch(/^admin \(token cs_/);
  });

  it('refuses a stale If-Match with 409 and writes nothing for an edit that changes nothing', async () => {
    const current = await call(getPolicyRoute, '/api/v1/policy', { auth: await sessionFor(db(), 'admin') });
    const eventsBefore = await policyEvents();
    const same = await put({ approvals: { approvalsByTier: { 1: original.approvals.approvalsByTier[1] } } }, { headers: { 'if-match': current.json.version } });
    expect(same.status, same.text).toBe(200);
    expect(same.json).toMatchObject({ changed: [], reweighed: { count: 0 }, auditEventId: null, version: current.json.version });
    expect(await policyEvents()).toBe(eventsBefore);

    const first = await put({ review: { readingLinesPerMinute: 150 } }, { headers: { 'if-match': current.json.version } });
    expect(first.status, first.text).toBe(200);
    expect(first.json.version).not.toBe(current.json.version);
    const stale = await put({ review: { readingLinesPerMinute: 300 } }, { headers: { 'if-match': current.json.version } });
    expect([stale.status, stale.json.error.code]).toEqual([409, 'policy_changed']);
    expect((await getPolicy(db())).review.readingLinesPerMinute).toBe(150);
    expect(await policyEvents()).toBe(eventsBefore + 1);
  });

  it('shows the change readably in the audit timeline (filterable as kind policy) and the chain still verifies', async () => {
    const res = await put({ approvals: { approvalsByTier: { 3: 1 }, breakGlassMaxHours: 6, productionEnvironments: ['production', 'prod', 'live'] } });
    expect(res.status, res.text).toBe(200);
    const auth = await tokenOf(db(), 'admin', ['audit:read']);
    const list = await call(auditList, '/api/v1/audit?kind=policy&limit=5', { auth });
    expect(list.status, list.text).toBe(200);
    const item = list.json.items[0];
    expect(item).toMatchObject({ action: 'policy.updated', label: 'changed the policy', actor: 'admin' });
    expect(item.summary).toContain('Tier-3 approvals 0 → 1');
    expect(item.summary).toContain('Break-glass maximum 8 h → 6 h');
    expect(item.summary).toContain('Production environments production, prod → production, prod, live');
    const byAction = await call(auditList, '/api/v1/audit?action=policy.updated&limit=5', { auth });
    expect(byAction.json.items.map((i: { action: string }) => i.action)).toEqual(Array(byAction.json.items.length).fill('policy.updated'));
    expect(byAction.json.items[0].id).toBe(item.id);

    // A 'live' deploy is production now: the gate asks for production sign-off.
    const c = await newChange(db(), { services: ['store-locator'], environment: 'staging' });
    expect(await askGate(db(), c.id, 'staging')).toMatchObject({ allowed: true, approvals: { required: 0 } });
    expect(await askGate(db(), c.id, 'live')).toMatchObject({ allowed: false, reasons: ['approvals_missing'], approvals: { required: 1, valid: 0 } });

    const verify = await call(auditVerify, '/api/v1/audit/verify', { auth });
    expect(verify.status, verify.text).toBe(200);
    expect(verify.json).toMatchObject({ ok: true, firstBrokenId: null });
    const [ev] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, 'policy.updated'), eq(auditEvents.id, item.id)));
    expect(ev!.payload.after).toMatchObject({ approvals: { breakGlassMaxHours: 6 } });
  });
});
