import type { Metadata } from 'next';
import Link from 'next/link';
import { getDb } from '@/db';
import { getCatalogSummary } from '@/db/queries/catalog';
import { CatalogImportForm } from '@/components/admin/catalog-import-form';
import { requireRole } from '@/lib/auth/current';
import { getTierAnnotation } from '@/lib/catalog/import';
import { formatDateTime } from '@/lib/format';

export const metadata: Metadata = { title: 'Service catalog' };
export const dynamic = 'force-dynamic';

export default async function CatalogAdminPage() {
  await requireRole(['admin'], '/admin/catalog');
  const db = await getDb();
  const [summary, tierAnnotation] = await Promise.all([getCatalogSummary(db), getTierAnnotation(db)]);
  const s = summary.services;
  return (
    <div className="space-y-5">
      <div>
        <div className="flex items-baseline justify-between gap-3">
          <h2 className="text-base font-semibold tracking-tight">Service catalog</h2>
          <Link href="/triage" className="text-sm text-accent-700 hover:underline dark:text-accent-500">
            Triage unmapped pull requests →
          </Link>
        </div>
        <p className="max-w-3xl text-sm text-zinc-500 dark:text-zinc-400">
          Import a Backstage <code className="font-mono">catalog-info.yaml</code>: Components and Resources become services (tier from the{' '}
          <code className="font-mono">{tierAnnotation}</code> annotation, repository from <code className="font-mono">github.com/project-slug</code>), Groups become teams,{' '}
          <code className="font-mono">dependsOn</code> and provided/consumed APIs become dependencies. Importing again updates in place; open changes whose blast radius moves are re-scored.
        </p>
      </div>

      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-6">
        {[
          ['Services', s.total],
          ['Tier 1', s.tier1],
          ['Tier 2', s.tier2],
          ['Tier 3', s.tier3],
          ['Dependencies', summary.dependencies],
          ['Teams', summary.teams],
        ].map(([label, n]) => (
          <div key={label} className="rounded-lg border border-zinc-200 bg-white px-3 py-2 dark:border-zinc-800 dark:bg-zinc-900">
            <dt className="text-xs text-zinc-500 dark:text-zinc-400">{label}</dt>
            <dd className="text-xl font-semibold tabular">{n}</dd>
          </div>
        ))}
      </dl>

      <section className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900" aria-labelledby="import-title">
        <h3 id="import-title" className="mb-3 text-sm font-semibold">Import</h3>
        <CatalogImportForm />
        <p className="mt-3 text-xs text-zinc-500 dark:text-zinc-400">
          From a pipeline: <code className="font-mono">countersign catalog import catalog-info.yaml --token $COUNTERSIGN_TOKEN</code> or{' '}
          <code className="font-mono">POST /api/v1/catalog/import</code> with an admin token.
        </p>
      </section>

      <section className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900" aria-labelledby="history-title">
        <h3 id="history-title" className="mb-2 text-sm font-semibold">Recent imports</h3>
        {summary.imports.length ? (
          <table className="w-full text-left text-sm">
            <thead className="text-xs text-zinc-500 dark:text-zinc-400">
              <tr>
                <th className="py-1 pr-3 font-medium">When</th>
                <th className="py-1 pr-3 font-medium">Source</th>
                <th className="py-1 pr-3 font-medium">By</th>
                <th className="py-1 pr-3 text-right font-medium">Added</th>
                <th className="py-1 pr-3 text-right font-medium">Changed</th>
                <th className="py-1 pr-3 text-right font-medium">Removed</th>
                <th className="py-1 text-right font-medium">Invalid</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {summary.imports.map((i, k) => (
                <tr key={k}>
                  <td className="py-1 pr-3 tabular text-zinc-600 dark:text-zinc-300">{formatDateTime(i.at)}</td>
                  <td className="py-1 pr-3 font-mono text-xs">{i.source}</td>
                  <td className="py-1 pr-3">{i.actor}</td>
                  <td className="py-1 pr-3 text-right tabular">{i.added}</td>
                  <td className="py-1 pr-3 text-right tabular">{i.changed}</td>
                  <td className="py-1 pr-3 text-right tabular">{i.removed}</td>
                  <td className={`py-1 text-right tabular ${i.invalid ? 'text-red-700 dark:text-red-400' : ''}`}>{i.invalid}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">No import yet: the services you see came with the demo organisation or were added by hand.</p>
        )}
      </section>
    </div>
  );
}
