// The vocabulary of the audit trail: every action name, with how it reads in the timeline.
export const AUDIT_ACTIONS = {
  'change.submitted': 'submitted a change',
  'change.revised': 'added a revision',
  'change.updated': 'updated a change',
  'change.triaged': 'triaged a change',
  'change.rescored': 're-scored a change after its context changed',
  'external_review.recorded': 'recorded a GitHub review (context, not a sign-off)',
  'person.provisioned': 'added a person first seen on GitHub',
  'path_mapping.added': 'mapped repository paths to a service',
  'approval.approved': 'approved',
  'approval.rejected': 'rejected',
  'approval.withdrawn': 'withdrew a decision',
  'gate.decided': 'asked the deploy gate',
  'deployment.recorded': 'deployed',
  'deployment.bypassed': 'deployed without an allowing gate decision',
  'break_glass.opened': 'opened a break-glass override',
  'break_glass.closed': 'closed a break-glass override',
  'break_glass.follow_up_completed': 'completed a break-glass follow-up review',
  'token.created': 'created an API token',
  'token.revoked': 'revoked an API token',
  'auth.signed_in': 'signed in',
  'person.updated': 'updated a person',
  'catalog.imported': 'imported the service catalog',
  'incident.recorded': 'recorded an incident',
  'incident.linked': 'linked an incident to its cause',
  'watchout.added': 'added a watch-out',
  'policy.updated': 'changed the policy',
  'report.attested': 'attested a weekly report',
  'seed.loaded': 'loaded the demo organisation',
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;
export const AUDIT_ACTION_NAMES = Object.keys(AUDIT_ACTIONS) as AuditAction[];
