import { listQueue } from '@/db/queries/queue';
import { apiRoute } from '@/lib/api/route';
import { QueueQuery, toQueueFilters } from '@/lib/queue/params';
import { submitViaApi } from '@/lib/changes/api-submit';
import { LIMITS, SubmitChangeBody } from '@/lib/changes/schema';

export const dynamic = 'force-dynamic';

/** The review queue, highest risk first: `{items, nextCursor}` (DESIGN.md, API). */
export const GET = apiRoute({ query: QueueQuery }, async ({ db, query, actor }) => {
  return listQueue(db, toQueueFilters(query, actor.person.id));
});

/** Create or update a change by externalId (DESIGN.md, API): 201 when created, 200 otherwise. Without `author`, the caller is the author. */
export const POST = apiRoute({ scope: 'changes:write', body: SubmitChangeBody, maxBodyBytes: LIMITS.maxBodyBytes }, async ({ db, body, actor, req }) => {
  const result = await submitViaApi(db, body, actor, req);
  return Response.json(result, { status: result.created ? 201 : 200 });
});
