// The benchmark's floor: the cheapest route this app can serve, through the same framework path
// and the same wrapper (apiRoute) as every API route, so the gate's latency can be read as a ratio
// to it. `?db=1` adds one `SELECT 1` round trip through the app's own database driver and pool.
import { sql } from 'drizzle-orm';
import { apiRoute } from '@/lib/api/route';

export const dynamic = 'force-dynamic';

const PONG = { ok: true } as const;

export const GET = apiRoute({ auth: 'none' }, async ({ req, db }) => {
  if (new URL(req.url).searchParams.get('db') !== '1') return PONG;
  await db.execute(sql`select 1`);
  return { ok: true, db: true };
});
