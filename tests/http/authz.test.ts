// Every route under app/api refuses the unauthenticated (401), the wrong scope and the
// wrong role (403), and a cookie-authenticated write without the CSRF token (403). The
// route files are enumerated, so a route added tomorrow is covered without editing this.
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { people } from '@/db/schema';
import type { Role, TokenScope } from '@/db/schema/enums';
import { ROLES } from '@/db/schema/enums';
import { routeMetaOf, type RouteMeta } from '@/lib/api/route';
import { createApiToken, revokeApiToken } from '@/lib/auth/tokens';
import { scopesForRole } from '@/lib/auth/roles';
import { describeEachDb } from '../support/db';
import { call, sessionFor, tokenFor, type CallOptions } from '../support/http';

const ROOT = path.resolve(__dirname, '../..');
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Public by design: health checks (and the benchmark's constant floor, which reads nothing),
 * signing in, and GitHub (which proves itself with an HMAC signature).
 */
const PUBLIC: Record<string, string[]> = {
  'app/api/health/route.ts': ['GET'],
  'app/api/ping/route.ts': ['GET'],
  'app/api/auth/signin/route.ts': ['POST'],
  'app/api/webhooks/github/route.ts': ['POST'],
};
/** Writes any signed-in person may make about themselves. */
// A person's own tokens: any signed-in person, from their own session (the route refuses tokens).
const ANY_SIGNED_IN_WRITES = new Set(['app/api/auth/signout/route.ts POST', 'app/api/v1/me/tokens/route.ts POST', 'app/api/v1/me/tokens/[id]/route.ts DELETE']);

/** A demo person of each role (never modified by tests). */
const PERSON_OF: Record<Role, string> = { engineer: 'kchen', senior: 'mrossi', director: 'cmoore', vp: 'mgrant', admin: 'admin' };

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

interface RouteCase {
  file: string;
  method: string;
  handler: Handler;
  meta: RouteMeta | undefined;
}

function routeFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...routeFiles(full));
    else if (/^route\.(ts|tsx|js)$/.test(entry.name)) out.push(path.relative(ROOT, full));
  }
  return out.sort();
}

async function loadCases(): Promise<RouteCase[]> {
  const cases: RouteCase[] = [];
  for (const file of routeFiles(path.join(ROOT, 'app/api'))) {
    const mod = (await import(/* @vite-ignore */ path.join(ROOT, file))) as Record<string, unknown>;
    for (const method of METHODS) {
      const handler = mod[method];
      if (typeof handler === 'function') cases.push({ file, method, handler: handler as Handler, meta: routeMetaOf(handler) });
    }
  }
  return cases;
}

function fakeParams(file: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const m of file.matchAll(/\[(?:\.\.\.)?([A-Za-z0-9_]+)\]/g)) params[m[1]!] = '1';
  return params;
}

function req(c: RouteCase, auth: CallOptions['auth']) {
  return call(c.handler, `/${path.dirname(c.file).replace(/^app\//, '')}`, {
    method: c.method,
    auth,
    params: fakeParams(c.file),
    ...(UNSAFE.has(c.method) ? { body: {} } : {}),
  });
}

const cases = await loadCases();
const protectedCases = cases.filter((c) => !PUBLIC[c.file]?.includes(c.method));

describeEachDb('access to every API route', ({ handle }) => {
  const db = () => handle().db;

  it('finds the routes, and only the public ones skip authentication', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
    expect(cases.map((c) => `${c.method} ${c.file}`)).toEqual(expect.arrayContaining(['GET app/api/v1/gate/route.ts', 'POST app/api/v1/changes/[id]/approvals/route.ts']));
    for (const c of cases) {
      expect(c.meta, `${c.method} ${c.file} must go through apiRoute()`).toBeDefined();
      const isPublic = !!PUBLIC[c.file]?.includes(c.method);
      expect(c.meta!.auth === 'none', `${c.method} ${c.file}: auth 'none' is only for ${Object.keys(PUBLIC).join(', ')}`).toBe(isPublic);
    }
  });

  it('declares a scope or roles on every write', () => {
    for (const c of protectedCases.filter((x) => UNSAFE.has(x.method))) {
      if (ANY_SIGNED_IN_WRITES.has(`${c.file} ${c.method}`)) continue;
      expect(c.meta!.scope || c.meta!.roles?.length, `${c.method} ${c.file} changes state: declare the scope (and roles) it needs`).toBeTruthy();
    }
  });

  it('refuses every protected route without credentials, or with a bad or revoked token (401)', async () => {
    const created = await createApiToken(db(), { personHandle: 'admin', scopes: [...scopesForRole('admin')], createdBy: null });
    const [admin] = await db().select().from(people).where(eq(people.handle, 'admin'));
    await revokeApiToken(db(), created.id, admin!);
    const revoked = { token: created.token };
    for (const c of protectedCases) {
      for (const auth of [null, { token: 'cs_not-a-real-token' }, revoked, { cookie: 'not-a-session' }]) {
        const res = await req(c, auth);
        expect(res.status, `${c.method} ${c.file} with ${JSON.stringify(auth)}`).toBe(401);
        expect(res.json.error.code).toBe('unauthorized');
      }
    }
  });

  it('refuses a token without the route’s scope (403 insufficient_scope)', async () => {
    const adminScopes = scopesForRole('admin');
    let checked = 0;
    for (const c of protectedCases.filter((x) => x.meta!.scope)) {
      const other = adminScopes.find((s) => s !== c.meta!.scope) as TokenScope;
      const res = await req(c, await tokenFor(db(), 'admin', [other]));
      expect([res.status, res.json.error.code], `${c.method} ${c.file} with a ${other} token`).toEqual([403, 'insufficient_scope']);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });

  it('refuses a person of the wrong role (403), by session and by token', async () => {
    let checked = 0;
    for (const c of protectedCases.filter((x) => x.meta!.roles?.length)) {
      const roles = c.meta!.roles!;
      const outsiders = ROLES.filter((r) => !roles.includes(r));
      // Prefer someone whose scopes would pass: then only the role refuses them.
      const wrong = outsiders.find((r) => !c.meta!.scope || scopesForRole(r).includes(c.meta!.scope)) ?? outsiders[0]!;
      const session = await sessionFor(db(), PERSON_OF[wrong]);
      const bySession = await req(c, session);
      expect(bySession.status, `${c.method} ${c.file} as a ${wrong}`).toBe(403);
      const expected = !c.meta!.scope || scopesForRole(wrong).includes(c.meta!.scope) ? 'forbidden_role' : 'insufficient_scope';
      expect(bySession.json.error.code).toBe(expected);
      if (c.meta!.scope && scopesForRole(wrong).includes(c.meta!.scope)) {
        const byToken = await req(c, await tokenFor(db(), PERSON_OF[wrong], [c.meta!.scope]));
        expect([byToken.status, byToken.json.error.code], `${c.method} ${c.file} with a ${wrong}'s token`).toEqual([403, 'forbidden_role']);
      }
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(5);
  });

  it('refuses a cookie-authenticated write without the CSRF token, even from the right person (403 csrf_failed)', async () => {
    let checked = 0;
    for (const c of protectedCases.filter((x) => UNSAFE.has(x.method))) {
      const role = ROLES.find((r) => (!c.meta!.roles || c.meta!.roles.includes(r)) && (!c.meta!.scope || scopesForRole(r).includes(c.meta!.scope)));
      expect(role, `${c.method} ${c.file}: no role can call it at all`).toBeDefined();
      const s = await sessionFor(db(), PERSON_OF[role!]);
      const without = await req(c, { cookie: s.cookie });
      expect([without.status, without.json.error.code], `${c.method} ${c.file} as ${role} without CSRF`).toEqual([403, 'csrf_failed']);
      const wrong = await req(c, { cookie: s.cookie, csrf: 'x'.repeat(s.csrf.length) });
      expect(wrong.json?.error?.code, `${c.method} ${c.file} with a wrong CSRF token`).toBe('csrf_failed');
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });
});
