import { apiRoute } from '@/lib/api/route';
import { listConfirmations } from '@/lib/admin/confirmations';

export const dynamic = 'force-dynamic';

/** Requests waiting for (or decided by) a second administrator; `?status=pending` for the open ones. */
export const GET = apiRoute({ scope: 'admin', roles: ['admin'] }, async ({ db, req }) => {
  const status = new URL(req.url).searchParams.get('status') ?? undefined;
  return { items: await listConfirmations(db, status), nextCursor: null };
});
