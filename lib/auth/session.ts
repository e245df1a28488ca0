// Server-side sessions: the cookie holds a random secret, the database its keyed hash.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import type { Db, Queryable } from '@/db/client';
import { people, sessions, type Person } from '@/db/schema';
import { getServerSecret } from './secret';

export const SESSION_COOKIE = 'cs_session';
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = 'csrf';
/** Absolute lifetime of a session; an idle session ends sooner. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const SESSION_IDLE_MS = 2 * 60 * 60 * 1000;

async function keyOf(db: Queryable, cookieValue: string): Promise<string> {
  return createHmac('sha256', await getServerSecret(db)).update(cookieValue).digest('hex');
}

export interface NewSession {
  cookieValue: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(db: Queryable, personId: number, meta: { userAgent?: string | null; ip?: string | null }): Promise<NewSession> {
  const cookieValue = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await db.insert(sessions).values({
    id: await keyOf(db, cookieValue),
    personId,
    csrfToken,
    expiresAt,
    userAgent: meta.userAgent?.slice(0, 300) ?? null,
    ip: meta.ip ?? null,
  });
  return { cookieValue, csrfToken, expiresAt };
}

export interface SessionInfo {
  id: string;
  person: Person;
  csrfToken: string;
  expiresAt: Date;
}

export async function getSession(db: Db, cookieValue: string | undefined | null): Promise<SessionInfo | null> {
  if (!cookieValue || cookieValue.length > 200) return null;
  const id = await keyOf(db, cookieValue);
  const now = new Date();
  const [row] = await db
    .select({ session: sessions, person: people })
    .from(sessions)
    .innerJoin(people, eq(people.id, sessions.personId))
    .where(and(eq(sessions.id, id), gt(sessions.expiresAt, now)))
    .limit(1);
  if (!row || row.person.deactivatedAt) return null;
  if (now.getTime() - row.session.lastSeenAt.getTime() > SESSION_IDLE_MS) return null;
  // Touch at most once a minute: a session is read on every request.
  if (now.getTime() - row.session.lastSeenAt.getTime() > 60_000) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
  }
  return { id, person: row.person, csrfToken: row.session.csrfToken, expiresAt: row.session.expiresAt };
}

/** The stored id of the session a cookie carries (its keyed hash), e.g. to keep it while ending the others. */
export function sessionIdOf(db: Queryable, cookieValue: string): Promise<string> {
  return keyOf(db, cookieValue);
}

export async function deleteSession(db: Db, cookieValue: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, await keyOf(db, cookieValue)));
}

export async function purgeExpiredSessions(db: Db): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
}

export function csrfMatches(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
