// What an administrator may send to change the policy, and what a policy must be to be
// saved. A change is any part of the policy document (omitted fields keep their values);
// the policy that results is then checked whole — bounds, floors that no setting may go
// below (two-person Tier-1 sign-off and the other rules of the design), and sense between
// fields. Pure and client-safe: the admin form checks with the same rules before it sends.
import { z } from 'zod';
import type { Policy } from './index';
import { POLICY_FIELD_BY_PATH, REQUIRED_PRODUCTION_NAMES, SIGN_OFF_ROLES, type PolicyField } from './fields';

export interface PolicyIssue {
  /** Dotted path of the field, e.g. `approvals.approvalsByTier.1` ('' for the whole body). */
  path: string;
  message: string;
}

function field(path: string): PolicyField {
  const f = POLICY_FIELD_BY_PATH.get(path);
  if (!f) throw new Error(`unknown policy field ${path}`);
  return f;
}

/** A whole number within the field's bounds, with messages that say which rule refused it. */
function bounded(path: string, opts: { int?: boolean } = {}) {
  const f = field(path);
  const min = f.min ?? 0;
  const max = f.max ?? Number.MAX_SAFE_INTEGER;
  let n = z.number({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be a number') });
  if (opts.int !== false) n = n.int('must be a whole number');
  return n
    .min(min, f.floor ? `cannot be below ${min}: ${f.floor}` : `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
}

const ENV_NAME = /^[a-z0-9][a-z0-9._-]{0,39}$/;

const tiers = (prefix: string) =>
  z.strictObject({
    1: bounded(`${prefix}.1`),
    2: bounded(`${prefix}.2`),
    3: bounded(`${prefix}.3`),
  });

const approverRoles = z
  .array(z.string({ error: 'must be role names' }), { error: 'must be a list of roles' })
  .min(1, 'at least one role must be able to sign off')
  .superRefine((roles, ctx) => {
    for (const r of roles) {
      if (!(SIGN_OFF_ROLES as readonly string[]).includes(r)) {
        ctx.addIssue({ code: 'custom', message: `${JSON.stringify(r)} cannot sign off changes; choose among ${SIGN_OFF_ROLES.join(', ')}` });
        return;
      }
    }
    if (new Set(roles).size !== roles.length) ctx.addIssue({ code: 'custom', message: 'lists a role twice' });
  });

const productionEnvironments = z
  .array(z.string({ error: 'must be environment names' }), { error: 'must be a list of environment names' })
  .max(20, 'at most 20 names')
  .superRefine((names, ctx) => {
    for (const n of names) {
      if (!ENV_NAME.test(n)) {
        ctx.addIssue({ code: 'custom', message: `${JSON.stringify(n)} is not an environment name (lower-case letters, digits, dots, dashes, underscores; up to 40)` });
        return;
      }
    }
    if (new Set(names).size !== names.length) ctx.addIssue({ code: 'custom', message: 'lists a name twice' });
    const missing = REQUIRED_PRODUCTION_NAMES.filter((r) => !names.includes(r));
    if (missing.length) ctx.addIssue({ code: 'custom', message: `must include ${missing.join(' and ')}: a deploy to it must never pass as not production` });
  });

const approvalsShape = {
  approvalsByTier: tiers('approvals.approvalsByTier'),
  criticalApprovals: bounded('approvals.criticalApprovals'),
  agentMinApprovals: bounded('approvals.agentMinApprovals'),
  minLevelByTier: tiers('approvals.minLevelByTier'),
  approverRoles,
  requirePreDeployForTier1: z.boolean({ error: 'must be true or false' }).refine((v) => v, {
    message: 'cannot be turned off: a Tier-1 production change without automated pre-deployment validation is always blocked (only break-glass overrides it)',
  }),
  tier1BlastDepth: bounded('approvals.tier1BlastDepth'),
  breakGlassDefaultHours: bounded('approvals.breakGlassDefaultHours'),
  breakGlassMaxHours: bounded('approvals.breakGlassMaxHours'),
  productionEnvironments,
};

const reviewShape = {
  readingLinesPerMinute: bounded('review.readingLinesPerMinute'),
  rubberStampShare: bounded('review.rubberStampShare', { int: false }),
  rubberStampMinReviews: bounded('review.rubberStampMinReviews'),
};

/** A whole policy, field by field (sense between fields is checked by validatePolicy). */
export const PolicySchema = z.strictObject({
  approvals: z.strictObject(approvalsShape),
  review: z.strictObject(reviewShape),
});

/** What PUT /api/v1/policy accepts: any part of the policy document, nothing else. */
export const PolicyPatchSchema = z.strictObject(
  {
    approvals: z
      .strictObject({
        ...approvalsShape,
        approvalsByTier: approvalsShape.approvalsByTier.partial(),
        minLevelByTier: approvalsShape.minLevelByTier.partial(),
      })
      .partial(),
    review: z.strictObject(reviewShape).partial(),
  },
  { error: (iss) => (iss.code === 'invalid_type' ? 'the body must be a JSON object with approvals and/or review' : undefined) },
).partial();

export type PolicyPatch = z.infer<typeof PolicyPatchSchema>;

/** Zod's issues as field paths and messages; an unknown key is named by its own path. */
export function issuesOf(error: z.ZodError): PolicyIssue[] {
  const out: PolicyIssue[] = [];
  for (const i of error.issues) {
    const base = i.path.map(String);
    if (i.code === 'unrecognized_keys') {
      for (const k of i.keys) out.push({ path: [...base, k].join('.'), message: 'is not a policy field' });
    } else {
      out.push({ path: base.join('.'), message: i.message });
    }
  }
  return out;
}

/** The patch laid over a policy (tiers merged key by key; lists replaced whole). */
export function applyPolicyPatch(current: Policy, patch: PolicyPatch): Policy {
  const a = patch.approvals ?? {};
  return {
    approvals: {
      ...current.approvals,
      ...a,
      approvalsByTier: { ...current.approvals.approvalsByTier, ...(a.approvalsByTier ?? {}) },
      minLevelByTier: { ...current.approvals.minLevelByTier, ...(a.minLevelByTier ?? {}) },
    } as Policy['approvals'],
    review: { ...current.review, ...(patch.review ?? {}) },
  };
}

/** Every reason this policy cannot be saved; empty when it can. */
export function validatePolicy(policy: Policy): PolicyIssue[] {
  const parsed = PolicySchema.safeParse(policy);
  if (!parsed.success) return issuesOf(parsed.error);
  const a = policy.approvals;
  const issues: PolicyIssue[] = [];
  const tierOrder = (key: 'approvalsByTier' | 'minLevelByTier', more: string, show: (n: number) => string) => {
    const t = a[key];
    if (t[2] > t[1]) issues.push({ path: `approvals.${key}.2`, message: `Tier-2 cannot need ${more} (${show(t[2])}) than Tier-1 (${show(t[1])})` });
    if (t[3] > t[2]) issues.push({ path: `approvals.${key}.3`, message: `Tier-3 cannot need ${more} (${show(t[3])}) than Tier-2 (${show(t[2])})` });
  };
  tierOrder('approvalsByTier', 'more approvals', String);
  tierOrder('minLevelByTier', 'a higher approver level', (n) => `L${n}`);
  if (a.breakGlassDefaultHours > a.breakGlassMaxHours) {
    issues.push({ path: 'approvals.breakGlassDefaultHours', message: `cannot be longer than the maximum (${a.breakGlassMaxHours} h)` });
  }
  return issues;
}

/** "approvals.approvalsByTier.1: cannot be below 2: …" */
export function issueText(i: PolicyIssue): string {
  return i.path ? `${i.path}: ${i.message}` : i.message;
}
