import { apiRoute } from '@/lib/api/route';
import { revokeApiToken } from '@/lib/auth/tokens';
import { notFound } from '@/lib/errors';

export const dynamic = 'force-dynamic';

/** Revokes a token at once: the next request that carries it gets 401. */
export const DELETE = apiRoute<undefined, undefined, { id: string }>({ scope: 'admin', roles: ['admin'] }, async ({ db, params, actor }) => {
  if (!/^\d{1,9}$/.test(params.id ?? '')) throw notFound('Active token');
  await revokeApiToken(db, Number(params.id), actor.person);
  return { id: Number(params.id), revoked: true };
});
