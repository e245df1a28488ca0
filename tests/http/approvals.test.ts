// Two-person sign-off through the API, on both databases: the Tier-1 story from blocked to
// allowed and back, every refusal with its reason, and the races (one senior twenty times
// at once records one approval; two seniors at the same instant both count).
import { refreshSignOff } from '@/lib/approvals/state';
import { and, eq, isNull } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { DELETE as withdrawRoute } from '@/app/api/v1/changes/[id]/approvals/[approvalId]/route';
import { GET as listRoute, POST as approveRoute } from '@/app/api/v1/changes/[id]/approvals/route';
import { approvals, auditEvents, people } from '@/db/schema';
import { mapGuardError, recordDecision } from '@/lib/approvals/record';
import { AppError } from '@/lib/errors';
import { describeEachDb } from '../support/db';
import { call, sessionFor } from '../support/http';
import { approve, askGate, getChange, newChange, newPerson, reviseChange, tokenOf } from './sign-off-fixtures';

describeEachDb('sign-off', ({ handle }) => {
  const db = () => handle().db;

  it('Tier-1 production: blocked → 1 of 2 → 2 of 2 allowed → a new revision blocks again with both approvals superseded', async () => {
    let c = await newChange(db());
    let gate = await askGate(db(), c.externalId);
    expect(gate).toMatchObject({ allowed: false, reasons: ['approvals_missing'], approvals: { required: 2, valid: 0 } });

    const first = await approve(db(), 'mrossi', c);
    expect(first.status, first.text).toBe(201);
    expect(first.json.approvals).toEqual({ required: 2, valid: 1 });
    gate = await askGate(db(), c.id);
    expect(gate).toMatchObject({ allowed: false, reasons: ['approvals_missing'], approvals: { required: 2, valid: 1 } });
    expect((await getChange(db(), c.id)).status).toBe('pending');

    const second = await approve(db(), 'sahmed', c);
    expect(second.status, second.text).toBe(201);
    gate = await askGate(db(), c.externalId);
    expect(gate).toMatchObject({ allowed: true, reasons: ['approved'], approvals: { required: 2, valid: 2 } });
    expect(await getChange(db(), c.id)).toMatchObject({ status: 'approved', validApprovals: 2, requiredApprovals: 2 });

    c = await reviseChange(db(), c);
    gate = await askGate(db(), c.externalId);
    expect(gate).toMatchObject({ allowed: false, reasons: ['approvals_missing'], approvals: { required: 2, valid: 0 } });
    expect(await getChange(db(), c.id)).toMatchObject({ status: 'pending', validApprovals: 0 });

    // Still shown, marked superseded, and not counted.
    const auth = await sessionFor(db(), 'jwhitaker');
    const list = await call(listRoute, `/api/v1/changes/${c.id}/approvals`, { auth, params: { id: String(c.id) } });
    expect(list.status).toBe(200);
    expect(list.json.items.map((d: { handle: string; invalidReason: string; counts: boolean }) => [d.handle, d.invalidReason, d.counts])).toEqual([
      ['mrossi', 'superseded', false],
      ['sahmed', 'superseded', false],
    ]);
    expect(list.json).toMatchObject({ required: 2, valid: 0, viewer: { handle: 'jwhitaker', canDecide: true } });

    // The old revision's sha is refused; the new one is accepted.
    const stale = await approve(db(), 'mrossi', { ...c, sha: await staleSha(c.id) });
    expect(stale.status).toBe(409);
    expect(stale.json.error.code).toBe('stale_revision');
    expect((await approve(db(), 'mrossi', c)).status).toBe(201);

    const events = await db().select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.changeId, c.id)).orderBy(auditEvents.id);
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['change.submitted', 'gate.decided', 'approval.approved', 'change.revised']),
    );
    expect(events.filter((e) => e.action === 'approval.approved')).toHaveLength(3);
  });

  async function staleSha(changeId: number): Promise<string> {
    const { revisions } = await import('@/db/schema');
    const rows = await db().select({ sha: revisions.sha, number: revisions.number }).from(revisions).where(eq(revisions.changeId, changeId)).orderBy(revisions.number);
    return rows[0]!.sha;
  }

  it('refuses the author, a co-author, an L6, a bot and the same senior twice, each with its reason', async () => {
    // jwhitaker (senior, L7) authors; sahmed (senior) co-authors.
    const c = await newChange(db(), { author: 'jwhitaker', coAuthors: ['sahmed'] });
    const author = await approve(db(), 'jwhitaker', c);
    expect([author.status, author.json.error.code]).toEqual([403, 'author_cannot_approve']);
    const coauthor = await approve(db(), 'sahmed', c);
    expect([coauthor.status, coauthor.json.error.code]).toEqual([403, 'author_cannot_approve']);

    const l6 = await newPerson(db(), { level: 6, role: 'senior' });
    const low = await approve(db(), l6.handle, c);
    expect([low.status, low.json.error.code]).toEqual([403, 'level_too_low']);
    expect(low.json.error.message).toMatch(/L7 or above.*you are L6/);
    // The demo's L6 engineer cannot even hold the approve scope.
    const ebrandt = await sessionFor(db(), 'ebrandt');
    const eng = await call(approveRoute, `/api/v1/changes/${c.id}/approvals`, { auth: ebrandt, params: { id: String(c.id) }, body: { decision: 'approve', revisionSha: c.sha } });
    expect([eng.status, eng.json.error.code]).toEqual([403, 'insufficient_scope']);

    // A bot given an approver's role by mistake is still refused, by the policy and by the database.
    const bot = await newPerson(db(), { level: null, role: 'senior', isBot: true });
    const botRes = await approve(db(), bot.handle, c);
    expect([botRes.status, botRes.json.error.code]).toEqual([403, 'bot_cannot_approve']);
    const [kiro] = await db().select().from(people).where(eq(people.handle, 'kiro-agent[bot]'));
    await expect(recordDecision(db(), { changeId: c.id, personId: kiro!.id, decision: 'approve', revisionSha: c.sha, via: 'api' })).rejects.toMatchObject({
      status: 403,
      code: 'bot_cannot_approve',
    });

    expect((await approve(db(), 'mrossi', c)).status).toBe(201);
    const twice = await approve(db(), 'mrossi', c);
    expect([twice.status, twice.json.error.code]).toEqual([409, 'already_approved']);
    const rejectAfter = await approve(db(), 'mrossi', c, { decision: 'reject', comment: 'Changed my mind' });
    expect([rejectAfter.status, rejectAfter.json.error.code]).toEqual([409, 'already_approved']);

    const standing = await db().select().from(approvals).where(and(eq(approvals.changeId, c.id), isNull(approvals.withdrawnAt)));
    expect(standing.map((a) => a.personId)).toHaveLength(1);
    expect((await getChange(db(), c.id)).validApprovals).toBe(1);
  });

  it('translates the database guards into the same reasons when they fire first', async () => {
    const c = await newChange(db());
    const [kiro] = await db().select().from(people).where(eq(people.handle, 'kiro-agent[bot]'));
    const change = await getChange(db(), c.id);
    let caught: unknown;
    try {
      await db().insert(approvals).values({ changeId: c.id, revisionId: change.currentRevisionId!, personId: kiro!.id, decision: 'approve' });
    } catch (err) {
      caught = mapGuardError(err);
    }
    expect(caught).toBeInstanceOf(AppError);
    expect(caught).toMatchObject({ status: 403, code: 'bot_cannot_approve' });
    const [mrossi] = await db().select().from(people).where(eq(people.handle, 'mrossi'));
    await db().insert(approvals).values({ changeId: c.id, revisionId: change.currentRevisionId!, personId: mrossi!.id, decision: 'approve' });
    try {
      await db().insert(approvals).values({ changeId: c.id, revisionId: change.currentRevisionId!, personId: mrossi!.id, decision: 'approve' });
      caught = null;
    } catch (err) {
      caught = mapGuardError(err);
    }
    expect(caught).toMatchObject({ status: 409, code: 'already_approved' });
    // The row went in behind the application's back: bring the stored tally in line for the other
    // tests sharing this database (the policy test checks every open change's stored sign-off).
    await db().transaction((tx) => refreshSignOff(tx, c.id));
  });

  it('20 concurrent approvals by one senior record exactly one', async () => {
    const c = await newChange(db());
    await tokenOf(db(), 'mrossi', ['approve']);
    const results = await Promise.all(Array.from({ length: 20 }, () => approve(db(), 'mrossi', c)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    expect(new Set(results.filter((r) => r.status === 409).map((r) => r.json.error.code))).toEqual(new Set(['already_approved']));
    const rows = await db().select().from(approvals).where(eq(approvals.changeId, c.id));
    expect(rows).toHaveLength(1);
    expect(await getChange(db(), c.id)).toMatchObject({ validApprovals: 1, status: 'pending' });
    const events = await db().select().from(auditEvents).where(and(eq(auditEvents.changeId, c.id), eq(auditEvents.action, 'approval.approved')));
    expect(events).toHaveLength(1);
  });

  it('two seniors approving at the same instant both count', async () => {
    const c = await newChange(db());
    await Promise.all([tokenOf(db(), 'mrossi', ['approve']), tokenOf(db(), 'sahmed', ['approve'])]);
    const [a, b] = await Promise.all([approve(db(), 'mrossi', c), approve(db(), 'sahmed', c)]);
    expect([a!.status, b!.status]).toEqual([201, 201]);
    // The stored tally saw both: the second transaction waited for the first one's lock.
    expect(await getChange(db(), c.id)).toMatchObject({ validApprovals: 2, status: 'approved' });
    expect(await askGate(db(), c.id)).toMatchObject({ allowed: true, approvals: { required: 2, valid: 2 } });
  });

  it('a reject needs a comment, blocks the gate, and stops blocking once withdrawn; only its author withdraws it', async () => {
    const c = await newChange(db());
    const bare = await approve(db(), 'jwhitaker', c, { decision: 'reject', comment: '   ' });
    expect([bare.status, bare.json.error.code]).toEqual([422, 'comment_required']);
    const rej = await approve(db(), 'jwhitaker', c, { decision: 'reject', comment: 'MAX_ITEMS feeds the warehouse batcher; 60 overflows it.' });
    expect(rej.status).toBe(201);
    await approve(db(), 'mrossi', c);
    await approve(db(), 'sahmed', c);
    let gate = await askGate(db(), c.id);
    expect(gate).toMatchObject({ allowed: false, reasons: ['rejected'], approvals: { required: 2, valid: 2 } });
    expect((await getChange(db(), c.id)).status).toBe('rejected');

    const other = await tokenOf(db(), 'mrossi', ['approve']);
    const notMine = await call(withdrawRoute, '/x', { method: 'DELETE', auth: other, params: { id: String(c.id), approvalId: String(rej.json.id) } });
    expect([notMine.status, notMine.json.error.code]).toEqual([403, 'not_your_decision']);

    const mine = await tokenOf(db(), 'jwhitaker', ['approve']);
    const w = await call(withdrawRoute, '/x', { method: 'DELETE', auth: mine, params: { id: String(c.id), approvalId: String(rej.json.id) } });
    expect(w.status, w.text).toBe(200);
    expect(w.json.approvals).toEqual({ required: 2, valid: 2 });
    gate = await askGate(db(), c.id);
    expect(gate).toMatchObject({ allowed: true, reasons: ['approved'] });
    const again = await call(withdrawRoute, '/x', { method: 'DELETE', auth: mine, params: { id: String(c.id), approvalId: String(rej.json.id) } });
    expect([again.status, again.json.error.code]).toEqual([409, 'already_withdrawn']);
    const [row] = await db().select().from(approvals).where(eq(approvals.id, rej.json.id));
    expect(row!.withdrawnAt).not.toBeNull();
    const [ev] = await db().select().from(auditEvents).where(and(eq(auditEvents.changeId, c.id), eq(auditEvents.action, 'approval.withdrawn')));
    expect(ev!.payload).toMatchObject({ decision: 'reject', revision: 1 });
    // A withdrawn approval stops counting too.
    const mrossiApproval = (await db().select().from(approvals).innerJoin(people, eq(people.id, approvals.personId)).where(and(eq(approvals.changeId, c.id), eq(people.handle, 'mrossi'))))[0]!;
    await call(withdrawRoute, '/x', { method: 'DELETE', auth: other, params: { id: String(c.id), approvalId: String(mrossiApproval.approvals.id) } });
    expect(await askGate(db(), c.id)).toMatchObject({ allowed: false, approvals: { valid: 1 } });
  });

  it('tells the signed-in person why they cannot sign off, and validates the body', async () => {
    const c = await newChange(db(), { coAuthors: ['jwhitaker'] });
    const view = async (h: string) => (await call(listRoute, '/x', { auth: await sessionFor(db(), h), params: { id: String(c.id) } })).json.viewer;
    expect(await view('kchen')).toMatchObject({ canDecide: false, block: 'author_cannot_approve' });
    expect(await view('jwhitaker')).toMatchObject({ canDecide: false, block: 'author_cannot_approve' });
    expect(await view('ebrandt')).toMatchObject({ canDecide: false, block: 'level_too_low' });
    expect(await view('admin')).toMatchObject({ canDecide: false, block: 'not_an_approver' });
    expect(await view('mrossi')).toMatchObject({ canDecide: true, block: null });
    await approve(db(), 'mrossi', c);
    expect(await view('mrossi')).toMatchObject({ canDecide: false, block: 'already_decided' });

    const auth = await tokenOf(db(), 'sahmed', ['approve']);
    const bad = await call(approveRoute, '/x', { auth, params: { id: String(c.id) }, body: { decision: 'maybe', revisionSha: c.sha } });
    expect([bad.status, bad.json.error.code]).toEqual([422, 'validation_failed']);
    const noSha = await call(approveRoute, '/x', { auth, params: { id: String(c.id) }, body: { decision: 'approve' } });
    expect(noSha.status).toBe(422);
    const unknown = await call(approveRoute, '/x', { auth, params: { id: '999999999' }, body: { decision: 'approve', revisionSha: c.sha } });
    expect(unknown.status).toBe(404);
    const byExternal = await call(approveRoute, '/x', { auth, params: { id: encodeURIComponent(c.externalId) }, body: { decision: 'approve', revisionSha: c.sha } });
    expect(byExternal.status, byExternal.text).toBe(201);
  });
});
