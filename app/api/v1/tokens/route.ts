import { z } from 'zod';
import { TOKEN_SCOPES } from '@/db/schema/enums';
import { apiRoute } from '@/lib/api/route';
import { createApiToken, listApiTokens } from '@/lib/auth/tokens';

export const dynamic = 'force-dynamic';

const ADMIN = { scope: 'admin', roles: ['admin'] } as const;

const CreateToken = z.object({
  person: z.string().trim().min(1, 'person: whose token it is (a handle)').max(100),
  scopes: z.array(z.enum(TOKEN_SCOPES)).min(1, `scopes: at least one of ${TOKEN_SCOPES.join(', ')}`).max(TOKEN_SCOPES.length),
  name: z.string().trim().max(100).nullish(),
  expiresInDays: z.number().int().min(1).max(3650).nullish(),
  /** Repositories (owner/name) whose deployments the token may report (deployments:write). */
  repos: z.array(z.string().trim().min(3).max(200)).max(50).default([]),
});

/** Every API token (never a secret): owner, prefix, scopes, last use, revocation. */
export const GET = apiRoute(ADMIN, async ({ db }) => {
  const items = await listApiTokens(db);
  return { items, nextCursor: null };
});

/** Creates a token for a person or pipeline; the secret is in this answer and nowhere else, ever. */
export const POST = apiRoute({ ...ADMIN, body: CreateToken, maxBodyBytes: 8 * 1024 }, async ({ db, body, actor }) => {
  const created = await createApiToken(db, {
    personHandle: body.person,
    scopes: body.scopes,
    name: body.name ?? undefined,
    expiresAt: body.expiresInDays ? new Date(Date.now() + body.expiresInDays * 86_400_000) : null,
    repos: body.repos,
    createdBy: actor.person,
    via: actor.via,
  });
  return Response.json({ id: created.id, token: created.token, prefix: created.prefix, scopes: created.scopes, repos: created.repos, person: body.person }, { status: 201, headers: { 'cache-control': 'no-store' } });
});
