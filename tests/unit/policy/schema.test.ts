// The editable policy's rules as pure functions: the defaults pass, an edit merges field by
// field, the floors hold, and a policy.updated event reads as what changed.
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '@/lib/policy';
import { describeDiffEntry, diffPolicy, POLICY_FIELDS, setAt } from '@/lib/policy/fields';
import { applyPolicyPatch, PolicyPatchSchema, validatePolicy } from '@/lib/policy/schema';
import { summarizeAudit } from '@/lib/reports/audit-kinds';

describe('editable policy', () => {
  it('accepts the defaults, and every field of the policy is described exactly once', () => {
    expect(validatePolicy(DEFAULT_POLICY)).toEqual([]);
    const leaves = (o: object, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' && !Array.isArray(v) ? leaves(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
    expect(POLICY_FIELDS.map((f) => f.path).sort()).toEqual(leaves(DEFAULT_POLICY).sort());
  });

  it('merges an edit tier by tier and keeps the rest', () => {
    const patch = PolicyPatchSchema.parse({ approvals: { approvalsByTier: { 2: 2 } }, review: { rubberStampShare: 0.9 } });
    const next = applyPolicyPatch(DEFAULT_POLICY, patch);
    expect(next.approvals.approvalsByTier).toEqual({ 1: 2, 2: 2, 3: 0 });
    expect(next.approvals.minLevelByTier).toEqual(DEFAULT_POLICY.approvals.minLevelByTier);
    expect(next.review).toEqual({ ...DEFAULT_POLICY.review, rubberStampShare: 0.9 });
    expect(diffPolicy(DEFAULT_POLICY, next).map((d) => describeDiffEntry(d))).toEqual(['Tier-2 approvals 1 → 2', 'Rubber-stamp share 97% → 90%']);
  });

  it('holds the floors and the order between tiers', () => {
    const paths = (p: typeof DEFAULT_POLICY) => validatePolicy(p).map((i) => i.path);
    expect(paths(setAt(DEFAULT_POLICY, 'approvals.approvalsByTier.1', 1))).toEqual(['approvals.approvalsByTier.1']);
    expect(paths(setAt(DEFAULT_POLICY, 'approvals.minLevelByTier.1', 6))).toEqual(['approvals.minLevelByTier.1']);
    expect(paths(setAt(DEFAULT_POLICY, 'approvals.minLevelByTier.3', 7))).toEqual(['approvals.minLevelByTier.3']);
    expect(paths(setAt(DEFAULT_POLICY, 'approvals.productionEnvironments', ['production']))).toEqual(['approvals.productionEnvironments']);
    expect(paths(setAt(DEFAULT_POLICY, 'approvals.approverRoles', ['senior', 'engineer']))).toEqual(['approvals.approverRoles']);
    expect(paths(setAt(DEFAULT_POLICY, 'approvals.breakGlassDefaultHours', 9))).toEqual(['approvals.breakGlassDefaultHours']);
    expect(paths(setAt(DEFAULT_POLICY, 'approvals.approvalsByTier.1', 3))).toEqual([]);
  });

  it('summarises a policy.updated event for the audit timeline', () => {
    const payload = {
      fields: [
        { path: 'approvals.approvalsByTier.2', label: 'Tier-2 approvals', from: 1, to: 2 },
        { path: 'approvals.minLevelByTier.1', label: 'Tier-1 approver level', from: 7, to: 8 },
      ],
      reweighed: { count: 3, changes: [] },
    };
    expect(summarizeAudit('policy.updated', payload)).toBe('Tier-2 approvals 1 → 2 · Tier-1 approver level L7 → L8 · 3 open changes re-weighed');
  });
});
