// Recent policy changes, from the audit trail (the `policy.updated` events): who, when, what.
import { desc, eq } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { auditEvents } from '@/db/schema';
import type { PolicyDiffEntry } from './fields';

export interface PolicyChange {
  id: number;
  occurredAt: string;
  actor: string;
  fields: PolicyDiffEntry[];
  /** Open changes whose stored sign-off moved. */
  reweighed: number;
}

export async function listPolicyChanges(q: Queryable, limit = 20): Promise<PolicyChange[]> {
  const rows = await q
    .select({ id: auditEvents.id, occurredAt: auditEvents.occurredAt, actor: auditEvents.actor, payload: auditEvents.payload })
    .from(auditEvents)
    .where(eq(auditEvents.action, 'policy.updated'))
    .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
    .limit(limit);
  return rows.map((r) => {
    const p = r.payload ?? {};
    const fields = Array.isArray(p.fields) ? (p.fields as PolicyDiffEntry[]).filter((f) => f && typeof f.path === 'string') : [];
    const reweighed = (p.reweighed as { count?: unknown } | undefined)?.count;
    return { id: r.id, occurredAt: r.occurredAt.toISOString(), actor: r.actor, fields, reweighed: typeof reweighed === 'number' ? reweighed : 0 };
  });
}
