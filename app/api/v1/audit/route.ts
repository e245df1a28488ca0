import { listAuditEvents, decodeAuditCursor, type AuditFilters } from '@/db/queries/audit';
import { apiRoute } from '@/lib/api/route';
import { badRequest } from '@/lib/errors';
import { AuditListQuery } from '@/lib/reports/audit-filters';

export const dynamic = 'force-dynamic';

/** The audit timeline, newest first: `{items, nextCursor}`, keyset-paginated on (occurred_at, id). */
export const GET = apiRoute({ scope: 'audit:read', query: AuditListQuery }, async ({ db, query }) => {
  if (query.cursor && decodeAuditCursor(query.cursor) === null) throw badRequest('invalid_cursor', 'The cursor is not one this API gave out; start again without it.');
  return listAuditEvents(db, query as AuditFilters & { limit: number; cursor?: string });
});
