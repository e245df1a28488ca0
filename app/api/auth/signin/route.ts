import { and, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { people } from '@/db/schema';
import { apiRoute } from '@/lib/api/route';
import { appendAudit } from '@/lib/audit/chain';
import { verifyPassword } from '@/lib/auth/password';
import { createSession, SESSION_COOKIE } from '@/lib/auth/session';
import { AppError, forbidden } from '@/lib/errors';

export const dynamic = 'force-dynamic';

const SignIn = z.object({
  email: z.string().trim().min(1, 'Enter your email').max(320),
  password: z.string().min(1, 'Enter your password').max(1024),
});

export const POST = apiRoute({ auth: 'none', body: SignIn, maxBodyBytes: 8 * 1024 }, async ({ req, body, db }) => {
  // JSON-only plus an Origin check: a cross-site form cannot sign someone in.
  const origin = req.headers.get('origin');
  if (origin && new URL(origin).host !== new URL(req.url).host && origin !== `http://${req.headers.get('host')}`) {
    throw forbidden('csrf_failed', 'Sign-in must come from this site.');
  }
  const [person] = await db
    .select()
    .from(people)
    .where(and(sql`lower(${people.email}) = lower(${body.email})`, isNull(people.deactivatedAt)))
    .limit(1);
  const ok = await verifyPassword(body.password, person?.passwordHash);
  if (!person || !ok || person.isBot) {
    throw new AppError(401, 'invalid_credentials', 'Wrong email or password.');
  }
  const ip = req.headers.get('x-forwarded-for')?.split(',')[0]?.trim() ?? null;
  // The session and its audit event exist together or not at all.
  const session = await db.transaction(async (tx) => {
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

