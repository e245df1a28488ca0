// Re-weighing every open change under a new policy: the stored required and valid approvals
// and the status (what the queue and the reports read) follow the policy in the caller's
// transaction. Set-based: the open changes are locked in id order (as every other sign-off
// writer locks them), their inputs loaded in a few queries per batch, the pure rules
// evaluated, and only the rows that moved are written, in one statement per batch.
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { anyIntArray, type Tx } from '@/db/client';
import { approvals, changeCoauthors, changes, people } from '@/db/schema';
import type { ApprovalPolicy } from '@/lib/policy/approvals';
import { computeSignOff, statusFor, type DecisionRow, type SignOffChange } from './state';

/** Statuses whose stored sign-off can still move (deployed and rolled back are final). */
export const REWEIGHABLE_STATUSES = ['pending', 'approved', 'rejected'] as const;
const BATCH = 2000;

export interface ReweighedChange {
  id: number;
  externalId: string;
  required: [number, number];
  valid: [number, number];
  status: [string, string];
}

const isOpen = inArray(changes.status, [...REWEIGHABLE_STATUSES]);

/**
 * Locks the open changes (in id order, as every sign-off writer locks them) and returns their ids.
 * NO KEY UPDATE: the key-share locks of rows being inserted that point at a change (gate
 * decisions, audit events) do not hold it up. With `skipLocked`, rows someone else holds are
 * left out, and `skipped` counts them.
 */
export async function lockOpenChanges(tx: Tx, opts: { skipLocked?: boolean; exclude?: ReadonlySet<number> } = {}): Promise<{ ids: number[]; skipped: number }> {
  const exclude = opts.exclude ?? new Set<number>();
  if (!opts.skipLocked) {
    const rows = await tx.select({ id: changes.id }).from(changes).where(isOpen).orderBy(changes.id).for('no key update');
    return { ids: rows.map((r) => r.id).filter((id) => !exclude.has(id)), skipped: 0 };
  }
  const [all, locked] = await Promise.all([
    tx.select({ id: changes.id }).from(changes).where(isOpen),
    tx.select({ id: changes.id }).from(changes).where(isOpen).orderBy(changes.id).for('no key update', { skipLocked: true }),
  ]);
  const got = new Set(locked.map((r) => r.id));
  return { ids: [...got].filter((id) => !exclude.has(id)), skipped: all.filter((r) => !got.has(r.id) && !exclude.has(r.id)).length };
}

/** Recomputes the stored sign-off of these (locked) changes under `policy`; returns those that moved. */
export async function reweighChanges(tx: Tx, changeIds: readonly number[], policy: ApprovalPolicy): Promise<ReweighedChange[]> {
  const out: ReweighedChange[] = [];
  const sorted = [...changeIds].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i += BATCH) {
    const ids = sorted.slice(i, i + BATCH);
    const batch = await tx
      .select({
        id: changes.id,
        externalId: changes.externalId,
        authorId: changes.authorId,
        status: changes.status,
        environment: changes.environment,
        currentRevisionId: changes.currentRevisionId,
        topTier: changes.topTier,
        riskLevel: changes.riskLevel,
        destructive: changes.destructive,
        aiLevel: changes.aiLevel,
        preDeployValidation: changes.preDeployValidation,
        submitterId: changes.submitterId,
        unmapped: changes.unmapped,
        ingestError: changes.ingestError,
        nearestTier1Depth: changes.nearestTier1Depth,
        requiredApprovals: changes.requiredApprovals,
        validApprovals: changes.validApprovals,
      })
      .from(changes)
      .where(and(sql`${changes.id} = ${anyIntArray(ids)}`, isOpen));
    const authorIds = [...new Set(batch.map((c) => c.authorId))];
    const [authors, coauthors, decisions] = await Promise.all([
      tx.select({ id: people.id, isBot: people.isBot }).from(people).where(sql`${people.id} = ${anyIntArray(authorIds)}`),
      tx.select({ changeId: changeCoauthors.changeId, personId: changeCoauthors.personId }).from(changeCoauthors).where(sql`${changeCoauthors.changeId} = ${anyIntArray(ids)}`),
      // Only standing decisions on the current revision count or block.
      tx
        .select({
          changeId: approvals.changeId,
          a: { id: approvals.id, personId: approvals.personId, decision: approvals.decision, comment: approvals.comment, revisionId: approvals.revisionId, createdAt: approvals.createdAt, withdrawnAt: approvals.withdrawnAt, via: approvals.via },
          p: { handle: people.handle, name: people.name, level: people.level, role: people.role, isBot: people.isBot, deactivatedAt: people.deactivatedAt },
        })
        .from(approvals)
        .innerJoin(people, eq(people.id, approvals.personId))
        .innerJoin(changes, and(eq(changes.id, approvals.changeId), eq(changes.currentRevisionId, approvals.revisionId)))
        .where(and(sql`${approvals.changeId} = ${anyIntArray(ids)}`, isNull(approvals.withdrawnAt))),
    ]);
    const botOf = new Map(authors.map((a) => [a.id, a.isBot]));
    const coauthorsOf = new Map<number, number[]>();
    for (const c of coauthors) coauthorsOf.set(c.changeId, [...(coauthorsOf.get(c.changeId) ?? []), c.personId]);
    const rowsOf = new Map<number, DecisionRow[]>();
    for (const d of decisions) rowsOf.set(d.changeId, [...(rowsOf.get(d.changeId) ?? []), { a: d.a, p: d.p }]);

    const moved: ReweighedChange[] = [];
    for (const c of batch) {
      const depth = c.nearestTier1Depth;
      const change: SignOffChange = {
        ...c,
        // The rules read only the nearest Tier-1 dependent (as the gate does).
        blastRadius: { services: depth === null ? [] : [{ slug: '', tier: 1, depth, path: [] }], total: 0, tier1: depth === null ? 0 : 1 },
      };
      const signOff = computeSignOff(change, {
        policy,
        authorIsBot: botOf.get(c.authorId) ?? false,
        coauthorIds: coauthorsOf.get(c.id) ?? [],
        rows: rowsOf.get(c.id) ?? [],
        breakGlassActive: false,
      });
      const status = statusFor(change, signOff);
      const required = signOff.requirement.required;
      const valid = signOff.state.valid;
      if (required !== c.requiredApprovals || valid !== c.validApprovals || status !== c.status) {
        moved.push({ id: c.id, externalId: c.externalId, required: [c.requiredApprovals, required], valid: [c.validApprovals, valid], status: [c.status, status] });
      }
    }
    if (moved.length) {
      const list = (xs: (string | number)[]) => `{${xs.join(',')}}`;
      await tx.execute(sql`
        update ${changes} set required_approvals = u.required, valid_approvals = u.valid, status = u.status, updated_at = now()
        from (select unnest(${list(moved.map((m) => m.id))}::int[]) as id, unnest(${list(moved.map((m) => m.required[1]))}::int[]) as required,
                     unnest(${list(moved.map((m) => m.valid[1]))}::int[]) as valid, unnest(${list(moved.map((m) => m.status[1]))}::text[]) as status) u
        where ${changes.id} = u.id`);
      out.push(...moved);
    }
  }
  return out;
}
