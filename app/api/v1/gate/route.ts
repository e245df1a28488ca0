import { z } from 'zod';
import { apiRoute } from '@/lib/api/route';
import { decideGate } from '@/lib/gate/decide';
import { GATE_REASON_TEXT } from '@/lib/policy/approvals';

export const dynamic = 'force-dynamic';

const GateQuery = z.object({
  change: z.string().trim().min(1, 'change is required: the change id or its external id').max(200),
  environment: z.string().trim().min(1).max(50).default('production'),
});

/**
 * The deploy gate: always 200 with {allowed, reasons, approvals} (an unknown change is
 * refused with unknown_change, not a 404), and every call is recorded.
 */
export const GET = apiRoute({ scope: 'gate:read', query: GateQuery }, async ({ db, query, actor }) => {
  const d = await decideGate(db, { ref: query.change, environment: query.environment, actor: { personId: actor.person.id, label: actor.label, tokenId: actor.tokenId } });
  return {
    allowed: d.allowed,
    reasons: d.reasons,
    approvals: d.approvals,
    messages: d.reasons.map((r) => GATE_REASON_TEXT[r]),
    change: d.change,
    environment: d.environment,
    decisionId: d.decisionId,
  };
});
