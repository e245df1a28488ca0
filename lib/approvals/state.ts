// Where a change stands on sign-off: what it requires, which decisions count on its
// current revision, and what the deploy gate would answer now.
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Queryable, Tx } from '@/db/client';
import { approvals, breakGlass, changeCoauthors, changes, people, type Approval, type Change } from '@/db/schema';
import type { AiLevel, Decision, RiskLevel, Role, Tier } from '@/db/schema/enums';
import { getPolicy } from '@/lib/policy';
import { lockPolicyShared } from '@/lib/policy/lock';
import {
  checkApprover,
  evaluateGate,
  isProduction,
  requiredApprovals,
  tallyApprovals,
  type ApprovalPolicy,
  type ApprovalState,
  type ApproverRefusal,
  type GateAnswer,
  type Requirement,
} from '@/lib/policy/approvals';

export interface DecisionView {
  id: number;
  personId: number;
  handle: string;
  name: string;
  level: number | null;
  role: Role;
  decision: Decision;
  comment: string;
  revisionId: number;
  createdAt: Date;
  withdrawnAt: Date | null;
  via: string;
  /** Why it does not count, when it does not. */
  invalidReason: ApproverRefusal | 'superseded' | 'withdrawn' | null;
}

export interface ChangeSignOff {
  requirement: Requirement;
  state: ApprovalState;
  decisions: DecisionView[];
  coauthorIds: number[];
  breakGlassActive: boolean;
  /** An override is open on an earlier revision (it no longer allows). */
  breakGlassSuperseded?: boolean;
  /** The environment the requirement was computed for (the change's own unless asked otherwise). */
  environment?: string;
  /** What it was computed from, so the gate can re-evaluate it for another environment. */
  inputs?: SignOffInputs;
}

/** What the sign-off rules read of a change (the gate loads only this, not the whole row). */
export type SignOffChange = Pick<
  Change,
  'id' | 'authorId' | 'submitterId' | 'status' | 'environment' | 'currentRevisionId' | 'topTier' | 'blastRadius' | 'riskLevel' | 'destructive' | 'aiLevel' | 'preDeployValidation' | 'unmapped' | 'ingestError'
>;

export function requirementOf(
  change: Pick<Change, 'environment' | 'topTier' | 'blastRadius' | 'riskLevel' | 'destructive' | 'aiLevel' | 'preDeployValidation'>,
  authorIsBot: boolean,
  policy: ApprovalPolicy,
): Requirement {
  const nearest = change.blastRadius.services.find((s) => s.tier === 1);
  return requiredApprovals(
    {
      environment: change.environment,
      topTier: change.topTier as Tier,
      nearestTier1Depth: nearest ? nearest.depth : null,
      riskLevel: change.riskLevel as RiskLevel,
      destructive: change.destructive,
      aiLevel: change.aiLevel as AiLevel,
      authorIsBot,
      preDeployValidation: change.preDeployValidation,
    },
    policy,
  );
}

/** One decision as stored, with the person who made it (as they are now). */
export interface DecisionRow {
  a: Pick<Approval, 'id' | 'personId' | 'decision' | 'comment' | 'revisionId' | 'createdAt' | 'withdrawnAt' | 'via'>;
  p: { handle: string; name: string; level: number | null; role: string; isBot: boolean; deactivatedAt: Date | null };
}

/** Everything the sign-off rules read besides the change itself; loaded once, evaluated purely. */
export interface SignOffInputs {
  policy: ApprovalPolicy;
  authorIsBot: boolean;
  coauthorIds: number[];
  rows: DecisionRow[];
  /** An open, unexpired override on the current revision. */
  breakGlassActive: boolean;
  /** An open, unexpired override on an earlier revision: bound to its revision, it no longer allows. */
  breakGlassSuperseded?: boolean;
}

export async function loadSignOffInputs(q: Queryable, change: Pick<Change, 'id' | 'authorId' | 'currentRevisionId'>, now = new Date()): Promise<SignOffInputs> {
  const [policy, authorRows, coauthors, rows, glass] = await Promise.all([
    getPolicy(q),
    q.select({ isBot: people.isBot }).from(people).where(eq(people.id, change.authorId)).limit(1),
    q.select({ personId: changeCoauthors.personId }).from(changeCoauthors).where(eq(changeCoauthors.changeId, change.id)),
    q
      .select({ a: approvals, p: { handle: people.handle, name: people.name, level: people.level, role: people.role, isBot: people.isBot, deactivatedAt: people.deactivatedAt } })
      .from(approvals)
      .innerJoin(people, eq(people.id, approvals.personId))
      .where(eq(approvals.changeId, change.id))
      .orderBy(approvals.createdAt, approvals.id),
    q
      .select({ id: breakGlass.id, revisionId: breakGlass.revisionId })
      .from(breakGlass)
      .where(and(eq(breakGlass.changeId, change.id), isNull(breakGlass.closedAt), gt(breakGlass.expiresAt, now))),
  ]);
  // An override is bound to the revision it was opened on (issue 10): a new revision is not covered.
  const breakGlassActive = glass.some((g) => g.revisionId !== null && g.revisionId === change.currentRevisionId);
  return {
    policy: policy.approvals,
    authorIsBot: authorRows[0]?.isBot ?? false,
    coauthorIds: coauthors.map((c) => c.personId),
    rows,
    breakGlassActive,
    breakGlassSuperseded: !breakGlassActive && glass.length > 0,
  };
}

export async function loadSignOff(q: Queryable, change: Change, now = new Date()): Promise<ChangeSignOff> {
  return computeSignOff(change, await loadSignOffInputs(q, change, now));
}

/**
 * The sign-off of a change as the rules see it, for a target environment (by default the
 * change's own): what is required, which decisions count, and why the others do not.
 */
export function computeSignOff(change: SignOffChange, inputs: SignOffInputs, environment: string = change.environment): ChangeSignOff {
  const requirement = requirementOf({ ...change, environment }, inputs.authorIsBot, inputs.policy);
  const { coauthorIds } = inputs;
  const decisions: DecisionView[] = inputs.rows.map(({ a, p }) => {
    const refusal = checkApprover(
      { id: a.personId, isBot: p.isBot, level: p.level, role: p.role as Role, deactivated: !!p.deactivatedAt },
      { authorId: change.authorId, submitterId: change.submitterId, coauthorIds },
      requirement,
      inputs.policy,
    );
    const invalidReason = a.withdrawnAt ? 'withdrawn' : a.revisionId !== change.currentRevisionId ? 'superseded' : a.decision === 'approve' ? refusal : null;
    return {
      id: a.id,
      personId: a.personId,
      handle: p.handle,
      name: p.name,
      level: p.level,
      role: p.role as Role,
      decision: a.decision as Decision,
      comment: a.comment,
      revisionId: a.revisionId,
      createdAt: a.createdAt,
      withdrawnAt: a.withdrawnAt,
      via: a.via,
      invalidReason,
    };
  });
  const state = tallyApprovals(
    decisions.map((d) => ({ personId: d.personId, decision: d.decision, revisionId: d.revisionId, withdrawn: !!d.withdrawnAt, eligible: d.invalidReason === null })),
    change.currentRevisionId,
    requirement.required,
  );
  return { requirement, state, decisions, coauthorIds, breakGlassActive: inputs.breakGlassActive, breakGlassSuperseded: inputs.breakGlassSuperseded ?? false, environment, inputs };
}

/**
 * What the deploy gate answers for a target environment. The requirement follows the
 * environment asked about, not the one the change declared: a change submitted for
 * staging needs production sign-off before it may go to production.
 */
export function gateFor(change: SignOffChange, signOff: ChangeSignOff, environment: string): GateAnswer {
  const policy = signOff.inputs?.policy;
  const sameKind = !signOff.environment || isProduction(signOff.environment, policy) === isProduction(environment, policy);
  let effective = signOff;
  if (!sameKind) {
    if (!signOff.inputs) {
      // Cannot re-evaluate for another environment: refuse rather than guess.
      return { allowed: false, reasons: ['approvals_missing'], approvals: { required: signOff.requirement.required, valid: signOff.state.valid } };
    }
    effective = computeSignOff(change, signOff.inputs, environment);
  }
  return evaluateGate(
    {
      status: change.status,
      environment: change.environment,
      requestedEnvironment: environment,
      currentRevisionId: change.currentRevisionId,
      requirement: effective.requirement,
      state: effective.state,
      preDeployValidation: change.preDeployValidation,
      breakGlassActive: effective.breakGlassActive,
      breakGlassSuperseded: effective.breakGlassSuperseded,
      unmapped: change.unmapped,
      ingestPending: change.ingestError !== null,
    },
    policy,
  );
}

/** The status a change should have given its sign-off (deployed and rolled back are final). */
export function statusFor(change: Pick<Change, 'status'>, signOff: ChangeSignOff): Change['status'] {
  if (change.status === 'deployed' || change.status === 'rolled_back') return change.status;
  if (signOff.state.rejects > 0) return 'rejected';
  if (signOff.requirement.required > 0 && signOff.state.valid >= signOff.requirement.required) return 'approved';
  return 'pending';
}

/** Recomputes and stores required/valid approvals and the status, in the caller's transaction. */
export async function refreshSignOff(tx: Tx, changeId: number): Promise<{ change: Change; signOff: ChangeSignOff }> {
  const [change] = await tx.select().from(changes).where(eq(changes.id, changeId)).limit(1);
  if (!change) throw new Error(`change ${changeId} vanished`);
  // Never store a sign-off computed under a policy that is being replaced (see lib/policy/lock.ts).
  await lockPolicyShared(tx);
  const signOff = await loadSignOff(tx, change);
  const status = statusFor(change, signOff);
  if (change.requiredApprovals !== signOff.requirement.required || change.validApprovals !== signOff.state.valid || change.status !== status) {
    await tx
      .update(changes)
      .set({ requiredApprovals: signOff.requirement.required, validApprovals: signOff.state.valid, status, updatedAt: new Date() })
      .where(eq(changes.id, changeId));
  }
  return { change: { ...change, requiredApprovals: signOff.requirement.required, validApprovals: signOff.state.valid, status }, signOff };
}
