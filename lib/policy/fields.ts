// The editable policy, field by field: one place for each field's path, label, help text
// and bounds, shared by the validation (server and browser), the admin form, the audit
// summary of a policy change and the docs. Pure and client-safe.
import type { Policy } from './index';

export type PolicyFieldKind = 'count' | 'level' | 'hours' | 'depth' | 'roles' | 'environments' | 'flag' | 'rate' | 'share';

export interface PolicyField {
  /** Dotted path in the policy document, e.g. `approvals.approvalsByTier.1`. */
  path: string;
  label: string;
  help: string;
  kind: PolicyFieldKind;
  min?: number;
  max?: number;
  /** Why the minimum is what it is, when it is a rule and not only sense. */
  floor?: string;
  /** Shown, never editable: the rule holds whatever the policy says. */
  fixed?: string;
}

/** Roles that hold the `approve` permission (lib/auth/roles): the only ones that can ever sign off. */
export const SIGN_OFF_ROLES = ['senior', 'director', 'vp'] as const;
/** Names that always mean production: dropping one would let a deploy to it pass as "not production". */
export const REQUIRED_PRODUCTION_NAMES = ['production', 'prod'] as const;
export const MAX_APPROVALS = 5;

export const POLICY_FIELDS: readonly PolicyField[] = [
  {
    path: 'approvals.approvalsByTier.1',
    label: 'Tier-1 approvals',
    help: 'Valid approvals a production change needs when it touches a Tier-1 service (or a Tier-1 service depends on it closely enough).',
    kind: 'count',
    min: 2,
    max: MAX_APPROVALS,
    floor: 'two-person sign-off of Tier-1 changes cannot be lowered',
  },
  { path: 'approvals.approvalsByTier.2', label: 'Tier-2 approvals', help: 'Valid approvals a production change to a Tier-2 service needs.', kind: 'count', min: 0, max: MAX_APPROVALS },
  { path: 'approvals.approvalsByTier.3', label: 'Tier-3 approvals', help: 'Valid approvals a production change to a Tier-3 service needs.', kind: 'count', min: 0, max: MAX_APPROVALS },
  {
    path: 'approvals.criticalApprovals',
    label: 'Critical or destructive',
    help: 'Approvals for a change scored critical or carrying a destructive operation (a delete/replace in a plan, DROP, rm -rf…), whatever the tier. Its approvers need the Tier-1 level.',
    kind: 'count',
    min: 2,
    max: MAX_APPROVALS,
    floor: 'a critical or destructive change always needs two people',
  },
  {
    path: 'approvals.agentMinApprovals',
    label: 'AI agent as author',
    help: 'Human approvals a change authored by an AI agent or a bot needs at least, in any environment.',
    kind: 'count',
    min: 1,
    max: MAX_APPROVALS,
    floor: 'an AI agent’s change always needs a human approval',
  },
  {
    path: 'approvals.minLevelByTier.1',
    label: 'Tier-1 approver level',
    help: 'Lowest level whose approval counts on a Tier-1 (or critical, or destructive) change.',
    kind: 'level',
    min: 7,
    max: 10,
    floor: 'Tier-1 approvers are senior (L7 or above)',
  },
  { path: 'approvals.minLevelByTier.2', label: 'Tier-2 approver level', help: 'Lowest level whose approval counts on a Tier-2 change.', kind: 'level', min: 4, max: 10 },
  { path: 'approvals.minLevelByTier.3', label: 'Tier-3 approver level', help: 'Lowest level whose approval counts on a Tier-3 change.', kind: 'level', min: 4, max: 10 },
  {
    path: 'approvals.approverRoles',
    label: 'Approver roles',
    help: 'Roles whose approvals count. Engineers and administrators never sign off (they hold no approve permission).',
    kind: 'roles',
  },
  {
    path: 'approvals.tier1BlastDepth',
    label: 'Tier-1 by blast radius',
    help: 'A change counts as Tier-1 when a Tier-1 service depends on what it touches within this many hops.',
    kind: 'depth',
    min: 1,
    max: 5,
    floor: 'a Tier-1 service depending directly on a change makes it Tier-1',
  },
  {
    path: 'approvals.productionEnvironments',
    label: 'Production environments',
    help: 'Environment names treated as production, with their qualified forms (prod-eu-west-1, production/us). production and prod always are.',
    kind: 'environments',
  },
  {
    path: 'approvals.requirePreDeployForTier1',
    label: 'Pre-deploy validation for Tier-1',
    help: 'A Tier-1 production change without automated pre-deployment validation is blocked by the gate whatever its approvals.',
    kind: 'flag',
    fixed: 'Always required: only break-glass overrides it.',
  },
  {
    path: 'approvals.breakGlassDefaultHours',
    label: 'Break-glass default',
    help: 'How long an emergency override lasts when its director or VP does not say.',
    kind: 'hours',
    min: 1,
    max: 24,
  },
  { path: 'approvals.breakGlassMaxHours', label: 'Break-glass maximum', help: 'The longest an emergency override may last; a longer incident opens a new one.', kind: 'hours', min: 1, max: 24 },
  {
    path: 'review.readingLinesPerMinute',
    label: 'Reading speed',
    help: 'Diff lines a minute: an approval given faster than this could not have followed the diff (a review-depth signal on /audit/compliance).',
    kind: 'rate',
    min: 10,
    max: 5000,
  },
  {
    path: 'review.rubberStampShare',
    label: 'Rubber-stamp share',
    help: 'A reviewer approving at least this share of what they review is shown as a signal.',
    kind: 'share',
    min: 0.5,
    max: 1,
  },
  {
    path: 'review.rubberStampMinReviews',
    label: 'Rubber-stamp minimum reviews',
    help: 'Only reviewers with at least this many decisions in the period are judged.',
    kind: 'count',
    min: 1,
    max: 1000,
  },
];

export const POLICY_FIELD_BY_PATH: ReadonlyMap<string, PolicyField> = new Map(POLICY_FIELDS.map((f) => [f.path, f]));

export function getAt(policy: Policy, path: string): unknown {
  let v: unknown = policy;
  for (const key of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

/** A copy of the policy with one field set. */
export function setAt(policy: Policy, path: string, value: unknown): Policy {
  const out = structuredClone(policy) as unknown as Record<string, unknown>;
  const keys = path.split('.');
  let node = out;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    node[key] = next && typeof next === 'object' ? next : {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
  return out as unknown as Policy;
}

/** A field's value as people read it: "L7", "2 h", "97%", "senior, director, vp". */
export function formatPolicyValue(path: string, value: unknown): string {
  const f = POLICY_FIELD_BY_PATH.get(path);
  if (Array.isArray(value)) return value.length ? value.join(', ') : '(none)';
  if (typeof value === 'boolean') return value ? 'required' : 'not required';
  if (typeof value !== 'number') return value === undefined || value === null ? '—' : String(value);
  switch (f?.kind) {
    case 'level':
      return `L${value}`;
    case 'hours':
      return `${value} h`;
    case 'depth':
      return `${value} hop${value === 1 ? '' : 's'}`;
    case 'share':
      return `${Math.round(value * 1000) / 10}%`;
    case 'rate':
      return `${value} lines/min`;
    default:
      return String(value);
  }
}

export interface PolicyDiffEntry {
  path: string;
  label: string;
  from: unknown;
  to: unknown;
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Field by field, what differs between two policies (in the order of the form). */
export function diffPolicy(before: Policy, after: Policy): PolicyDiffEntry[] {
  const out: PolicyDiffEntry[] = [];
  for (const f of POLICY_FIELDS) {
    const from = getAt(before, f.path);
    const to = getAt(after, f.path);
    if (!sameValue(from, to)) out.push({ path: f.path, label: f.label, from, to });
  }
  return out;
}

/** "Tier-2 approvals 1 → 2" */
export function describeDiffEntry(d: Pick<PolicyDiffEntry, 'path' | 'from' | 'to'> & { label?: string }): string {
  const label = d.label ?? POLICY_FIELD_BY_PATH.get(d.path)?.label ?? d.path;
  return `${label} ${formatPolicyValue(d.path, d.from)} → ${formatPolicyValue(d.path, d.to)}`;
}
