import { apiRoute } from '@/lib/api/route';
import { revokeApiToken } from '@/lib/auth/tokens';
import { notFound } from '@/lib/errors';

export const dynamic = 'force-dynamic';

/** A person revokes one of their own tokens (anyone else's is "not found"): the next request with it gets 401. */
export const DELETE = apiRoute<undefined, undefined, { id: string }>({}, async ({ db, params, actor }) => {
  if (!/^\d{1,9}$/.test(params.id ?? '')) throw notFound('Active token');
  await revokeApiToken(db, Number(params.id), actor.person, { ownerId: actor.person.id });
  return { id: Number(params.id), revoked: true };
});
