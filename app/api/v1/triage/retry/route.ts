// POST /api/v1/triage/retry {change} (scope admin): fetch a GitHub pull request again now.
import { z } from 'zod';
import { apiRoute } from '@/lib/api/route';
import { retryIngest } from '@/lib/github/triage';

export const dynamic = 'force-dynamic';

const Body = z.object({ change: z.union([z.string().trim().min(1).max(200), z.number().int().positive()]) });

export const POST = apiRoute({ scope: 'admin', body: Body }, async ({ db, body, actor }) => {
  const r = await retryIngest(db, body.change, { personId: actor.person.id, label: actor.label });
  return Response.json({ ...r, status: 'queued' }, { status: 202 });
});
