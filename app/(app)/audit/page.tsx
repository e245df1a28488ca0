import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { AuditFilters } from '@/components/audit/audit-filters';
import { AuditNav } from '@/components/audit/audit-nav';
import { AuditTable } from '@/components/audit/audit-table';
import { ChainBadge, ChainBadgeFallback } from '@/components/audit/chain-badge';
import { getDb } from '@/db';
import { decodeAuditCursor, listAuditEvents, listAuditFilterOptions, type AuditFilters as Filters } from '@/db/queries/audit';
import { requireRole } from '@/lib/auth/current';
import { auditFilterParams, AuditFilterQuery, type AuditFilterInput } from '@/lib/reports/audit-filters';
import { verifyChainFully } from './actions';

export const metadata: Metadata = { title: 'Audit trail' };
export const dynamic = 'force-dynamic';

const PAGE = 50;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireRole(['director', 'vp', 'admin'], '/audit');
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const parsed = AuditFilterQuery.safeParse(raw);
  const filters: AuditFilterInput = parsed.success ? parsed.data : {};
  const cursor = typeof raw.cursor === 'string' && decodeAuditCursor(raw.cursor) !== null ? raw.cursor : undefined;
  const db = await getDb();
  const [page, options] = await Promise.all([listAuditEvents(db, { ...(filters as Filters), limit: PAGE, cursor }), listAuditFilterOptions(db)]);
  const params = auditFilterParams(filters as Record<string, string | number | undefined>);
  const exportHref = `/api/v1/audit/export.csv${params.size ? `?${params}` : ''}`;
  const older = page.nextCursor ? `/audit?${auditFilterParams({ ...(filters as Record<string, string | number | undefined>), cursor: page.nextCursor })}` : null;

  return (
    <div>
      <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
        <div>
          <div className="flex items-center gap-3">
            <h1 className="text-lg font-semibold tracking-tight">Audit trail</h1>
            <AuditNav current="timeline" />
          </div>
          <p className="text-sm text-zinc-500 dark:text-zinc-400">Every production change activity, newest first: who changed, who approved, what the gate said, what was deployed.</p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <Suspense fallback={<ChainBadgeFallback />}>
            <ChainBadge verifyAction={verifyChainFully} />
          </Suspense>
          <a
            href={exportHref}
            download
            className="no-print rounded-md border border-zinc-300 bg-white px-2.5 py-1 text-sm font-medium text-zinc-700 hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800"
          >
            Export CSV
          </a>
        </div>
      </div>

      <AuditFilters filters={filters} options={options} />
      {!parsed.success ? (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
          Some filters were not understood and are ignored: {parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.
        </p>
      ) : null}

      <div className="mt-4">
        <AuditTable items={page.items} />
      </div>
      <div className="no-print mt-3 flex items-center justify-between text-sm">
        <span className="text-zinc-500">
          {page.items.length} event{page.items.length === 1 ? '' : 's'} on this page{cursor ? ' (older events)' : ''}
        </span>
        <div className="flex gap-2">
          {cursor ? (
            <Link href={`/audit${params.size ? `?${params}` : ''}`} className="rounded-md px-2.5 py-1 font-medium text-accent-700 hover:bg-accent-50 dark:text-accent-500 dark:hover:bg-zinc-800">
              ← Newest
            </Link>
          ) : null}
          {older ? (
            <Link href={older} className="rounded-md px-2.5 py-1 font-medium text-accent-700 hover:bg-accent-50 dark:text-accent-500 dark:hover:bg-zinc-800" rel="next">
              Older →
            </Link>
          ) : null}
        </div>
      </div>
    </div>
  );
}
