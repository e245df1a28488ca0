// Calls route handlers the way Next.js does — a Request in, a Response out — against the
// test database, with a session cookie, a bearer token or nothing.
import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { people } from '@/db/schema';
import { createSession, SESSION_COOKIE } from '@/lib/auth/session';
import { createApiToken } from '@/lib/auth/tokens';

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

export interface CallOptions {
  method?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  params?: Record<string, string>;
  auth?: { token: string } | { cookie: string; csrf?: string } | null;
}

// Tests read whatever shape a route answers; `any` keeps assertions short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export async function call(handler: Handler, url: string, opts: CallOptions = {}): Promise<{ status: number; json: Json; text: string; headers: Headers }> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.auth && 'token' in opts.auth) headers.authorization = `Bearer ${opts.auth.token}`;
  if (opts.auth && 'cookie' in opts.auth) {
    headers.cookie = `${SESSION_COOKIE}=${opts.auth.cookie}`;
    if (opts.auth.csrf) headers['x-csrf-token'] = opts.auth.csrf;
  }
  let body: string | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const req = new Request(new URL(url, 'http://countersign.test'), { method: opts.method ?? (body !== undefined ? 'POST' : 'GET'), headers, body });
  const res = await handler(req, { params: Promise.resolve(opts.params ?? {}) });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, json, text, headers: res.headers };
}

/** A token as its owner would make it: an approve token only from their own session (as POST /api/v1/me/tokens does). */
export async function tokenFor(db: Db, handle: string, scopes: string[]): Promise<{ token: string }> {
  let createdBy: { id: number; handle: string } | null = null;
  if (scopes.includes('approve')) {
    const [p] = await db.select({ id: people.id, handle: people.handle }).from(people).where(eq(people.handle, handle)).limit(1);
    if (!p) throw new Error(`no person ${handle}`);
    createdBy = p;
  }
  const created = await createApiToken(db, { personHandle: handle, scopes, createdBy, via: createdBy ? 'session' : 'cli', name: `test ${scopes.join(',')}` });
  return { token: created.token };
}

export async function sessionFor(db: Db, handle: string): Promise<{ cookie: string; csrf: string }> {
  const [p] = await db.select().from(people).where(eq(people.handle, handle)).limit(1);
  if (!p) throw new Error(`no person ${handle}`);
  const s = await createSession(db, p.id, {});
  return { cookie: s.cookieValue, csrf: s.csrfToken };
}
