import type { Metadata } from 'next';
import Link from 'next/link';
import { getDb } from '@/db';
import { listIncidents } from '@/db/queries/incidents';
import { SeverityBadge } from '@/components/incidents/severity-badge';
import { requireSession } from '@/lib/auth/current';
import { formatCount, formatDuration } from '@/lib/format';

export const metadata: Metadata = { title: 'Incidents' };
export const dynamic = 'force-dynamic';

export default async function IncidentsPage() {
  await requireSession('/incidents');
  const items = await listIncidents(await getDb(), { limit: 200 });
  return (
    <div>
      <div className="mb-4">
        <h1 className="text-lg font-semibold tracking-tight">Incidents</h1>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">What broke, what it cost and which change caused it, newest first. Their history weighs on the risk of every change to the same services.</p>
      </div>
      <div className="overflow-hidden rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-zinc-200 bg-zinc-50 text-xs text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900/60 dark:text-zinc-400">
            <tr>
              <th className="px-3 py-2 font-medium">Severity</th>
              <th className="px-3 py-2 font-medium">Incident</th>
              <th className="px-3 py-2 font-medium">Services</th>
              <th className="px-3 py-2 font-medium">Started</th>
              <th className="px-3 py-2 text-right font-medium">Duration</th>
              <th className="px-3 py-2 text-right font-medium">Lost orders</th>
              <th className="px-3 py-2 font-medium">Cause</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {items.map((i) => (
              <tr key={i.id} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/50">
                <td className="px-3 py-2">
                  <SeverityBadge severity={i.severity} />
                </td>
                <td className="max-w-[440px] px-3 py-2">
                  <Link href={`/incidents/${encodeURIComponent(i.externalId)}`} className="block truncate font-medium hover:underline">
                    {i.title}
                  </Link>
                  <span className="font-mono text-xs text-zinc-500">{i.externalId}</span>
                </td>
                <td className="max-w-[260px] truncate px-3 py-2 text-xs text-zinc-600 dark:text-zinc-300" title={i.services.join(', ')}>
                  {i.services.join(', ')}
                </td>
                <td className="px-3 py-2 text-zinc-600 tabular dark:text-zinc-300">{i.startedAt.toISOString().slice(0, 10)}</td>
                <td className="px-3 py-2 text-right tabular">{i.resolvedAt ? formatDuration(i.resolvedAt.getTime() - i.startedAt.getTime()) : <span className="text-red-700 dark:text-red-400">ongoing</span>}</td>
                <td className="px-3 py-2 text-right tabular">{i.lostOrders !== null ? formatCount(i.lostOrders) : <span className="text-zinc-400">—</span>}</td>
                <td className="px-3 py-2 text-xs">
                  {i.causeChange ? (
                    <Link href={`/changes/${i.causeChange.id}`} className="font-mono text-accent-700 hover:underline dark:text-accent-500">
                      {i.causeChange.externalId}
                    </Link>
                  ) : (
                    <span className="text-zinc-400">not linked</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {items.length === 0 ? (
          <p className="p-8 text-center text-sm text-zinc-500">
            No incidents recorded. Import your tracker’s export with <code className="font-mono">countersign incidents import incidents.csv</code> or send them to <code className="font-mono">POST /api/v1/incidents</code>.
          </p>
        ) : null}
      </div>
    </div>
  );
}
