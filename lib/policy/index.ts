// The policy, in one module: defaults here, overrides from the `settings` table.
import { eq } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { settings } from '@/db/schema';
import { DEFAULT_APPROVAL_POLICY, type ApprovalPolicy } from './approvals';

export interface ReviewDepthPolicy {
  /** Faster than this, an approval could not have followed the diff. */
  readingLinesPerMinute: number;
  /** A reviewer approving at least this share of what they review is a signal. */
  rubberStampShare: number;
  rubberStampMinReviews: number;
}

export interface Policy {
  approvals: ApprovalPolicy;
  review: ReviewDepthPolicy;
}

export const DEFAULT_POLICY: Policy = {
  approvals: DEFAULT_APPROVAL_POLICY,
  review: { readingLinesPerMinute: 200, rubberStampShare: 0.97, rubberStampMinReviews: 20 },
};

export const POLICY_SETTING_KEY = 'policy';

/** Defaults merged with the organisation's overrides (one level deep per section). */
export async function getPolicy(q: Queryable): Promise<Policy> {
  const [row] = await q.select({ value: settings.value }).from(settings).where(eq(settings.key, POLICY_SETTING_KEY)).limit(1);
  return mergePolicy(row?.value);
}

/** The defaults with a stored `settings.policy` value laid over them (for callers that read it in their own query). */
export function mergePolicy(value: unknown): Policy {
  const o = (value ?? {}) as Partial<{ approvals: Partial<ApprovalPolicy>; review: Partial<ReviewDepthPolicy> }>;
  return {
    approvals: { ...DEFAULT_POLICY.approvals, ...(o.approvals ?? {}) },
    review: { ...DEFAULT_POLICY.review, ...(o.review ?? {}) },
  };
}

export { DEFAULT_APPROVAL_POLICY } from './approvals';
export type { ApprovalPolicy } from './approvals';
