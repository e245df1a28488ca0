import { sql } from 'drizzle-orm';
import { getDbHandle } from '@/db';
import { apiRoute } from '@/lib/api/route';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({ auth: 'none' }, async () => {
  const h = await getDbHandle();
  await h.db.execute(sql`select 1`);
  return { ok: true, db: h.driver };
});
