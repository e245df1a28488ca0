// The one way a reference to a change is read, by every route, page, job and CLI command:
// digits are always the change's own id; anything else is an external id. External ids made of
// digits are refused at submission (and by a constraint), so the two can never be confused.
import { eq, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { changes, type Change } from '@/db/schema';
import { parseChangeRef, type ChangeRef } from './ref-syntax';

export { isNumericRef, MAX_CHANGE_REF_LENGTH, parseChangeRef, type ChangeRef } from './ref-syntax';

/** The WHERE condition for a parsed reference. */
export function changeRefCondition(ref: ChangeRef): SQL {
  return 'id' in ref ? eq(changes.id, ref.id) : eq(changes.externalId, ref.externalId);
}

/**
 * The change a reference names. A URL-encoded external id (`acme%2Fcart%2342`) is also tried
 * decoded, as route parameters may arrive either way.
 */
export async function resolveChangeRef(q: Queryable, ref: string | number, opts: { forUpdate?: boolean } = {}): Promise<Change | null> {
  const raw = String(ref).trim();
  const candidates = [raw];
  try {
    const decoded = decodeURIComponent(raw).trim();
    if (decoded !== raw) candidates.push(decoded);
  } catch {
    /* not URL-encoded */
  }
  for (const c of candidates) {
    const parsed = parseChangeRef(c);
    if (!parsed) continue;
    const query = q.select().from(changes).where(changeRefCondition(parsed)).limit(1);
    const [row] = opts.forUpdate ? await query.for('update') : await query;
    if (row) return row;
  }
  return null;
}

/** For prepared statements (the gate): placeholders `refId` (−1 when not a number) and `refExternal`. */
export function changeRefPlaceholders(ref: string): { refId: number; refExternal: string } {
  const parsed = parseChangeRef(ref);
  if (!parsed) return { refId: -1, refExternal: '' };
  return 'id' in parsed ? { refId: parsed.id, refExternal: '' } : { refId: -1, refExternal: parsed.externalId };
}

export const CHANGE_REF_PREPARED_CONDITION = sql`(${changes.id} = ${sql.placeholder('refId')} or ${changes.externalId} = ${sql.placeholder('refExternal')})`;
