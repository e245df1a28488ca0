import { listServices } from '@/db/queries/org';
import { apiRoute } from '@/lib/api/route';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({}, async ({ db }) => {
  const items = await listServices(db);
  return { items: items.map(({ id: _id, ...s }) => s), nextCursor: null };
});
