import { z } from 'zod';
import { apiRoute } from '@/lib/api/route';
import { resolveChangeId } from '@/lib/api/change-param';
import { closeBreakGlass, listBreakGlass, MIN_JUSTIFICATION, openBreakGlass } from '@/lib/approvals/break-glass';

export const dynamic = 'force-dynamic';

const LEADERSHIP = ['director', 'vp'] as const;

const OpenBody = z.object({
  justification: z.string().trim().min(MIN_JUSTIFICATION, `justification: say why in at least ${MIN_JUSTIFICATION} characters`).max(2000),
  hours: z.number().positive().max(24 * 7).nullish(),
  incidentRef: z.string().trim().max(200).nullish(),
});

/** Every override on the change, newest first, with its follow-up review. */
export const GET = apiRoute<undefined, undefined, { id: string }>({}, async ({ db, params }) => {
  const changeId = await resolveChangeId(db, params.id);
  return { items: await listBreakGlass(db, changeId), nextCursor: null };
});

/** Open an emergency override (directors and VPs): justified, time-boxed, audited. */
export const POST = apiRoute<z.infer<typeof OpenBody>, undefined, { id: string }>(
  { scope: 'approve', roles: LEADERSHIP, body: OpenBody, maxBodyBytes: 16 * 1024 },
  async ({ db, params, body, actor }) => {
    const changeId = await resolveChangeId(db, params.id);
    const row = await openBreakGlass(db, { changeId, personId: actor.person.id, justification: body.justification, hours: body.hours, incidentRef: body.incidentRef, actorLabel: actor.label });
    return Response.json(
      { id: row.id, changeId: row.changeId, justification: row.justification, incidentRef: row.incidentRef, openedAt: row.openedAt, expiresAt: row.expiresAt },
      { status: 201 },
    );
  },
);

/** Close the active override before it expires. */
export const DELETE = apiRoute<undefined, undefined, { id: string }>({ scope: 'approve', roles: LEADERSHIP }, async ({ db, params, actor }) => {
  const changeId = await resolveChangeId(db, params.id);
  const row = await closeBreakGlass(db, { changeId, personId: actor.person.id, actorLabel: actor.label });
  return { id: row.id, closedAt: row.closedAt };
});
