// Administrators cannot act alone where it matters (issue 10): an approve token is only ever
// minted by its owner from their own signed-in session, and raising a person's role or level
// waits for a second, different administrator.
import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { POST as confirmRoute } from '@/app/api/v1/confirmations/[id]/confirm/route';
import { POST as rejectRoute } from '@/app/api/v1/confirmations/[id]/reject/route';
import { GET as listConfirmations } from '@/app/api/v1/confirmations/route';
import { POST as setPasswordRoute } from '@/app/api/v1/people/[handle]/password/route';
import { PATCH as patchPerson } from '@/app/api/v1/people/[handle]/route';
import { POST as signIn } from '@/app/api/auth/signin/route';
import { POST as addPerson } from '@/app/api/v1/people/route';
import { GET as reportRoute } from '@/app/api/v1/reports/weekly/[isoWeek]/route';
import { isoWeekOf } from '@/lib/reports/iso-week';
import { DELETE as revokeOwnToken } from '@/app/api/v1/me/tokens/[id]/route';
import { GET as listOwnTokens, POST as createOwnToken } from '@/app/api/v1/me/tokens/route';
import { POST as createToken } from '@/app/api/v1/tokens/route';
import { auditEvents, people } from '@/db/schema';
import { describeEachDb } from '../support/db';
import { call, sessionFor } from '../support/http';
import { newPerson, tokenOf } from './sign-off-fixtures';

describeEachDb('administrators cannot act alone', ({ handle }) => {
  const db = () => handle().db;

  it('an administrator cannot mint an approve token for someone else, by session or by token', async () => {
    const admin = await sessionFor(db(), 'admin');
    const senior = await newPerson(db(), { level: 8, role: 'senior' });
    const bySession = await call(createToken, '/api/v1/tokens', { auth: admin, body: { person: senior.handle, scopes: ['approve'] } });
    expect([bySession.status, bySession.json?.error?.code], bySession.text).toEqual([403, 'approve_token_self_only']);
    const adminToken = await tokenOf(db(), 'admin', ['admin']);
    const byToken = await call(createToken, '/api/v1/tokens', { auth: adminToken, body: { person: senior.handle, scopes: ['gate:read', 'approve'] } });
    expect([byToken.status, byToken.json?.error?.code], byToken.text).toEqual([403, 'approve_token_self_only']);
  });

  it('a person mints their own approve token from their session, never with a token', async () => {
    const senior = await newPerson(db(), { level: 8, role: 'senior' });
    const own = await sessionFor(db(), senior.handle);
    const res = await call(createOwnToken, '/api/v1/me/tokens', { auth: own, body: { scopes: ['approve', 'gate:read'], name: 'my laptop' } });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ person: senior.handle, scopes: ['approve', 'gate:read'] });
    const withToken = await call(createOwnToken, '/api/v1/me/tokens', { auth: { token: res.json.token }, body: { scopes: ['approve'] } });
    expect([withToken.status, withToken.json?.error?.code], withToken.text).toEqual([403, 'session_required']);
    const engineer = await newPerson(db(), { level: 6, role: 'engineer' });
    const notAllowed = await call(createOwnToken, '/api/v1/me/tokens', { auth: await sessionFor(db(), engineer.handle), body: { scopes: ['approve'] } });
    expect([notAllowed.status, notAllowed.json?.error?.code]).toEqual([403, 'scope_not_allowed']);
  });

  it('raising a level waits for a second administrator', async () => {
    const admin = await sessionFor(db(), 'admin');
    const p = await newPerson(db(), { level: 6, role: 'engineer' });
    const res = await call(patchPerson, '/x', { method: 'PATCH', auth: admin, params: { handle: p.handle }, body: { level: 9 } });
    expect(res.status, res.text).toBe(202);
    const [row] = await db().select().from(people).where(eq(people.id, p.id));
    expect(row!.level).toBe(6);
    const pending = res.json.pending;
    expect(pending).toMatchObject({ kind: 'person.update', subject: p.handle, status: 'pending', requestedBy: 'admin' });

    const listed = await call(listConfirmations, '/api/v1/confirmations?status=pending', { auth: admin });
    expect(listed.json.items.map((i: { id: number }) => i.id)).toContain(pending.id);

    // The requester cannot confirm their own request.
    const own = await call(confirmRoute, '/x', { method: 'POST', auth: admin, params: { id: String(pending.id) } });
    expect([own.status, own.json?.error?.code], own.text).toEqual([403, 'same_administrator']);

    // A second administrator confirms: the level changes now.
    const second = await newPerson(db(), { level: 8, role: 'admin' });
    const b = await sessionFor(db(), second.handle);
    const ok = await call(confirmRoute, '/x', { method: 'POST', auth: b, params: { id: String(pending.id) } });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json).toMatchObject({ status: 'confirmed', decidedBy: second.handle });
    const [after] = await db().select().from(people).where(eq(people.id, p.id));
    expect(after!.level).toBe(9);
    const again = await call(confirmRoute, '/x', { method: 'POST', auth: b, params: { id: String(pending.id) } });
    expect([again.status, again.json?.error?.code]).toEqual([409, 'already_decided']);
    const actions = (await db().select({ action: auditEvents.action }).from(auditEvents).where(and(eq(auditEvents.subjectType, 'confirmation'), eq(auditEvents.subjectId, String(pending.id)))).orderBy(auditEvents.id)).map((a) => a.action);
    expect(actions).toEqual(['confirmation.requested', 'confirmation.confirmed']);

    // Lowering applies at once; a raise can also be rejected.
    const lower = await call(patchPerson, '/x', { method: 'PATCH', auth: admin, params: { handle: p.handle }, body: { level: 7 } });
    expect(lower.status, lower.text).toBe(200);
    const raise = await call(patchPerson, '/x', { method: 'PATCH', auth: admin, params: { handle: p.handle }, body: { role: 'director' } });
    expect(raise.status).toBe(202);
    const no = await call(rejectRoute, '/x', { method: 'POST', auth: b, params: { id: String(raise.json.pending.id) } });
    expect(no.json).toMatchObject({ status: 'rejected' });
    const [still] = await db().select().from(people).where(eq(people.id, p.id));
    expect([still!.role, still!.level]).toEqual(['engineer', 7]);

    // The weekly report lists them among what leaders must discuss.
    const week = isoWeekOf(new Date()).id;
    const report = await call(reportRoute, `/api/v1/reports/weekly/${week}`, { params: { isoWeek: week }, auth: admin });
    expect(report.status, report.text).toBe(200);
    const item = report.json.discuss.find((d: { key: string }) => d.key === 'admin-confirmations');
    const text = item.parts.map((x: string | { text: string }) => (typeof x === 'string' ? x : x.text)).join('');
    expect(text).toContain(`raise for ${p.handle} asked by admin, confirmed by ${second.handle}`);
    expect(text).toMatch(/administrator requests needed a second administrator/);
  });

  it('an approver account is created only once a second administrator confirms', async () => {
    const admin = await sessionFor(db(), 'admin');
    const h = `appr-${Math.random().toString(36).slice(2, 9)}`;
    const res = await call(addPerson, '/api/v1/people', { auth: admin, body: { handle: h, name: 'New Approver', email: `${h}@example.test`, role: 'senior' } });
    expect(res.status, res.text).toBe(202);
    expect(await db().select().from(people).where(eq(people.handle, h))).toHaveLength(0);
    const second = await newPerson(db(), { level: 8, role: 'admin' });
    const ok = await call(confirmRoute, '/x', { method: 'POST', auth: await sessionFor(db(), second.handle), params: { id: String(res.json.pending.id) } });
    expect(ok.status, ok.text).toBe(200);
    const [row] = await db().select().from(people).where(eq(people.handle, h));
    expect(row).toMatchObject({ role: 'senior', level: 7 });
    // An engineer below senior level is added at once.
    const e = `eng-${Math.random().toString(36).slice(2, 9)}`;
    const eng = await call(addPerson, '/api/v1/people', { auth: admin, body: { handle: e, name: 'New Engineer', email: `${e}@example.test`, role: 'engineer' } });
    expect(eng.status, eng.text).toBe(201);
  });

  it('an administrator cannot sign in as two seniors: setting an approver\'s or another administrator\'s password waits for a second administrator', async () => {
    const admin = await sessionFor(db(), 'admin');
    const setPassword = (auth: Awaited<ReturnType<typeof sessionFor>>, who: string, body: Record<string, unknown>) =>
      call(setPasswordRoute, '/x', { method: 'POST', auth, params: { handle: who }, body });
    const signInAs = (email: string, password: string) => call(signIn, '/api/auth/signin', { body: { email, password } });
    const password = 'correct horse battery staple';
    for (const target of [await newPerson(db(), { level: 8, role: 'senior' }), await newPerson(db(), { level: 8, role: 'admin' })]) {
      const asked = await setPassword(admin, target.handle, { password });
      expect(asked.status, asked.text).toBe(202);
      expect(asked.json.pending).toMatchObject({ kind: 'person.password', subject: target.handle, status: 'pending' });
      expect(JSON.stringify(asked.json)).not.toContain('passwordHash');
      const [row] = await db().select().from(people).where(eq(people.id, target.id));
      expect((await signInAs(row!.email!, password)).status).toBe(401);
      // A generated password would be shown before anyone confirmed it: refused.
      const generated = await setPassword(admin, target.handle, { generate: true });
      expect([generated.status, generated.json.error.code]).toEqual([400, 'password_after_confirmation']);
      // The requester cannot confirm it; a second administrator can, and then it works.
      expect((await call(confirmRoute, '/x', { method: 'POST', auth: admin, params: { id: String(asked.json.pending.id) } })).status).toBe(403);
      const ok = await call(confirmRoute, '/x', { method: 'POST', auth: await sessionFor(db(), 'admin2'), params: { id: String(asked.json.pending.id) } });
      expect(ok.status, ok.text).toBe(200);
      expect((await signInAs(row!.email!, password)).status).toBe(200);
    }
    // An engineer's password is set at once.
    const engineer = await newPerson(db(), { level: 5, role: 'engineer' });
    expect((await setPassword(admin, engineer.handle, { password })).status).toBe(200);
  });

  it('a person lists and revokes their own tokens, never someone else\'s', async () => {
    const senior = await newPerson(db(), { level: 8, role: 'senior' });
    const other = await newPerson(db(), { level: 8, role: 'senior' });
    const own = await sessionFor(db(), senior.handle);
    const made = await call(createOwnToken, '/api/v1/me/tokens', { auth: own, body: { scopes: ['approve'], name: 'laptop' } });
    expect(made.status, made.text).toBe(201);
    const listed = await call(listOwnTokens, '/api/v1/me/tokens', { auth: own });
    expect(listed.json.items.map((t: { id: number }) => t.id)).toEqual([made.json.id]);
    expect(listed.text).not.toContain(made.json.token);
    // Someone else cannot see or revoke it.
    const stranger = await sessionFor(db(), other.handle);
    expect((await call(listOwnTokens, '/api/v1/me/tokens', { auth: stranger })).json.items).toEqual([]);
    const theirs = await call(revokeOwnToken, '/x', { method: 'DELETE', auth: stranger, params: { id: String(made.json.id) } });
    expect(theirs.status).toBe(404);
    const mine = await call(revokeOwnToken, '/x', { method: 'DELETE', auth: own, params: { id: String(made.json.id) } });
    expect(mine.status, mine.text).toBe(200);
    expect((await call(createOwnToken, '/api/v1/me/tokens', { auth: { token: made.json.token }, body: { scopes: ['gate:read'] } })).status).toBe(401);
  });
});
