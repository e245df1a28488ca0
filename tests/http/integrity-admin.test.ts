// Administrators cannot act alone where it matters (issue 10): an approve token is only ever
// minted by its owner from their own signed-in session, and raising a person's role or level
// waits for a second, different administrator.
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { PATCH as patchPerson } from '@/app/api/v1/people/[handle]/route';
import { POST as createOwnToken } from '@/app/api/v1/me/tokens/route';
import { POST as createToken } from '@/app/api/v1/tokens/route';
import { people } from '@/db/schema';
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
  });
});
