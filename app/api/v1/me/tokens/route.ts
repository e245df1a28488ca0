import { z } from 'zod';
import { TOKEN_SCOPES } from '@/db/schema/enums';
import { apiRoute } from '@/lib/api/route';
import { createApiToken, listApiTokens } from '@/lib/auth/tokens';
import { forbidden } from '@/lib/errors';

export const dynamic = 'force-dynamic';

const CreateOwnToken = z.object({
  scopes: z.array(z.enum(TOKEN_SCOPES)).min(1, `scopes: at least one of ${TOKEN_SCOPES.join(', ')}`).max(TOKEN_SCOPES.length),
  name: z.string().trim().max(100).nullish(),
  expiresInDays: z.number().int().min(1).max(3650).nullish(),
});

/**
 * A person creates a token for themselves, from their own signed-in session (never with a token):
 * the only way an `approve` token comes to be. The secret is in this answer and nowhere else.
 */
export const POST = apiRoute({ body: CreateOwnToken, maxBodyBytes: 8 * 1024 }, async ({ db, body, actor }) => {
  if (actor.via !== 'session') throw forbidden('session_required', 'Create your own tokens signed in, from your page (Your tokens), not with another token.');
  const created = await createApiToken(db, {
    personHandle: actor.person.handle,
    scopes: body.scopes,
    name: body.name ?? undefined,
    expiresAt: body.expiresInDays ? new Date(Date.now() + body.expiresInDays * 86_400_000) : null,
    createdBy: actor.person,
    via: 'session',
  });
  return Response.json({ id: created.id, token: created.token, prefix: created.prefix, scopes: created.scopes, person: actor.person.handle }, { status: 201, headers: { 'cache-control': 'no-store' } });
});

/** The caller's own tokens, newest first (never a secret). */
export const GET = apiRoute({}, async ({ db, actor }) => ({ items: await listApiTokens(db, { personId: actor.person.id }), nextCursor: null }));
