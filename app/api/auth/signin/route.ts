import { and, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { people } from '@/db/schema';
import { apiRoute } from '@/lib/api/route';
import { appendAudit } from '@/lib/audit/chain';
import { verifyPassword } from '@/lib/auth/password';
import { createSession, SESSION_COOKIE } from '@/lib/auth/session';
import { clearAccount, currentLock, recordFailure, type Lock } from '@/lib/auth/throttle';
import { AppError, forbidden } from '@/lib/errors';
import { clientAddress } from '@/lib/http/client-address';

export const dynamic = 'force-dynamic';

const SignIn = z.object({
  email: z.string().trim().min(1, 'Enter your email').max(320),
  password: z.string().min(1, 'Enter your password').max(1024),
});

/** Same-site check on Origin; an absent Origin (non-browser clients) is allowed, `null` or garbage is not. */
function originAllowed(req: Request): boolean {
  const origin = req.headers.get('origin');
  if (origin === null) return true;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  return host === new URL(req.url).host || host === req.headers.get('host');
}

function throttled(lock: Lock): Response {
  const message = `Too many failed sign-ins ${lock.scope === 'account' ? 'for this account' : 'from your address'}: try again in ${lock.retryAfter} s.`;
  return Response.json(
    { error: { code: 'too_many_attempts', message, details: { retryAfter: lock.retryAfter, scope: lock.scope } } },
    { status: 429, headers: { 'retry-after': String(lock.retryAfter), 'cache-control': 'no-store' } },
  );
}

export const POST = apiRoute({ auth: 'none', body: SignIn, maxBodyBytes: 8 * 1024 }, async ({ req, body, db }) => {
  // JSON-only plus an Origin check: a cross-site form cannot sign someone in.
  if (!originAllowed(req)) throw forbidden('bad_origin', 'Sign-in must come from this site.');
  const ip = clientAddress(req.headers);
  const email = body.email.toLowerCase();
  const audit = (action: string, payload: Record<string, unknown>) =>
    db.transaction((tx) => appendAudit(tx, { actorId: null, actor: 'anonymous', action, subjectType: 'person', subjectId: email.slice(0, 320), payload: { ip, ...payload } }));

  // A locked account or address is not even checked: the answer says when to come back.
  const lock = await currentLock(db, email, ip);
  if (lock) {
    await audit('auth.sign_in_throttled', { scope: lock.scope, retryAfter: lock.retryAfter });
    return throttled(lock);
  }
  const [person] = await db
    .select()
    .from(people)
    .where(and(sql`lower(${people.email}) = lower(${body.email})`, isNull(people.deactivatedAt)))
    .limit(1);
  const ok = await verifyPassword(body.password, person?.passwordHash);
  if (!person || !ok || person.isBot) {
    const started = await recordFailure(db, email, ip);
    await audit('auth.sign_in_failed', { known: Boolean(person), ...(started ? { lockedFor: started.retryAfter, scope: started.scope } : {}) });
    throw new AppError(401, 'invalid_credentials', 'Wrong email or password.');
  }
  // The session and its audit event exist together or not at all.
  const session = await db.transaction(async (tx) => {
    await clearAccount(tx, email);
    const created = await createSession(tx, person.id, { userAgent: req.headers.get('user-agent'), ip });
    await appendAudit(tx, { actorId: person.id, actor: person.handle, action: 'auth.signed_in', subjectType: 'person', subjectId: person.handle, payload: { ip } });
    return created;
  });
  const res = Response.json({ ok: true, person: { handle: person.handle, name: person.name, role: person.role } });
  const secure = new URL(req.url).protocol === 'https:' ? '; Secure' : '';
  res.headers.append(
    'set-cookie',
    `${SESSION_COOKIE}=${session.cookieValue}; Path=/; HttpOnly; SameSite=Lax; Expires=${session.expiresAt.toUTCString()}${secure}`,
  );
  return res;
});
