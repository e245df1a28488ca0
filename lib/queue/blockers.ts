// What the gate would refuse a change for even with every approval it needs: the gate's own rule
// (evaluateGate) asked with a full, unrejected tally, so the queue's mark and the gate cannot disagree.
import { evaluateGate, requiredApprovals, type ApprovalPolicy, type ChangeForPolicy, type GateReason } from '@/lib/policy/approvals';

export interface BlockerInput extends ChangeForPolicy {
  status: string;
  unmapped: boolean;
  ingestPending: boolean;
  hasRevision: boolean;
}

/** Reasons that approvals cannot lift, for a deploy to the change's own environment (pure). */
export function blockedWhateverApprovals(c: BlockerInput, policy: ApprovalPolicy): GateReason[] {
  const requirement = requiredApprovals(c, policy);
  const answer = evaluateGate(
    {
      status: c.status,
      environment: c.environment,
      requestedEnvironment: c.environment,
      currentRevisionId: c.hasRevision ? 1 : null,
      requirement,
      state: { required: requirement.required, valid: requirement.required, rejects: 0, approverIds: [] },
      preDeployValidation: c.preDeployValidation,
      breakGlassActive: false,
      unmapped: c.unmapped,
      ingestPending: c.ingestPending,
    },
    policy,
  );
  return answer.allowed ? [] : answer.reasons;
}

/** Short words for the queue's "blocked" mark. */
export const BLOCKER_SHORT: Partial<Record<GateReason, string>> = {
  unmapped: 'unmapped paths',
  ingest_pending: 'latest content not ingested',
  no_revision: 'no diff yet',
  change_closed: 'rolled back',
  no_predeploy_validation: 'no pre-deploy validation (Tier-1)',
};
