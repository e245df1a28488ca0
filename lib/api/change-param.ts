// Routes under /api/v1/changes/[id] take the numeric id or the external id (URL-encoded).
import type { Queryable } from '@/db/client';
import { findChangeRef } from '@/lib/deployments/record';
import { notFound } from '@/lib/errors';

export async function resolveChangeId(q: Queryable, param: string | undefined): Promise<number> {
  const ref = safeDecode(param ?? '').trim();
  if (!ref || ref.length > 200) throw notFound('Change');
  const change = await findChangeRef(q, ref);
  if (!change) throw notFound(`Change ${ref}`);
  return change.id;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
