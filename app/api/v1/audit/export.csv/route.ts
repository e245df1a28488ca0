import { auditCsvStream, type AuditFilters } from '@/db/queries/audit';
import { apiRoute } from '@/lib/api/route';
import { AuditFilterQuery } from '@/lib/reports/audit-filters';

export const dynamic = 'force-dynamic';

/** The filtered audit timeline as CSV, streamed page by page: a year of events never sits in memory. */
export const GET = apiRoute({ scope: 'audit:read', query: AuditFilterQuery }, async ({ db, query }) => {
  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
  return new Response(auditCsvStream(db, query as AuditFilters), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="countersign-audit-${stamp}.csv"`,
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    },
  });
});
