// POST /api/v1/incidents: one incident, or {incidents: [...]} (idempotent by id; a batch is
// all-or-nothing). GET lists the latest incidents, newest first, optionally on one service.
import { desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { changes, incidents, incidentServices, services } from '@/db/schema';
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
    { personId: actor.person.id, label: actor.label },
  );
  const created = result.items.some((i) => i.created);
  return Response.json({ items: result.items, rescored: result.rescored.length }, { status: created ? 201 : 200 });
});

const ListQuery = z.object({ service: z.string().max(100).optional(), limit: listQuery.limit });

export const GET = apiRoute({ query: ListQuery }, async ({ db, query }) => {
  const onService = query.service
    ? db.select({ id: incidentServices.incidentId }).from(incidentServices).innerJoin(services, eq(services.id, incidentServices.serviceId)).where(eq(services.slug, query.service))
    : null;
  const rows = await db
    .select({
      id: incidents.id,
      externalId: incidents.externalId,
      title: incidents.title,
      severity: incidents.severity,
      startedAt: incidents.startedAt,
      resolvedAt: incidents.resolvedAt,
      lostOrders: incidents.lostOrders,
      impact: incidents.impact,
      causeChange: { id: changes.id, externalId: changes.externalId },
    })
    .from(incidents)
    .leftJoin(changes, eq(changes.id, incidents.causeChangeId))
    .where(onService ? inArray(incidents.id, onService) : undefined)
    .orderBy(desc(incidents.startedAt), desc(incidents.id))
    .limit(query.limit);
  const page = rows;
  const svc = page.length
    ? await db.select({ incidentId: incidentServices.incidentId, slug: services.slug }).from(incidentServices).innerJoin(services, eq(services.id, incidentServices.serviceId)).where(inArray(incidentServices.incidentId, page.map((r) => r.id)))
    : [];
  return {
    items: page.map((r) => ({ ...r, causeChange: r.causeChange?.id ? r.causeChange : null, services: svc.filter((s) => s.incidentId === r.id).map((s) => s.slug).sort() })),
    nextCursor: null,
  };
});
