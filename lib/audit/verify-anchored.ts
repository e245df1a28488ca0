// One answer for "is the trail intact?": the hash chain re-computed in the database, compared
// with the signed checkpoints kept outside it. Used by /api/v1/audit/verify and the CLI.
import type { Queryable } from '@/db/client';
import { verifyAuditChain } from './chain';
import { checkpointConfig, verifyAgainstCheckpoints, type AnchorVerification, type CheckpointConfig } from './checkpoints';

export interface AnchoredVerification {
  ok: boolean;
  events: number;
  firstBrokenId: number | null;
  reason: string | null;
  lastHash: string;
  /** Event ids that a checkpoint recorded and the database no longer holds. */
  missing: { from: number; to: number } | null;
  anchor: AnchorVerification;
}

export async function verifyAnchoredChain(q: Queryable, cfg: CheckpointConfig = checkpointConfig()): Promise<AnchoredVerification> {
  const chain = await verifyAuditChain(q);
  const anchor = await verifyAgainstCheckpoints(q, cfg);
  const first = anchor.problems[0] ?? null;
  const missing = anchor.problems.find((p) => p.missing)?.missing ?? null;
  return {
    ok: chain.ok && anchor.problems.length === 0,
    events: chain.events,
    firstBrokenId: chain.firstBrokenId ?? first?.eventId ?? null,
    reason: chain.reason ?? first?.reason ?? null,
    lastHash: chain.lastHash,
    missing,
    anchor,
  };
}
