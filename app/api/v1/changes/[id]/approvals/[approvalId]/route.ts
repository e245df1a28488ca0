import { apiRoute } from '@/lib/api/route';
import { resolveChangeId } from '@/lib/api/change-param';
import { withdrawDecision } from '@/lib/approvals/record';
import { notFound } from '@/lib/errors';

export const dynamic = 'force-dynamic';

/** Withdraw one's own decision: it stays in the record, marked withdrawn, and stops counting. */
export const DELETE = apiRoute<undefined, undefined, { id: string; approvalId: string }>({ scope: 'approve' }, async ({ db, params, actor }) => {
  const changeId = await resolveChangeId(db, params.id);
  const approvalId = /^\d{1,9}$/.test(params.approvalId ?? '') ? Number(params.approvalId) : null;
  if (approvalId === null) throw notFound('Decision');
  const result = await withdrawDecision(db, { changeId, approvalId, personId: actor.person.id, via: actor.via === 'token' ? 'api' : 'web', actorLabel: actor.label });
  return { id: result.approval.id, withdrawnAt: result.approval.withdrawnAt, change: result.change, approvals: result.approvals };
});
