// Changing the policy: an administrator's edit is validated whole, written to the `settings`
// row, every open change is re-weighed under it (stored required and valid approvals and
// status: what the queue and the reports read) and a `policy.updated` audit event records
// who changed what — all in one transaction. A refused edit changes nothing.
import { and, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import { queryRows, type Db, type Queryable, type Tx } from '@/db/client';
import { people, settings, type Person } from '@/db/schema';
import { lockOpenChanges, reweighChanges, type ReweighedChange } from '@/lib/approvals/refresh';
import { appendAudit, contentVersion } from '@/lib/audit/chain';
import { AppError, badRequest, conflict, pgErrorOf } from '@/lib/errors';
import { diffPolicy, type PolicyDiffEntry } from './fields';
import { getPolicy, POLICY_SETTING_KEY, type Policy } from './index';
import { lockPolicyExclusive } from './lock';
import { applyPolicyPatch, issuesOf, issueText, PolicyPatchSchema, validatePolicy, type PolicyIssue, type PolicyPatch } from './schema';

/** A short fingerprint of a policy's content: sent as ETag, checked against If-Match. */
export function policyVersion(p: Policy): string {
  return contentVersion(p);
}

/** At most this many re-weighed changes are listed in the audit event (all are counted). */
export const AUDITED_CHANGES_MAX = 200;

export interface PolicyUpdateResult {
  policy: Policy;
  version: string;
  changed: PolicyDiffEntry[];
  reweighed: ReweighedChange[];
  auditEventId: number | null;
}

function invalid(issues: PolicyIssue[]): AppError {
  const first = issues[0]!;
  return badRequest('invalid_policy', `Invalid policy: ${issueText(first)}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}.`, issues);
}

export function parsePolicyPatch(body: unknown): PolicyPatch {
  const parsed = PolicyPatchSchema.safeParse(body);
  if (!parsed.success) throw invalid(issuesOf(parsed.error));
  return parsed.data;
}

const SIGN_OFF_FIELDS = /^approvals\.(approvalsByTier|criticalApprovals|minLevelByTier|approverRoles)/;

/**
 * A policy nobody could satisfy is refused: for each count of approvals, enough active humans
 * of an approver role and the required level must exist to give them.
 */
async function checkSatisfiable(q: Queryable, p: Policy): Promise<PolicyIssue[]> {
  const a = p.approvals;
  const levels = [...new Set([a.minLevelByTier[1], a.minLevelByTier[2], a.minLevelByTier[3]])];
  const rows = await q
    .select({ level: people.level })
    .from(people)
    .where(and(eq(people.isBot, false), isNull(people.deactivatedAt), inArray(people.role, a.approverRoles), gte(people.level, Math.min(...levels))));
  const eligible = (min: number) => rows.filter((r) => (r.level ?? 0) >= min).length;
  const issues: PolicyIssue[] = [];
  const need = [
    { path: 'approvals.approvalsByTier.1', n: a.approvalsByTier[1], level: a.minLevelByTier[1], what: 'a Tier-1 change' },
    { path: 'approvals.approvalsByTier.2', n: a.approvalsByTier[2], level: a.minLevelByTier[2], what: 'a Tier-2 change' },
    { path: 'approvals.approvalsByTier.3', n: a.approvalsByTier[3], level: a.minLevelByTier[3], what: 'a Tier-3 change' },
    { path: 'approvals.criticalApprovals', n: a.criticalApprovals, level: a.minLevelByTier[1], what: 'a critical or destructive change' },
  ];
  for (const x of need) {
    const have = eligible(x.level);
    if (x.n > have) {
      issues.push({
        path: x.path,
        message: `${x.what} would need ${x.n} approvals but only ${have} active ${have === 1 ? 'person' : 'people'} (${a.approverRoles.join('/')}, L${x.level}+) could give them`,
      });
    }
  }
  return issues;
}

/** Checks an edit against the policy in force without writing anything (fails fast, before locks). */
export async function checkPolicyPatch(q: Queryable, patch: PolicyPatch): Promise<Policy> {
  const before = await getPolicy(q);
  const after = applyPolicyPatch(before, patch);
  const issues = validatePolicy(after);
  if (issues.length) throw invalid(issues);
  return after;
}

class Contended extends Error {}

export async function updatePolicy(
  db: Db,
  body: unknown,
  by: Pick<Person, 'id' | 'handle'>,
  opts: { actorLabel?: string; ifMatch?: string | null } = {},
): Promise<PolicyUpdateResult> {
  const patch = parsePolicyPatch(body);
  await checkPolicyPatch(db, patch);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction((tx) => applyInTransaction(tx, patch, by, opts));
    } catch (err) {
      // Skipped a change someone holds, or chosen as a deadlock victim by the database: start again.
      if (!(err instanceof Contended) && pgErrorOf(err)?.code !== '40P01') throw err;
      if (attempt >= 5) throw conflict('policy_busy', 'Changes were being signed off at that very moment; nothing was saved. Try again.');
    }
  }
}

async function applyInTransaction(tx: Tx, patch: PolicyPatch, by: Pick<Person, 'id' | 'handle'>, opts: { actorLabel?: string; ifMatch?: string | null }): Promise<PolicyUpdateResult> {
  // 1. Every open change, locked in id order (waiting for sign-offs in flight), then the policy
  //    itself: sign-off writers take the change lock first and the policy lock second, as we do.
  const first = await lockOpenChanges(tx);
  await lockPolicyExclusive(tx);
  const before = await getPolicy(tx);
  if (opts.ifMatch && opts.ifMatch !== '*' && opts.ifMatch !== policyVersion(before)) {
    throw conflict('policy_changed', 'Someone changed the policy since you loaded it; nothing was saved. Reload to see the policy in force.');
  }
  const after = applyPolicyPatch(before, patch);
  const issues = validatePolicy(after);
  const changed = diffPolicy(before, after);
  if (!issues.length && changed.some((c) => SIGN_OFF_FIELDS.test(c.path))) issues.push(...(await checkSatisfiable(tx, after)));
  if (issues.length) throw invalid(issues);
  if (!changed.length) return { policy: before, version: policyVersion(before), changed, reweighed: [], auditEventId: null };

  await tx
    .insert(settings)
    .values({ key: POLICY_SETTING_KEY, value: after, updatedById: by.id, updatedAt: new Date() })
    .onConflictDoUpdate({ target: settings.key, set: { value: after, updatedById: by.id, updatedAt: new Date() } });

  // 2. Changes that opened since step 1 (their sign-off was stored before we held the policy
  //    lock). One held by someone else could be waiting for our lock: never wait for it here —
  //    start again, and step 1 will wait for it instead.
  const late = await lockOpenChanges(tx, { skipLocked: true, exclude: new Set(first.ids) });
  if (late.skipped) throw new Contended();

  const reweighed = await reweighChanges(tx, [...first.ids, ...late.ids], after.approvals);
  await appendAudit(tx, {
    actorId: by.id,
    actor: opts.actorLabel ?? by.handle,
    action: 'policy.updated',
    subjectType: 'policy',
    subjectId: POLICY_SETTING_KEY,
    payload: {
      fields: changed,
      before,
      after,
      version: { from: policyVersion(before), to: policyVersion(after) },
      reweighed: { count: reweighed.length, changes: reweighed.slice(0, AUDITED_CHANGES_MAX) },
    },
  });
  const [event] = await queryRows<{ id: number }>(tx, sql`select currval(pg_get_serial_sequence('audit_events', 'id'))::int as id`);
  return { policy: after, version: policyVersion(after), changed, reweighed, auditEventId: event ? Number(event.id) : null };
}
