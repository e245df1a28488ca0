import { apiRoute } from '@/lib/api/route';
import { requestOrSetPassword } from '@/lib/admin/confirmations';
import { PasswordSet } from '@/lib/admin/people';
import { readCookie } from '@/lib/auth/actor';
import { SESSION_COOKIE, sessionIdOf } from '@/lib/auth/session';

export const dynamic = 'force-dynamic';

/**
 * An administrator sets a person's password — `{password}` (at least 12 characters) or
 * `{generate: true}`, answered once as `password` — and signs them out everywhere. An
 * administrator setting their own keeps the session they are using. For someone else who signs
 * off or administers, the answer is 202 with a request a second administrator must confirm.
 */
export const POST = apiRoute<PasswordSet, undefined, { handle: string }>(
  { scope: 'admin', roles: ['admin'], body: PasswordSet, maxBodyBytes: 8 * 1024 },
  async ({ req, db, params, body, actor }) => {
    const cookie = actor.via === 'session' ? readCookie(req.headers.get('cookie'), SESSION_COOKIE) : null;
    const result = await requestOrSetPassword(db, params.handle, body, actor.person, {
      actorLabel: actor.label,
      keepSession: cookie ? { personId: actor.person.id, sessionId: await sessionIdOf(db, cookie) } : null,
    });
    // Someone else who signs off or administers: the password waits for a second administrator.
    if ('pending' in result) return Response.json({ pending: result.pending }, { status: 202, headers: { 'cache-control': 'no-store' } });
    return Response.json(
      {
        handle: result.person.handle,
        name: result.person.name,
        sessionsEnded: result.sessionsEnded,
        ...(result.generatedPassword ? { password: result.generatedPassword } : {}),
      },
      { headers: { 'cache-control': 'no-store' } },
    );
  },
);
