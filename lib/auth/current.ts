// The signed-in person for server components and pages; redirects or 403s as needed.
import 'server-only';
import { cookies, headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { cache } from 'react';
import { getDb } from '@/db';
import type { Role } from '@/db/schema/enums';
import { signInUrlFor } from '@/lib/http/safe-next';
import { getSession, SESSION_COOKIE, type SessionInfo } from './session';

/** One lookup per request, however many components ask. */
export const getCurrentSession = cache(async (): Promise<SessionInfo | null> => {
  const store = await cookies();
  return getSession(await getDb(), store.get(SESSION_COOKIE)?.value);
});

/** Signed out: to /signin?next=<the page asked for> (the path proxy.ts recorded when none is given). */
export async function requireSession(nextPath?: string): Promise<SessionInfo> {
  const session = await getCurrentSession();
  if (!session) redirect(signInUrlFor(nextPath ?? (await headers()).get('x-countersign-path')));
  return session;
}

/** For pages only some roles may see: everyone else gets a 403 page. */
export async function requireRole(roles: readonly Role[], nextPath?: string): Promise<SessionInfo> {
  const session = await requireSession(nextPath);
  if (!roles.includes(session.person.role as Role)) forbidden();
  return session;
}
