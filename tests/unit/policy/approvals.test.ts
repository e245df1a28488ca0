// The sign-off policy as pure functions: requirements, who may approve, the tally and the
// gate's answer, and the gate judging the environment it is asked about.
import { describe, expect, it } from 'vitest';
import type { Change } from '@/db/schema';
import { computeSignOff, gateFor, type DecisionRow } from '@/lib/approvals/state';
import { DEFAULT_APPROVAL_POLICY, checkApprover, evaluateGate, isProduction, requiredApprovals, tallyApprovals, type ChangeForPolicy } from '@/lib/policy/approvals';

const base: ChangeForPolicy = {
  environment: 'production',
  topTier: 1,
  nearestTier1Depth: null,
  riskLevel: 'medium',
  destructive: false,
  aiLevel: 'assisted',
  authorIsBot: false,
  preDeployValidation: true,
};

describe('isProduction', () => {
  it('knows production by name and by qualified name, never by a prefix that is another word', () => {
    for (const env of ['production', 'prod', 'PRODUCTION', ' prod ', 'prod-eu-west-1', 'production/us', 'prod_blue', 'prod.eu']) expect(isProduction(env), env).toBe(true);
    for (const env of ['staging', 'preprod', 'production2', 'products', 'dev', 'qa-prod']) expect(isProduction(env), env).toBe(false);
  });
});

describe('requiredApprovals', () => {
  it('follows the tier, the blast radius, risk, destruction and AI agents', () => {
    expect(requiredApprovals(base)).toMatchObject({ required: 2, minLevel: 7, effectiveTier: 1 });
    expect(requiredApprovals({ ...base, topTier: 2 })).toMatchObject({ required: 1, minLevel: 6 });
    expect(requiredApprovals({ ...base, topTier: 3 })).toMatchObject({ required: 0 });
    expect(requiredApprovals({ ...base, topTier: 3, nearestTier1Depth: 1 })).toMatchObject({ required: 2, effectiveTier: 1 });
    expect(requiredApprovals({ ...base, topTier: 3, nearestTier1Depth: 2 })).toMatchObject({ required: 0, effectiveTier: 3 });
    expect(requiredApprovals({ ...base, topTier: 3, destructive: true })).toMatchObject({ required: 2, minLevel: 7 });
    expect(requiredApprovals({ ...base, topTier: 3, riskLevel: 'critical' })).toMatchObject({ required: 2 });
    expect(requiredApprovals({ ...base, topTier: 3, aiLevel: 'agent' })).toMatchObject({ required: 1 });
    expect(requiredApprovals({ ...base, environment: 'staging' })).toMatchObject({ required: 0 });
    expect(requiredApprovals({ ...base, environment: 'staging', authorIsBot: true })).toMatchObject({ required: 1 });
  });
});

describe('checkApprover', () => {
  const change = { authorId: 1, coauthorIds: [2] };
  const senior = { id: 3, isBot: false, level: 7, role: 'senior' as const, deactivated: false };
  it('says why, in order: bot, author, deactivated, level, role', () => {
    expect(checkApprover(senior, change, { minLevel: 7 })).toBeNull();
    expect(checkApprover({ ...senior, isBot: true, level: null }, change, { minLevel: 7 })).toBe('bot_cannot_approve');
    expect(checkApprover({ ...senior, id: 1 }, change, { minLevel: 7 })).toBe('author_cannot_approve');
    expect(checkApprover({ ...senior, id: 2 }, change, { minLevel: 7 })).toBe('author_cannot_approve');
    expect(checkApprover({ ...senior, deactivated: true }, change, { minLevel: 7 })).toBe('not_an_approver');
    expect(checkApprover({ ...senior, level: 6 }, change, { minLevel: 7 })).toBe('level_too_low');
    expect(checkApprover({ ...senior, role: 'admin', level: 9 }, change, { minLevel: 7 })).toBe('not_an_approver');
  });
});

describe('tallyApprovals and evaluateGate', () => {
  it('counts distinct eligible people on the current revision; any standing reject blocks', () => {
    const d = (personId: number, over: Partial<Parameters<typeof tallyApprovals>[0][number]> = {}) => ({ personId, decision: 'approve' as const, revisionId: 10, withdrawn: false, eligible: true, ...over });
    expect(tallyApprovals([d(1), d(1), d(2)], 10, 2)).toMatchObject({ valid: 2, rejects: 0 });
    expect(tallyApprovals([d(1), d(2, { revisionId: 9 }), d(3, { withdrawn: true }), d(4, { eligible: false })], 10, 2)).toMatchObject({ valid: 1 });
    expect(tallyApprovals([d(1), d(2), d(3, { decision: 'reject' })], 10, 2)).toMatchObject({ valid: 2, rejects: 1 });
    const requirement = requiredApprovals(base);
    const gate = (state: ReturnType<typeof tallyApprovals>, over = {}) =>
      evaluateGate({ status: 'pending', environment: 'production', requestedEnvironment: 'production', currentRevisionId: 10, requirement, state, preDeployValidation: true, breakGlassActive: false, ...over });
    expect(gate(tallyApprovals([d(1), d(2)], 10, 2))).toMatchObject({ allowed: true, reasons: ['approved'] });
    expect(gate(tallyApprovals([d(1), d(2), d(3, { decision: 'reject' })], 10, 2))).toMatchObject({ allowed: false, reasons: ['rejected'] });
    expect(gate(tallyApprovals([d(1), d(2)], 10, 2), { preDeployValidation: null })).toMatchObject({ allowed: false, reasons: ['no_predeploy_validation'] });
    expect(gate(tallyApprovals([], 10, 2), { breakGlassActive: true, preDeployValidation: null })).toMatchObject({ allowed: true, reasons: ['break_glass'] });
    expect(gate(tallyApprovals([d(1), d(2)], 10, 2), { status: 'rolled_back' })).toMatchObject({ allowed: false, reasons: ['change_closed'] });
  });
});

describe('gateFor', () => {
  const change = {
    id: 1, authorId: 1, environment: 'staging', topTier: 1, blastRadius: { services: [], total: 0, tier1: 0 }, riskLevel: 'low', destructive: false,
    aiLevel: 'none', preDeployValidation: true, status: 'pending', currentRevisionId: 10, submitterId: null, unmapped: false, ingestError: null,
  } as unknown as Change;
  const row = (personId: number, level: number): DecisionRow => ({
    a: { id: personId, personId, decision: 'approve', comment: '', revisionId: 10, createdAt: new Date(), withdrawnAt: null, via: 'web' },
    p: { handle: `p${personId}`, name: `P ${personId}`, level, role: 'senior', isBot: false, deactivatedAt: null },
  });
  const inputs = (rows: DecisionRow[], policy = DEFAULT_APPROVAL_POLICY) => ({ policy, authorIsBot: false, coauthorIds: [], rows, breakGlassActive: false });

  it('re-evaluates a staging change for production instead of waving it through', () => {
    const signOff = computeSignOff(change, inputs([row(2, 7)]));
    expect(signOff.requirement.required).toBe(0);
    expect(gateFor(change, signOff, 'staging')).toMatchObject({ allowed: true, reasons: ['no_approval_required'] });
    expect(gateFor(change, signOff, 'production')).toMatchObject({ allowed: false, reasons: ['approvals_missing'], approvals: { required: 2, valid: 1 } });
    expect(gateFor(change, computeSignOff(change, inputs([row(2, 7), row(3, 8)])), 'prod-eu')).toMatchObject({ allowed: true, reasons: ['approved'] });
  });

  it('uses the organisation’s policy, not the defaults', () => {
    const lenient = { ...DEFAULT_APPROVAL_POLICY, approvalsByTier: { 1: 1, 2: 1, 3: 0 } as const, requirePreDeployForTier1: false };
    const prod = { ...change, environment: 'production', preDeployValidation: null } as Change;
    expect(gateFor(prod, computeSignOff(prod, inputs([row(2, 7)])), 'production')).toMatchObject({ allowed: false });
    expect(gateFor(prod, computeSignOff(prod, inputs([row(2, 7)], lenient)), 'production')).toMatchObject({ allowed: true, approvals: { required: 1, valid: 1 } });
  });
});
