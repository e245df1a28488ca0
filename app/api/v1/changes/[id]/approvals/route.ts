import { z } from 'zod';
import { getSignOffView } from '@/db/queries/sign-off';
import { DECISIONS } from '@/db/schema/enums';
import { apiRoute } from '@/lib/api/route';
import { resolveChangeId } from '@/lib/api/change-param';
import { MAX_COMMENT_LENGTH, recordDecision } from '@/lib/approvals/record';
import { notFound } from '@/lib/errors';

export const dynamic = 'force-dynamic';

const DecisionBody = z.object({
  decision: z.enum(DECISIONS),
  comment: z.string().max(MAX_COMMENT_LENGTH).nullish(),
  revisionSha: z.string().trim().regex(/^[0-9a-fA-F]{64}$/, 'revisionSha is the 64-hex SHA-256 of the revision you reviewed'),
});

/** Every decision on the change (superseded and withdrawn ones marked), the requirement, and what the caller may do. */
export const GET = apiRoute<undefined, undefined, { id: string }>({}, async ({ db, params, actor }) => {
  const changeId = await resolveChangeId(db, params.id);
  const view = await getSignOffView(db, { changeId, viewer: actor.person });
  if (!view) throw notFound('Change');
  return { ...view, items: view.decisions, nextCursor: null };
});

/** Approve or reject the current revision (a reject needs a comment). */
export const POST = apiRoute<z.infer<typeof DecisionBody>, undefined, { id: string }>(
  { scope: 'approve', body: DecisionBody, maxBodyBytes: 64 * 1024 },
  async ({ db, params, body, actor }) => {
    const changeId = await resolveChangeId(db, params.id);
    const result = await recordDecision(db, {
      changeId,
      personId: actor.person.id,
      decision: body.decision,
      comment: body.comment,
      revisionSha: body.revisionSha,
      via: actor.via === 'token' ? 'api' : 'web',
      actorLabel: actor.label,
    });
    return Response.json(
      {
        id: result.approval.id,
        decision: result.approval.decision,
        revisionId: result.approval.revisionId,
        createdAt: result.approval.createdAt,
        change: result.change,
        approvals: result.approvals,
      },
      { status: 201 },
    );
  },
);
