// The administrator's API: tokens (the secret shown once, stored hashed, revocable) and
// people (a level change re-weighs standing approvals; nobody locks themselves out).
import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { PATCH as patchPerson } from '@/app/api/v1/people/[handle]/route';
import { GET as listPeople, POST as addPerson } from '@/app/api/v1/people/route';
import { GET as policyRoute } from '@/app/api/v1/policy/route';
import { DELETE as revokeRoute } from '@/app/api/v1/tokens/[id]/route';
import { GET as listTokens, POST as createToken } from '@/app/api/v1/tokens/route';
import { apiTokens, auditEvents, sessions } from '@/db/schema';
import { createApiToken, hashToken } from '@/lib/auth/tokens';
import { describeEachDb } from '../support/db';
import { call, sessionFor } from '../support/http';
import { approve, askGate, getChange, newChange, newPerson, tokenOf } from './sign-off-fixtures';

describeEachDb('admin API', ({ handle }) => {
  const db = () => handle().db;

  it('creates a scoped token whose secret is shown once and stored only as a hash; revoking it ends it at once', async () => {
    const admin = await sessionFor(db(), 'admin');
    const pipeline = await newPerson(db(), { level: null, role: 'engineer', isBot: true });
    const res = await call(createToken, '/api/v1/tokens', { auth: admin, body: { person: pipeline.handle, scopes: ['gate:read', 'deployments:write'], name: 'deploy pipeline' } });
    expect(res.status, res.text).toBe(201);
    const secret: string = res.json.token;
    expect(secret).toMatch(/^cs_/);
    const [stored] = await db().select().from(apiTokens).where(eq(apiTokens.id, res.json.id));
    expect(stored!.tokenHash).toBe(hashToken(secret));
    expect(JSON.stringify(stored)).not.toContain(secret);

    const list = await call(listTokens, '/api/v1/tokens', { auth: admin });
    const item = list.json.items.find((t: { id: number }) => t.id === res.json.id);
    expect(item).toMatchObject({ name: 'deploy pipeline', prefix: secret.slice(0, 10), scopes: ['gate:read', 'deployments:write'], person: { handle: pipeline.handle, isBot: true }, createdBy: 'admin', revokedAt: null });
    expect(list.text).not.toContain(secret);

    // The token works, then is revoked, then is refused.
    expect((await askGateWith(secret)).status).toBe(200);
    const revoke = await call(revokeRoute, '/x', { method: 'DELETE', auth: admin, params: { id: String(res.json.id) } });
    expect(revoke.status, revoke.text).toBe(200);
    expect((await askGateWith(secret)).status).toBe(401);
    const again = await call(revokeRoute, '/x', { method: 'DELETE', auth: admin, params: { id: String(res.json.id) } });
    expect(again.status).toBe(404);
    const actions = (await db().select({ action: auditEvents.action }).from(auditEvents).where(and(eq(auditEvents.subjectType, 'api_token'), eq(auditEvents.subjectId, String(res.json.id)))).orderBy(auditEvents.id)).map((a) => a.action);
    expect(actions).toEqual(['token.created', 'token.revoked']);

    // Scopes never exceed the owner's role; unknown scopes are refused by the schema.
    const excess = await call(createToken, '/api/v1/tokens', { auth: admin, body: { person: pipeline.handle, scopes: ['approve'] } });
    expect([excess.status, excess.json.error.code]).toEqual([403, 'scope_not_allowed']);
    const unknown = await call(createToken, '/api/v1/tokens', { auth: admin, body: { person: pipeline.handle, scopes: ['root'] } });
    expect(unknown.status).toBe(422);
  });

  async function askGateWith(token: string) {
    const { GET } = await import('@/app/api/v1/gate/route');
    return call(GET, '/api/v1/gate?change=1', { auth: { token } });
  }

  it('lowers a level: the person’s standing approval stops counting on open changes, in the same transaction', async () => {
    const admin = await sessionFor(db(), 'admin');
    const reviewer = await newPerson(db(), { level: 8, role: 'senior' });
    const c = await newChange(db());
    await approve(db(), reviewer.handle, c);
    await approve(db(), 'mrossi', c);
    expect(await getChange(db(), c.id)).toMatchObject({ validApprovals: 2, status: 'approved' });

    const res = await call(patchPerson, '/x', { method: 'PATCH', auth: admin, params: { handle: reviewer.handle }, body: { level: 6 } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ handle: reviewer.handle, level: 6 });
    expect(await getChange(db(), c.id)).toMatchObject({ validApprovals: 1, status: 'pending' });
    expect(await askGate(db(), c.id)).toMatchObject({ allowed: false, approvals: { valid: 1 } });
    const [ev] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, 'person.updated'), eq(auditEvents.subjectId, reviewer.handle)));
    expect(ev!.payload).toMatchObject({ before: { level: 8 }, after: { level: 6 }, refreshedChanges: [c.id] });
  });

  it('changes role and team, deactivates (ending sessions and tokens), and refuses bad input and self-lockout', async () => {
    const admin = await sessionFor(db(), 'admin');
    const p = await newPerson(db(), { level: 7, role: 'engineer' });
    const patch = (body: unknown, h = p.handle) => call(patchPerson, '/x', { method: 'PATCH', auth: admin, params: { handle: h }, body });
    // A raise waits for a second administrator (integrity-admin.test.ts); the team changes at once.
    expect((await patch({ role: 'senior', team: 'payments' })).status).toBe(202);
    expect((await patch({ team: 'payments' })).json).toMatchObject({ role: 'engineer', team: 'payments' });
    expect((await patch({ team: 'no-such-team' })).json.error.code).toBe('unknown_team');
    expect((await patch({ level: 11 })).status).toBe(422);
    expect((await patch({ level: null })).json.error.code).toBe('level_required');
    expect((await patch({})).json.error.code).toBe('empty_patch');
    expect((await patch({ colour: 'blue' })).status).toBe(422);
    expect((await patch({ level: 7 }, 'nobody-here')).status).toBe(404);

    const theirSession = await sessionFor(db(), p.handle);
    const theirToken = await tokenOf(db(), p.handle, ['gate:read']);
    expect((await call(listPeople, '/x', { auth: theirSession })).status).toBe(200);
    expect((await patch({ deactivated: true })).json).toMatchObject({ deactivated: true });
    expect((await call(listPeople, '/x', { auth: theirSession })).status).toBe(401);
    expect((await call(listPeople, '/x', { auth: theirToken })).status).toBe(401);
    expect(await db().$count(sessions, eq(sessions.personId, p.id))).toBe(0);

    const self = await patch({ role: 'engineer' }, 'admin');
    expect([self.status, self.json.error.code]).toEqual([403, 'cannot_change_self']);
    expect((await patch({ deactivated: true }, 'admin')).json.error.code).toBe('cannot_change_self');
  });

  it('adds a pipeline account (a bot that never signs off) to hold a pipeline’s tokens; expired tokens are refused', async () => {
    const admin = await sessionFor(db(), 'admin');
    const handleName = `ci-${Date.now().toString(36)}`;
    const res = await call(addPerson, '/api/v1/people', { auth: admin, body: { handle: handleName, name: 'Checkout deploy (GitHub Actions)' } });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ handle: handleName, isBot: true, level: null, role: 'engineer' });
    const dup = await call(addPerson, '/api/v1/people', { auth: admin, body: { handle: handleName, name: 'again' } });
    expect([dup.status, dup.json.error.code]).toEqual([409, 'handle_taken']);
    const bad = await call(addPerson, '/api/v1/people', { auth: admin, body: { handle: 'Has Spaces', name: 'x' } });
    expect(bad.status).toBe(422);
    const [ev] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, 'person.created'), eq(auditEvents.subjectId, handleName)));
    expect(ev!.actor).toBe('admin');

    const approveToken = await call(createToken, '/api/v1/tokens', { auth: admin, body: { person: handleName, scopes: ['approve'] } });
    expect([approveToken.status, approveToken.json.error.code]).toEqual([403, 'scope_not_allowed']);
    const expired = await createApiToken(db(), { personHandle: handleName, scopes: ['gate:read'], createdBy: null, expiresAt: new Date(Date.now() - 1000) });
    expect((await askGateWith(expired.token)).status).toBe(401);
  });

  it('shows the effective policy in numbers and words to anyone signed in', async () => {
    const res = await call(policyRoute, '/api/v1/policy', { auth: await sessionFor(db(), 'kchen') });
    expect(res.status).toBe(200);
    expect(res.json.policy.approvals.approvalsByTier).toEqual({ 1: 2, 2: 1, 3: 0 });
    const text = JSON.stringify(res.json.sections);
    expect(text).toContain('needs 2 valid approvals');
    expect(text).toContain('no_predeploy_validation');
  });
});
