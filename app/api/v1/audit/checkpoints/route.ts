import { apiRoute } from '@/lib/api/route';
import { checkSignature } from '@/lib/audit/checkpoint-sign';
import { checkpointConfig, readCheckpoints } from '@/lib/audit/checkpoints';

export const dynamic = 'force-dynamic';

/** The signed checkpoints of the audit chain, oldest first, each with its signature's status (for auditors' export). */
export const GET = apiRoute({ scope: 'audit:read' }, async () => {
  const cfg = checkpointConfig();
  if (!cfg.dir) return { configured: false, checkpoints: [], unreadable: [] };
  const { checkpoints, unreadable } = readCheckpoints(cfg.dir);
  return {
    configured: true,
    checkpoints: checkpoints.map(({ file, line, ...c }) => ({ ...c, file, line, signature: checkSignature(c, cfg.keys) })),
    unreadable,
  };
});
