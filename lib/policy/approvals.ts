// The sign-off policy of DESIGN.md as pure functions: how many approvals a change needs,
// who may give them, and what the deploy gate answers. Used by the approval
// transaction, the gate, the pages and the CLI alike.
import { matchesProduction } from './production';
import type { AiLevel, Decision, RiskLevel, Role, Tier } from '@/db/schema/enums';

export interface ApprovalPolicy {
  approvalsByTier: Record<Tier, number>;
  /** Critical risk or a destructive operation: this many whatever the tier. */
  criticalApprovals: number;
  /** An AI agent as author: at least this many human approvals whatever the tier. */
  agentMinApprovals: number;
  /** Minimum level of an approver, by the most critical tier involved. */
  minLevelByTier: Record<Tier, number>;
  approverRoles: Role[];
  /** Tier-1 production changes must declare automated pre-deployment validation. */
  requirePreDeployForTier1: boolean;
  /** A Tier-1 service this close in the blast radius makes the change Tier-1 for sign-off. */
  tier1BlastDepth: number;
  breakGlassDefaultHours: number;
  breakGlassMaxHours: number;
  productionEnvironments: string[];
}

export const DEFAULT_APPROVAL_POLICY: ApprovalPolicy = {
  approvalsByTier: { 1: 2, 2: 1, 3: 0 },
  criticalApprovals: 2,
  agentMinApprovals: 1,
  minLevelByTier: { 1: 7, 2: 6, 3: 5 },
  approverRoles: ['senior', 'director', 'vp'],
  requirePreDeployForTier1: true,
  tier1BlastDepth: 1,
  breakGlassDefaultHours: 2,
  breakGlassMaxHours: 8,
  productionEnvironments: ['production', 'prod'],
};

export interface ChangeForPolicy {
  environment: string;
  /** Most critical tier among touched services. */
  topTier: Tier;
  /** Depth of the nearest Tier-1 dependent in the blast radius, or null. */
  nearestTier1Depth: number | null;
  riskLevel: RiskLevel;
  destructive: boolean;
  aiLevel: AiLevel;
  authorIsBot: boolean;
  preDeployValidation: boolean | null;
}

export interface Requirement {
  required: number;
  minLevel: number;
  /** The tier the sign-off rules treat the change as. */
  effectiveTier: Tier;
  /** Why this many, one sentence each. */
  because: string[];
}

/**
 * Production is any listed name or a qualified form of it (`prod-eu-west-1`, `production/us`):
 * an unlisted spelling of production must not slip past the gate as "not production".
 */
export function isProduction(environment: string, policy: ApprovalPolicy = DEFAULT_APPROVAL_POLICY): boolean {
  return matchesProduction(environment, policy.productionEnvironments);
}

export function requiredApprovals(c: ChangeForPolicy, policy: ApprovalPolicy = DEFAULT_APPROVAL_POLICY): Requirement {
  const because: string[] = [];
  let effectiveTier: Tier = c.topTier;
  if (effectiveTier !== 1 && c.nearestTier1Depth !== null && c.nearestTier1Depth <= policy.tier1BlastDepth) {
    effectiveTier = 1;
    because.push('A Tier-1 service depends directly on what it changes.');
  }
  if (!isProduction(c.environment, policy)) {
    const required = c.authorIsBot || c.aiLevel === 'agent' ? policy.agentMinApprovals : 0;
    if (required) because.push('Authored by an AI agent: a human must approve, whatever the environment.');
    return { required, minLevel: policy.minLevelByTier[effectiveTier], effectiveTier, because };
  }
  let required = policy.approvalsByTier[effectiveTier];
  because.push(`Tier-${effectiveTier} production change: ${required} approval${required === 1 ? '' : 's'}.`);
  let minLevel = policy.minLevelByTier[effectiveTier];
  if (c.riskLevel === 'critical' || c.destructive) {
    if (policy.criticalApprovals > required) {
      required = policy.criticalApprovals;
      because.push(`${c.destructive ? 'Destructive operation' : 'Critical risk'}: ${required} approvals whatever the tier.`);
    }
    minLevel = Math.max(minLevel, policy.minLevelByTier[1]);
  }
  if ((c.authorIsBot || c.aiLevel === 'agent') && required < policy.agentMinApprovals) {
    required = policy.agentMinApprovals;
    because.push('Authored by an AI agent: at least one human approval.');
  }
  return { required, minLevel, effectiveTier, because };
}

export type ApproverRefusal = 'bot_cannot_approve' | 'author_cannot_approve' | 'submitter_cannot_approve' | 'level_too_low' | 'not_an_approver';

/** The refusals the database's approvals_guard trigger raises too (db/migrations/0006): one list for both. */
export const GUARDED_REFUSALS = ['bot_cannot_approve', 'author_cannot_approve', 'submitter_cannot_approve'] as const satisfies readonly ApproverRefusal[];

export interface Approver {
  id: number;
  isBot: boolean;
  level: number | null;
  role: Role;
  deactivated: boolean;
}

/** Why this person may not sign off this change, or null when they may. */
export function checkApprover(
  p: Approver,
  change: { authorId: number; submitterId?: number | null; coauthorIds: readonly number[] },
  requirement: Pick<Requirement, 'minLevel'>,
  policy: ApprovalPolicy = DEFAULT_APPROVAL_POLICY,
): ApproverRefusal | null {
  if (p.isBot) return 'bot_cannot_approve';
  if (p.id === change.authorId || change.coauthorIds.includes(p.id)) return 'author_cannot_approve';
  // Whoever submitted it (e.g. naming someone else as author) is as much its author for sign-off.
  if (change.submitterId != null && p.id === change.submitterId) return 'submitter_cannot_approve';
  if (p.deactivated) return 'not_an_approver';
  if ((p.level ?? 0) < requirement.minLevel) return 'level_too_low';
  if (!policy.approverRoles.includes(p.role)) return 'not_an_approver';
  return null;
}

export interface StandingDecision {
  personId: number;
  decision: Decision;
  revisionId: number;
  withdrawn: boolean;
  /** Whether the person met the rules when they decided (re-checked: levels can change). */
  eligible: boolean;
}

export interface ApprovalState {
  required: number;
  valid: number;
  /** Standing rejects on the current revision. */
  rejects: number;
  approverIds: number[];
}

/** Counts what stands on the current revision: distinct eligible people, not withdrawn. */
export function tallyApprovals(decisions: readonly StandingDecision[], currentRevisionId: number | null, required: number): ApprovalState {
  const approvers = new Set<number>();
  let rejects = 0;
  for (const d of decisions) {
    if (d.withdrawn || d.revisionId !== currentRevisionId) continue;
    if (d.decision === 'reject') rejects++;
    else if (d.eligible) approvers.add(d.personId);
  }
  return { required, valid: approvers.size, rejects, approverIds: [...approvers] };
}

export type GateReason =
  | 'unknown_change'
  | 'unmapped'
  | 'ingest_pending'
  | 'no_revision'
  | 'change_closed'
  | 'rejected'
  | 'approvals_missing'
  | 'no_predeploy_validation'
  | 'unknown_commit'
  | 'commit_not_approved'
  | 'break_glass_superseded'
  | 'break_glass'
  | 'approved'
  | 'no_approval_required';

export interface GateInput {
  status: string;
  environment: string;
  requestedEnvironment: string;
  currentRevisionId: number | null;
  requirement: Requirement;
  state: ApprovalState;
  preDeployValidation: boolean | null;
  breakGlassActive: boolean;
  /** An override is open, but on an earlier revision: it no longer allows anything. */
  breakGlassSuperseded?: boolean;
  /** Changed paths or the repository are not mapped to services: what it touches is unknown. */
  unmapped?: boolean;
  /** The latest content could not be ingested: what would be deployed is not what was reviewed. */
  ingestPending?: boolean;
}

export interface GateAnswer {
  allowed: boolean;
  reasons: GateReason[];
  approvals: { required: number; valid: number };
}

export function evaluateGate(g: GateInput, policy: ApprovalPolicy = DEFAULT_APPROVAL_POLICY): GateAnswer {
  const approvals = { required: g.requirement.required, valid: g.state.valid };
  if (g.breakGlassActive) return { allowed: true, reasons: ['break_glass'], approvals };
  const reasons: GateReason[] = [];
  if (g.currentRevisionId === null) reasons.push('no_revision');
  // Fail closed: sign-off can only be judged on what is known to be deployed and what it touches.
  if (g.unmapped) reasons.push('unmapped');
  if (g.ingestPending) reasons.push('ingest_pending');
  if (g.status === 'rolled_back') reasons.push('change_closed');
  if (g.state.rejects > 0) reasons.push('rejected');
  if (g.state.valid < g.requirement.required) reasons.push('approvals_missing');
  const production = isProduction(g.requestedEnvironment, policy);
  if (production && policy.requirePreDeployForTier1 && g.requirement.effectiveTier === 1 && g.preDeployValidation !== true) {
    reasons.push('no_predeploy_validation');
  }
  if (reasons.length && g.breakGlassSuperseded) reasons.push('break_glass_superseded');
  if (reasons.length) return { allowed: false, reasons, approvals };
  return { allowed: true, reasons: [g.requirement.required ? 'approved' : 'no_approval_required'], approvals };
}

export const GATE_REASON_TEXT: Record<GateReason, string> = {
  unknown_change: 'No change with this id or external id is known to Countersign.',
  unmapped: 'Some of what the change touches is not mapped to a service: an administrator must triage it first.',
  ingest_pending: 'The latest content of the change could not be ingested: what would be deployed has not been reviewed.',
  no_revision: 'The change has no diff or plan yet.',
  change_closed: 'The change was rolled back.',
  rejected: 'A reviewer rejected the current revision.',
  approvals_missing: 'Not enough valid approvals on the current revision.',
  no_predeploy_validation: 'Tier-1 production change without automated pre-deployment validation.',
  unknown_commit: 'No change known to Countersign has this commit in this repository: it has not been ingested or reviewed.',
  commit_not_approved: 'The commit asked about is not the head commit of the current, signed-off revision.',
  break_glass_superseded: 'The break-glass override was opened on an earlier revision: it does not cover the current one.',
  break_glass: 'An emergency break-glass override is active.',
  approved: 'Approved by the required reviewers.',
  no_approval_required: 'No approval is required by policy.',
};

/** A full git commit sha (SHA-1 or SHA-256), lower case. */
export const COMMIT_SHA_PATTERN = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

export type GateWarning = 'commit_unverified';

export interface CommitBoundAnswer extends GateAnswer {
  /** The commit asked about, when given. */
  commit: string | null;
  /** True only when the commit asked about is a head commit of the current revision. */
  verified: boolean;
  warnings: GateWarning[];
}

/**
 * Binds a gate answer to the artifact: allowed only for a head commit of the current revision
 * (the one sign-off and any override were given on). Without a commit the answer stands but is
 * marked unverified: the pipeline may deploy anything under it.
 */
export function bindToCommit(answer: GateAnswer, commit: string | null, headCommits: readonly string[]): CommitBoundAnswer {
  if (!commit) return { ...answer, commit: null, verified: false, warnings: ['commit_unverified'] };
  if (headCommits.includes(commit)) return { ...answer, commit, verified: true, warnings: [] };
  const kept = answer.reasons.filter((r) => r !== 'approved' && r !== 'no_approval_required' && r !== 'break_glass');
  return { allowed: false, reasons: [...kept, 'commit_not_approved'], approvals: answer.approvals, commit, verified: false, warnings: [] };
}

/** Why a production deployment is a bypass: the gate would not allow it now, or it was not asked (or last refused) for this revision. */
export type BypassReason = GateReason | 'gate_not_allowed';

/** Empty when the deployment went through the gate: re-evaluated now it allows, and its latest answer allowed. */
export function bypassReasonsFor(now: Pick<GateAnswer, 'allowed' | 'reasons'>, lastDecision: { allowed: boolean } | null): BypassReason[] {
  const reasons: BypassReason[] = now.allowed ? [] : [...now.reasons];
  if (!lastDecision?.allowed) reasons.push('gate_not_allowed');
  return reasons;
}

/** The sentence for a reason, naming the commits when the reason is about them. */
export function gateReasonMessage(reason: GateReason, ctx: { commit?: string | null; headCommits?: readonly string[] } = {}): string {
  if (reason === 'commit_not_approved' && ctx.commit) {
    const head = ctx.headCommits?.at(-1);
    return head
      ? `Commit ${ctx.commit} is not the head commit of the current revision (${head}): only what was signed off may be deployed.`
      : `Commit ${ctx.commit} is not a commit of the current revision, which has no recorded commit: submit the change with its head commit.`;
  }
  if (reason === 'unknown_commit' && ctx.commit) return `No change known to Countersign has commit ${ctx.commit} as its head commit in this repository: it has not been ingested or reviewed.`;
  return GATE_REASON_TEXT[reason];
}

/** What a requirement asks, reduced to the parts an update could weaken. */
export interface RequirementStrength {
  required: number;
  minLevel: number;
  effectiveTier: Tier;
  production: boolean;
  /** The gate blocks it for missing pre-deployment validation. */
  preDeployBlocks: boolean;
}

export function requirementStrength(r: Requirement, c: Pick<ChangeForPolicy, 'environment' | 'preDeployValidation'>, policy: ApprovalPolicy = DEFAULT_APPROVAL_POLICY): RequirementStrength {
  const production = isProduction(c.environment, policy);
  return {
    required: r.required,
    minLevel: r.minLevel,
    effectiveTier: r.effectiveTier,
    production,
    preDeployBlocks: production && policy.requirePreDeployForTier1 && r.effectiveTier === 1 && c.preDeployValidation !== true,
  };
}

/**
 * True when `after` asks less than `before` in any respect: fewer approvals, a lower level, a less
 * critical tier, no longer production, or no longer blocked for validation. Such an update of a
 * change makes a new revision, so sign-offs given under the stronger requirement stop counting.
 */
export function weakensRequirement(before: RequirementStrength, after: RequirementStrength): boolean {
  return (
    after.required < before.required ||
    after.minLevel < before.minLevel ||
    after.effectiveTier > before.effectiveTier ||
    (before.production && !after.production) ||
    (before.preDeployBlocks && !after.preDeployBlocks)
  );
}
