// POST /api/v1/incidents/import: an incident tracker's export as the raw body — text/csv, or
// application/json (an array or {incidents: [...]}). Valid rows are recorded (idempotent by id);
// bad rows come back with their line and reason.
import type { Role } from '@/db/schema/enums';
import { apiRoute, readTextBody } from '@/lib/api/route';
import { AppError, badRequest } from '@/lib/errors';
import { INCIDENT_WRITER_ROLES } from '@/lib/incidents/access';
import { formatOf, importIncidents } from '@/lib/incidents/import';
import { INCIDENT_LIMITS } from '@/lib/incidents/schema';

export const dynamic = 'force-dynamic';

export const POST = apiRoute({ scope: 'changes:write', roles: INCIDENT_WRITER_ROLES }, async ({ req, db, actor }) => {
  const format = formatOf(new URL(req.url).searchParams.get('format') ?? req.headers.get('content-type') ?? '');
  if (!format) throw new AppError(415, 'unsupported_media_type', 'Send the export as text/csv or application/json (or say ?format=csv|json).');
  const text = await readTextBody(req, INCIDENT_LIMITS.maxBytes);
  if (!text.trim()) throw badRequest('empty_body', 'The file is empty.');
  const result = await importIncidents(db, text, format, { personId: actor.person.id, label: actor.label, editor: { role: actor.person.role as Role, team: actor.person.team } });
  return {
    recorded: result.items.filter((i) => i.created).length,
    updated: result.items.filter((i) => !i.created && i.changed.length).length,
    unchanged: result.items.filter((i) => !i.created && !i.changed.length).length,
    items: result.items,
    invalid: result.invalid,
    ignoredFields: result.ignoredFields,
    rescored: result.rescored.length,
  };
});
