import { apiRoute } from '@/lib/api/route';
import { verifyAuditChain } from '@/lib/audit/chain';

export const dynamic = 'force-dynamic';

/** Recomputes the whole hash chain: {ok, events, firstBrokenId}. */
export const GET = apiRoute({ scope: 'audit:read' }, async ({ db }) => {
  const v = await verifyAuditChain(db);
  return { ok: v.ok, events: v.events, firstBrokenId: v.firstBrokenId, reason: v.reason, lastHash: v.lastHash };
});
