import { listPeople } from '@/db/queries/org';
import { apiRoute } from '@/lib/api/route';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({}, async ({ db }) => {
  const items = await listPeople(db);
  return { items: items.map(({ id: _id, ...p }) => p), nextCursor: null };
});
