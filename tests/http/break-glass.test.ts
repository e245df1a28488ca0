// Break-glass: only directors and VPs, justified, time-boxed, audited; the gate answers
// break_glass while it lasts; afterwards two seniors must still review what went out.
import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { DELETE as closeRoute, GET as listRoute, POST as openRoute } from '@/app/api/v1/changes/[id]/break-glass/route';
import { POST as deployRoute } from '@/app/api/v1/deployments/route';
import { auditEvents, breakGlass, people } from '@/db/schema';
import { describeEachDb } from '../support/db';
import { call, sessionFor } from '../support/http';
import { approve, askGate, newChange, newPerson, reviseChange, tokenOf } from './sign-off-fixtures';

const WHY = 'SEV-1 INC-2041: orders failing at checkout; this is the mitigation.';

describeEachDb('break-glass', ({ handle }) => {
  const db = () => handle().db;
  const open = async (who: string, id: number, body: Record<string, unknown> = { justification: WHY }) =>
    call(openRoute, '/x', { auth: await tokenOf(db(), who, ['approve']), params: { id: String(id) }, body });

  it('is refused to seniors, without a justification, beyond the policy’s maximum, and to the change’s author', async () => {
    const c = await newChange(db());
    const senior = await open('mrossi', c.id);
    expect([senior.status, senior.json.error.code]).toEqual([403, 'forbidden_role']);
    const short = await open('asaleh', c.id, { justification: 'urgent' });
    expect([short.status, short.json.error.code]).toEqual([422, 'validation_failed']);
    expect(short.json.error.message).toMatch(/at least 10 characters/);
    const long = await open('asaleh', c.id, { justification: WHY, hours: 9 });
    expect([long.status, long.json.error.code]).toEqual([422, 'duration_too_long']);
    const own = await newChange(db(), { author: 'cmoore' });
    const mine = await open('cmoore', own.id);
    expect([mine.status, mine.json.error.code]).toEqual([403, 'author_cannot_break_glass']);
    expect(await db().$count(breakGlass, eq(breakGlass.changeId, c.id))).toBe(0);
  });

  it('opens for 2 hours by default, once at a time, allows the gate, shows in the list, and closes', async () => {
    const c = await newChange(db());
    expect((await askGate(db(), c.id)).allowed).toBe(false);
    const before = Date.now();
    const res = await open('mgrant', c.id, { justification: WHY, incidentRef: 'INC-2041' });
    expect(res.status, res.text).toBe(201);
    const hours = (new Date(res.json.expiresAt).getTime() - new Date(res.json.openedAt).getTime()) / 3_600_000;
    expect(hours).toBeCloseTo(2, 5);
    expect(new Date(res.json.openedAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(await askGate(db(), c.id)).toMatchObject({ allowed: true, reasons: ['break_glass'] });

    const twice = await open('cmoore', c.id);
    expect([twice.status, twice.json.error.code]).toEqual([409, 'break_glass_active']);

    const list = await call(listRoute, '/x', { auth: await sessionFor(db(), 'kchen'), params: { id: String(c.id) } });
    expect(list.json.items).toHaveLength(1);
    expect(list.json.items[0]).toMatchObject({ state: 'active', justification: WHY, incidentRef: 'INC-2041', openedBy: { handle: 'mgrant', role: 'vp' }, followUp: { completedAt: null, reviewers: [], required: 2 } });

    const [ev] = await db().select().from(auditEvents).where(and(eq(auditEvents.changeId, c.id), eq(auditEvents.action, 'break_glass.opened')));
    expect(ev!.payload).toMatchObject({ justification: WHY, hours: 2, incidentRef: 'INC-2041', revision: 1 });

    const senior = await call(closeRoute, '/x', { method: 'DELETE', auth: await tokenOf(db(), 'mrossi', ['approve']), params: { id: String(c.id) } });
    expect(senior.status).toBe(403);
    const closed = await call(closeRoute, '/x', { method: 'DELETE', auth: await tokenOf(db(), 'cmoore', ['approve']), params: { id: String(c.id) } });
    expect(closed.status, closed.text).toBe(200);
    expect(await askGate(db(), c.id)).toMatchObject({ allowed: false, reasons: ['approvals_missing'] });
    const again = await call(closeRoute, '/x', { method: 'DELETE', auth: await tokenOf(db(), 'cmoore', ['approve']), params: { id: String(c.id) } });
    expect([again.status, again.json.error.code]).toEqual([409, 'no_active_break_glass']);
    expect(await db().$count(auditEvents, and(eq(auditEvents.changeId, c.id), eq(auditEvents.action, 'break_glass.closed')))).toBe(1);
  });

  it('stops counting once expired', async () => {
    const c = await newChange(db());
    const [vp] = await db().select().from(people).where(eq(people.handle, 'scosta'));
    const hour = 3_600_000;
    await db().insert(breakGlass).values({ changeId: c.id, openedById: vp!.id, justification: WHY, openedAt: new Date(Date.now() - 3 * hour), expiresAt: new Date(Date.now() - hour) });
    expect(await askGate(db(), c.id)).toMatchObject({ allowed: false, reasons: ['approvals_missing'] });
    const list = await call(listRoute, '/x', { auth: await sessionFor(db(), 'kchen'), params: { id: String(c.id) } });
    expect(list.json.items[0].state).toBe('expired');
  });

  it('leaves a follow-up that completes when two seniors approve the revision deployed under the override', async () => {
    const c = await newChange(db(), { preDeploy: null });
    expect((await open('rlin', c.id)).status).toBe(201);
    const gate = await askGate(db(), c.id);
    expect(gate).toMatchObject({ allowed: true, reasons: ['break_glass'] });
    const dep = await call(deployRoute, '/x', { auth: await tokenOf(db(), 'admin', ['deployments:write']), body: { change: c.id, environment: 'production', status: 'succeeded' } });
    expect(dep.json).toMatchObject({ bypass: false, gateDecisionId: gate.decisionId });

    const glass = async () => (await db().select().from(breakGlass).where(eq(breakGlass.changeId, c.id)))[0]!;
    expect((await glass()).followUpCompletedAt).toBeNull();
    expect((await approve(db(), 'mrossi', c)).status).toBe(201);
    expect((await glass()).followUpCompletedAt).toBeNull();
    expect((await approve(db(), 'jwhitaker', c)).status).toBe(201);
    const done = await glass();
    expect(done.followUpCompletedAt).not.toBeNull();
    const [ev] = await db().select().from(auditEvents).where(and(eq(auditEvents.changeId, c.id), eq(auditEvents.action, 'break_glass.follow_up_completed')));
    expect(ev!.payload).toMatchObject({ reviewers: ['mrossi', 'jwhitaker'], revisionId: done.revisionId });
    const list = await call(listRoute, '/x', { auth: await sessionFor(db(), 'kchen'), params: { id: String(c.id) } });
    expect(list.json.items[0].followUp).toMatchObject({ reviewers: ['mrossi', 'jwhitaker'] });
    expect(list.json.items[0].followUp.completedAt).not.toBeNull();
  });

  it('does not count an approval by someone below L7 towards the follow-up, and accepts a later revision', async () => {
    const c = await newChange(db(), { services: ['store-locator'] });
    expect((await open('asaleh', c.id)).status).toBe(201);
    await call(deployRoute, '/x', { auth: await tokenOf(db(), 'admin', ['deployments:write']), body: { change: c.id, environment: 'production', status: 'succeeded' } });
    // A later revision (the proper fix after the incident) reviewed by two seniors completes it too.
    const next = await reviseChange(db(), c, { services: ['store-locator'] });
    const l6 = await newPerson(db(), { level: 6, role: 'senior' });
    expect((await approve(db(), l6.handle, next)).status).toBe(201);
    expect((await approve(db(), 'mrossi', next)).status).toBe(201);
    const [g1] = await db().select().from(breakGlass).where(eq(breakGlass.changeId, c.id));
    expect(g1!.followUpCompletedAt).toBeNull();
    expect((await approve(db(), 'sahmed', next)).status).toBe(201);
    const [g2] = await db().select().from(breakGlass).where(eq(breakGlass.changeId, c.id));
    expect(g2!.followUpCompletedAt).not.toBeNull();
  });
});
