import { apiRoute } from '@/lib/api/route';
import { verifyAnchoredChain } from '@/lib/audit/verify-anchored';

export const dynamic = 'force-dynamic';

/**
 * Recomputes the whole hash chain and compares it with the signed checkpoints outside the
 * database: {ok, events, firstBrokenId, reason, missing, anchor}.
 */
export const GET = apiRoute({ scope: 'audit:read' }, async ({ db }) => {
  const v = await verifyAnchoredChain(db);
  return { ok: v.ok, events: v.events, firstBrokenId: v.firstBrokenId, reason: v.reason, lastHash: v.lastHash, missing: v.missing, anchor: v.anchor };
});
