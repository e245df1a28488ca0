// The first routes every other part relies on: health, people, services — and the
// wrapper's refusals (no credentials, wrong scope, missing CSRF token).
import { describe, expect, it } from 'vitest';
import { GET as health } from '@/app/api/health/route';
import { GET as listPeople } from '@/app/api/v1/people/route';
import { GET as listServices } from '@/app/api/v1/services/route';
import { POST as signOut } from '@/app/api/auth/signout/route';
import { POST as signIn } from '@/app/api/auth/signin/route';
import { eq } from 'drizzle-orm';
import { people } from '@/db/schema';
import { hashPassword } from '@/lib/auth/password';
import { describeEachDb, uid } from '../support/db';
import { call, sessionFor, tokenFor } from '../support/http';

describeEachDb('foundation routes', ({ driver, handle }) => {
  it('GET /api/health answers ok and names the driver, without credentials', async () => {
    const res = await call(health, '/api/health');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ok: true, db: driver });
  });

  it('GET /api/v1/people and /services refuse anonymous callers with 401 {error}', async () => {
    for (const h of [listPeople, listServices]) {
      const res = await call(h, '/api/v1/x');
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe('unauthorized');
      expect(res.text).not.toMatch(/at .*\.ts/);
    }
    const bad = await call(listPeople, '/api/v1/people', { auth: { token: 'cs_not-a-real-token' } });
    expect(bad.status).toBe(401);
  });

  it('lists people with levels, roles, teams and bots for any authenticated caller', async () => {
    const { token } = await tokenFor(handle().db, 'admin', ['gate:read']);
    const res = await call(listPeople, '/api/v1/people', { auth: { token } });
    expect(res.status).toBe(200);
    const items = res.json.items as { handle: string; level: number | null; role: string; isBot: boolean }[];
    expect(items.length).toBeGreaterThanOrEqual(35);
    expect(items.find((p) => p.handle === 'admin')?.role).toBe('admin');
    expect(items.some((p) => p.isBot && p.level === null)).toBe(true);
    const levels = items.filter((p) => !p.isBot).map((p) => p.level!);
    expect(Math.min(...levels)).toBe(4);
    expect(Math.max(...levels)).toBe(10);
    expect(res.json).toHaveProperty('nextCursor');
  });

  it('lists services with tier, team, system and dependsOn', async () => {
    const s = await sessionFor(handle().db, 'admin');
    const res = await call(listServices, '/api/v1/services', { auth: s });
    expect(res.status).toBe(200);
    const items = res.json.items as { slug: string; tier: number; team: string; dependsOn: string[] }[];
    const cfg = items.find((x) => x.slug === 'config-service');
    expect(cfg?.tier).toBe(1);
    expect(items.some((x) => x.dependsOn.includes('config-service'))).toBe(true);
  });

  it('refuses a cookie-authenticated POST without the CSRF token, accepts it with the token', async () => {
    const s = await sessionFor(handle().db, 'admin');
    const without = await call(signOut, '/api/auth/signout', { auth: { cookie: s.cookie }, body: {} });
    expect(without.status).toBe(403);
    expect(without.json.error.code).toBe('csrf_failed');
    const withToken = await call(signOut, '/api/auth/signout', { auth: s, body: {} });
    expect(withToken.status).toBe(200);
    // The session is gone: the same cookie no longer authenticates.
    const after = await call(listPeople, '/api/v1/people', { auth: { cookie: s.cookie } });
    expect(after.status).toBe(401);
  });

  it('signs in with email and password, sets an HttpOnly SameSite cookie, refuses a wrong password', async () => {
    const db = handle().db;
    const handleName = uid('signin');
    await db.insert(people).values({ handle: handleName, name: 'Sign In', email: `${handleName}@example.test`, level: 7, role: 'senior', passwordHash: await hashPassword('correct horse battery') });
    const wrong = await call(signIn, '/api/auth/signin', { body: { email: `${handleName}@example.test`, password: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain('nope');
    const ok = await call(signIn, '/api/auth/signin', { body: { email: `${handleName.toUpperCase()}@example.test`, password: 'correct horse battery' } });
    expect(ok.status).toBe(200);
    const cookie = ok.headers.get('set-cookie')!;
    expect(cookie).toMatch(/cs_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
    const value = /cs_session=([^;]+)/.exec(cookie)![1]!;
    const me = await call(listPeople, '/api/v1/people', { auth: { cookie: value } });
    expect(me.status).toBe(200);
    await db.update(people).set({ deactivatedAt: new Date() }).where(eq(people.handle, handleName));
    expect((await call(listPeople, '/api/v1/people', { auth: { cookie: value } })).status).toBe(401);
  });

  it('refuses a form-encoded sign-in (415) and malformed JSON (400) without a stack trace', async () => {
    const form = await call(signIn, '/api/auth/signin', { rawBody: 'email=a&password=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    const bad = await call(signIn, '/api/auth/signin', { rawBody: '{"email":', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('invalid_json');
  });
});

describe('token scopes', () => {
  it('cannot exceed what the owner’s role allows', async () => {
    const { getTestDb } = await import('../support/db');
    const db = (await getTestDb('pglite')).db;
    const { createApiToken } = await import('@/lib/auth/tokens');
    const [engineer] = await db.select().from(people).where(eq(people.role, 'engineer')).limit(1);
    await expect(createApiToken(db, { personHandle: engineer!.handle, scopes: ['audit:read'], createdBy: null })).rejects.toMatchObject({ code: 'scope_not_allowed' });
    await expect(createApiToken(db, { personHandle: engineer!.handle, scopes: ['root'], createdBy: null })).rejects.toMatchObject({ code: 'unknown_scope' });
  });
});
