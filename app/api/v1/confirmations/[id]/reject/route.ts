import { apiRoute } from '@/lib/api/route';
import { decideConfirmation } from '@/lib/admin/confirmations';
import { notFound } from '@/lib/errors';

export const dynamic = 'force-dynamic';

/** A second, different administrator rejects a pending request (the requester gets 403 same_administrator). */
export const POST = apiRoute<undefined, undefined, { id: string }>({ scope: 'admin', roles: ['admin'] }, async ({ db, params, actor }) => {
  const id = Number(params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound(`Confirmation request ${params.id}`);
  return decideConfirmation(db, id, 'reject', actor.person, actor.label);
});
