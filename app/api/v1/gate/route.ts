import { z } from 'zod';
import { apiRoute } from '@/lib/api/route';
import { decideGate } from '@/lib/gate/decide';
import { COMMIT_SHA_PATTERN, gateReasonMessage } from '@/lib/policy/approvals';

export const dynamic = 'force-dynamic';

const GateQuery = z
  .object({
    change: z.string().trim().min(1).max(200).optional(),
    repo: z.string().trim().min(1).max(200).optional(),
    commit: z
      .string()
      .trim()
      .toLowerCase()
      .regex(COMMIT_SHA_PATTERN, 'commit must be the full git commit sha being deployed (40 hex characters)')
      .optional(),
    environment: z.string().trim().min(1).max(50).default('production'),
  })
  .refine((q) => q.change || (q.repo && q.commit), {
    message: 'change is required (the change id or its external id), or repo and commit to find the change by the commit deployed',
    path: ['change'],
  });

/**
 * The deploy gate: always 200 with {allowed, reasons, approvals} (an unknown change is
 * refused with unknown_change, not a 404), and every call is recorded. With `commit` it is
 * bound to the artifact: allowed only for a head commit of the approved current revision.
 */
export const GET = apiRoute({ scope: 'gate:read', query: GateQuery }, async ({ db, query, actor }) => {
  const d = await decideGate(db, {
    ref: query.change ?? null,
    repo: query.repo ?? null,
    commit: query.commit ?? null,
    environment: query.environment,
    actor: { personId: actor.person.id, label: actor.label, tokenId: actor.tokenId },
  });
  return {
    allowed: d.allowed,
    reasons: d.reasons,
    approvals: d.approvals,
    messages: d.reasons.map((r) => gateReasonMessage(r, { commit: d.commit, headCommits: d.headCommits })),
    verified: d.verified,
    commit: d.commit,
    warnings: d.warnings,
    ...(d.warnings.includes('commit_unverified') ? { warning: 'No commit given: this answer does not say what may be deployed. Pass commit=<sha> of the artifact.' } : {}),
    change: d.change,
    environment: d.environment,
    decisionId: d.decisionId,
  };
});
