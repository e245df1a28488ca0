// Routes under /api/v1/changes/[id] take the numeric id or the external id (URL-encoded).
import type { Queryable } from '@/db/client';
import { resolveChangeRef } from '@/lib/changes/ref';
import { notFound } from '@/lib/errors';

export async function resolveChangeId(q: Queryable, param: string | undefined): Promise<number> {
  const change = await resolveChangeRef(q, param ?? '');
  if (!change) throw notFound(`Change ${(param ?? '').slice(0, 200)}`);
  return change.id;
}
