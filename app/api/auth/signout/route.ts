import { apiRoute } from '@/lib/api/route';
import { readCookie } from '@/lib/auth/actor';
import { deleteSession, SESSION_COOKIE } from '@/lib/auth/session';

export const dynamic = 'force-dynamic';

/** Needs the session and its CSRF token (checked by apiRoute for POST). */
export const POST = apiRoute({}, async ({ req, db, actor }) => {
  const value = readCookie(req.headers.get('cookie'), SESSION_COOKIE);
  if (actor.via === 'session' && value) await deleteSession(db, value);
  const res = Response.json({ ok: true });
  res.headers.append('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
  return res;
});
