// The effective policy in words, for the admin page, the API and the docs: the same
// numbers the rules use, never retyped.
import type { Policy } from './index';

export interface PolicySection {
  title: string;
  rules: string[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function describePolicy(p: Policy): PolicySection[] {
  const a = p.approvals;
  return [
    {
      title: 'How many approvals',
      rules: [
        `A production change touching a Tier-1 service needs ${plural(a.approvalsByTier[1], 'valid approval')}; Tier-2 needs ${a.approvalsByTier[2]}; Tier-3 needs ${a.approvalsByTier[3]}.`,
        `A change counts as Tier-1 when a Tier-1 service depends on what it touches within ${plural(a.tier1BlastDepth, 'hop')} of the blast radius.`,
        `Critical risk or a destructive operation needs ${plural(a.criticalApprovals, 'approval')} whatever the tier, from approvers of at least L${a.minLevelByTier[1]}.`,
        `A change authored by an AI agent needs at least ${plural(a.agentMinApprovals, 'human approval')} in any environment.`,
        `Production environments: ${a.productionEnvironments.join(', ')} (and qualified names such as ${a.productionEnvironments[0] ?? 'production'}-eu).`,
      ],
    },
    {
      title: 'Who may approve',
      rules: [
        `Approvers are ${a.approverRoles.join(', ')}; minimum level L${a.minLevelByTier[1]} for Tier-1, L${a.minLevelByTier[2]} for Tier-2, L${a.minLevelByTier[3]} for Tier-3.`,
        'Never the author or a co-author, never a bot or AI agent, never a deactivated account.',
        'An approval binds to one revision: a new revision leaves earlier approvals visible but superseded.',
        'Two approvals are two distinct people; one person decides once per revision (withdraw to change it).',
        'Any standing reject on the current revision blocks until it is withdrawn or a new revision arrives.',
      ],
    },
    {
      title: 'Deploy gate',
      rules: [
        a.requirePreDeployForTier1
          ? 'A Tier-1 production change without automated pre-deployment validation is blocked whatever its approvals (no_predeploy_validation).'
          : 'Pre-deployment validation is not required by this policy.',
        'Every gate call is recorded; a production deployment without an allowing gate decision for its current revision is flagged as a bypass.',
      ],
    },
    {
      title: 'Break-glass',
      rules: [
        `Directors and VPs may open an emergency override on a change: justified, ${plural(a.breakGlassDefaultHours, 'hour')} by default, at most ${plural(a.breakGlassMaxHours, 'hour')}.`,
        'While it lasts the gate answers allowed with reason break_glass; afterwards two seniors must complete a follow-up review of what was deployed.',
      ],
    },
    {
      title: 'Review depth signals',
      rules: [
        `An approval given faster than ${p.review.readingLinesPerMinute} diff lines a minute could not have followed the diff.`,
        `A reviewer who approves ${Math.round(p.review.rubberStampShare * 100)}% or more of at least ${p.review.rubberStampMinReviews} reviews is shown as a signal.`,
      ],
    },
  ];
}
