// POST /api/v1/incidents/{id}/link {change: id | externalId | null}: names (or clears) the
// change that caused the incident; open changes on its services are re-scored.
import { z } from 'zod';
import type { Role } from '@/db/schema/enums';
import { apiRoute } from '@/lib/api/route';
import { INCIDENT_WRITER_ROLES } from '@/lib/incidents/access';
import { linkIncident } from '@/lib/incidents/record';

export const dynamic = 'force-dynamic';

const Body = z.object({ change: z.union([z.string().trim().min(1).max(200), z.number().int().positive(), z.null()]) });

export const POST = apiRoute<z.infer<typeof Body>, undefined, { id: string }>(
  { scope: 'changes:write', roles: INCIDENT_WRITER_ROLES, body: Body },
  async ({ db, body, params, actor }) => {
    const r = await linkIncident(db, decodeURIComponent(params.id), body.change, { personId: actor.person.id, label: actor.label, editor: { role: actor.person.role as Role, team: actor.person.team } });
    return { incident: r.incident, change: r.change, previous: r.previous, rescored: r.rescored.map((x) => ({ id: x.id, externalId: x.externalId, before: x.before, after: x.after })) };
  },
);
