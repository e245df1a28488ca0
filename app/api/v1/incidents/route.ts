// POST /api/v1/incidents: one incident, or {incidents: [...]} (idempotent by id; a batch is
// all-or-nothing). GET lists the latest incidents, newest first, optionally on one service.
import type { Role } from '@/db/schema/enums';
import { z } from 'zod';
import { listIncidents } from '@/db/queries/incidents';
import { apiRoute, listQuery, parseWith } from '@/lib/api/route';
import { INCIDENT_WRITER_ROLES } from '@/lib/incidents/access';
import { recordIncidents } from '@/lib/incidents/record';
import { IncidentInput } from '@/lib/incidents/schema';

export const dynamic = 'force-dynamic';

const Batch = z.object({ incidents: z.array(IncidentInput).min(1).max(1000) });

export const POST = apiRoute({ scope: 'changes:write', roles: INCIDENT_WRITER_ROLES, body: z.unknown() }, async ({ db, body, actor }) => {
  const list = body && typeof body === 'object' && 'incidents' in body ? parseWith(Batch, body, 'body').incidents : [parseWith(IncidentInput, body, 'body')];
  const result = await recordIncidents(
    db,
    list.map((input) => ({ line: null, input })),
    { personId: actor.person.id, label: actor.label, editor: { role: actor.person.role as Role, team: actor.person.team } },
  );
  const created = result.items.some((i) => i.created);
  return Response.json({ items: result.items, rescored: result.rescored.length }, { status: created ? 201 : 200 });
});

const ListQuery = z.object({ service: z.string().max(100).optional(), limit: listQuery.limit });

export const GET = apiRoute({ query: ListQuery }, async ({ db, query }) => ({
  items: await listIncidents(db, { limit: query.limit, service: query.service }),
  nextCursor: null,
}));
