import type { Metadata } from 'next';
import Link from 'next/link';
import { getDb } from '@/db';
import { listServices } from '@/db/queries/org';
import { MapForm } from '@/components/triage/map-form';
import { RetryButton } from '@/components/triage/retry-button';
import { requireRole } from '@/lib/auth/current';
import { formatAge, formatDateTime } from '@/lib/format';
import { listPathMappings, listTriage } from '@/lib/github/triage';
import { recentDeliveries } from '@/lib/github/webhook';

export const metadata: Metadata = { title: 'Triage' };
export const dynamic = 'force-dynamic';

const ago = (age: string) => (age === 'just now' ? age : `${age} ago`);

/** The directory most of a change's paths share, as a glob: a sensible first mapping. */
function suggestGlob(paths: string[]): string {
  const first = paths[0]?.split('/') ?? [];
  let depth = 0;
  while (depth < first.length - 1 && paths.every((p) => p.split('/')[depth] === first[depth])) depth++;
  return depth ? `${first.slice(0, depth).join('/')}/**` : '**';
}

export default async function TriagePage() {
  await requireRole(['admin'], '/triage');
  const db = await getDb();
  const [items, svc, mappings, deliveries] = await Promise.all([listTriage(db), listServices(db), listPathMappings(db), recentDeliveries(db, 15)]);
  const slugs = svc.map((s) => s.slug);
  const now = new Date();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-lg font-semibold tracking-tight">Triage</h1>
        <p className="max-w-3xl text-sm text-zinc-500 dark:text-zinc-400">
          Changes ingestion could not place: pull requests with paths no service is mapped to (their risk ignores the tiers and blast radius of what is unmapped), and pull requests whose diff could not be fetched. The gate blocks both until they are triaged here.
        </p>
      </div>

      <section aria-labelledby="waiting-title">
        <h2 id="waiting-title" className="mb-2 text-sm font-semibold">
          Waiting for an admin <span className="font-normal text-zinc-500 tabular">({items.length})</span>
        </h2>
        {items.length ? (
          <ul className="divide-y divide-zinc-100 rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
            {items.map((i) => (
              <li key={i.id} className="space-y-2 p-4" data-testid="triage-item">
                <div className="flex flex-wrap items-center gap-2">
                  {i.unmapped ? (
                    <span className="rounded bg-amber-100 px-1.5 py-0.5 text-[11px] font-semibold text-amber-900 dark:bg-amber-500/20 dark:text-amber-200">
                      {i.unmappedPaths ? `${i.unmappedPaths} of ${i.filesChanged} paths unmapped` : 'Unmapped'}
                    </span>
                  ) : null}
                  {i.ingestError ? <span className="rounded bg-red-100 px-1.5 py-0.5 text-[11px] font-semibold text-red-800 dark:bg-red-500/20 dark:text-red-300">Ingest error</span> : null}
                  <Link href={`/changes/${i.id}`} className="font-medium hover:underline">
                    {i.title}
                  </Link>
                  <span className="font-mono text-xs text-zinc-500">{i.externalId}</span>
                  <span className="ml-auto text-xs text-zinc-500 tabular">
                    {i.source} · {ago(formatAge(i.createdAt, now))}
                  </span>
                </div>
                {i.ingestError ? <p className="rounded bg-red-50 px-2 py-1 font-mono text-xs text-red-800 dark:bg-red-500/10 dark:text-red-300">{i.ingestError}</p> : null}
                {i.unmapped ? <p className="text-xs text-amber-800 dark:text-amber-300">The gate blocks it (<code>unmapped</code>) until its paths are mapped to services.</p> : null}
                {i.ingestError ? <p className="text-xs text-red-800 dark:text-red-300">The gate blocks it (<code>ingest_pending</code>) until its latest content is fetched.</p> : null}
                {i.paths.length ? (
                  <p className="font-mono text-xs text-zinc-600 dark:text-zinc-400">
                    {i.paths.join('  ')}
                    {(i.unmappedPaths || i.filesChanged) > i.paths.length ? <span className="text-zinc-400"> and {(i.unmappedPaths || i.filesChanged) - i.paths.length} more</span> : null}
                  </p>
                ) : null}
                <div className="flex flex-wrap items-end gap-4">
                  {i.unmapped && i.repo ? <MapForm repo={i.repo} suggestedGlob={suggestGlob(i.paths)} services={slugs} /> : null}
                  {i.unmapped && !i.repo ? <p className="text-xs text-zinc-500">No repository: re-submit it with its services (POST /api/v1/changes).</p> : null}
                  {i.ingestError && i.source === 'github' ? <RetryButton change={i.id} /> : null}
                </div>
              </li>
            ))}
          </ul>
        ) : (
          <p className="rounded-lg border border-dashed border-zinc-300 p-6 text-center text-sm text-zinc-500 dark:border-zinc-700">
            Nothing to triage: every open change is mapped to a service and its content arrived.
          </p>
        )}
      </section>

      <div className="grid gap-4 lg:grid-cols-2">
        <section aria-labelledby="mappings-title" className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
          <h2 id="mappings-title" className="mb-2 text-sm font-semibold">Path mappings</h2>
          {mappings.length ? (
            <table className="w-full text-left text-sm">
              <thead className="text-xs text-zinc-500 dark:text-zinc-400">
                <tr>
                  <th className="py-1 pr-3 font-medium">Repository</th>
                  <th className="py-1 pr-3 font-medium">Paths</th>
                  <th className="py-1 font-medium">Service</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                {mappings.map((m) => (
                  <tr key={m.id}>
                    <td className="py-1 pr-3 font-mono text-xs">{m.repo}</td>
                    <td className="py-1 pr-3 font-mono text-xs">{m.pathGlob}</td>
                    <td className="py-1">{m.service}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="text-sm text-zinc-500 dark:text-zinc-400">
              None yet. Repositories named by the catalog (<code className="font-mono">github.com/project-slug</code>) map without one; add one here for monorepos and repositories the catalog does not name.
            </p>
          )}
        </section>
        <section aria-labelledby="deliveries-title" className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
          <h2 id="deliveries-title" className="mb-2 text-sm font-semibold">Recent GitHub deliveries</h2>
          {deliveries.length ? (
            <ul className="space-y-1.5 text-xs">
              {deliveries.map((d) => (
                <li key={d.deliveryId} className="flex gap-2">
                  <span className="shrink-0 tabular text-zinc-500">{formatDateTime(d.receivedAt).slice(5, 16)}</span>
                  <span className="shrink-0 font-mono">
                    {d.event}
                    {d.action ? `.${d.action}` : ''}
                  </span>
                  <span className={`min-w-0 truncate ${/^failed|^retrying/.test(d.outcome) ? 'text-red-700 dark:text-red-400' : 'text-zinc-600 dark:text-zinc-400'}`} title={d.outcome}>
                    {d.outcome}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-zinc-500 dark:text-zinc-400">
              No delivery yet. Point a GitHub webhook at <code className="font-mono">/api/webhooks/github</code> with the secret in <code className="font-mono">GITHUB_WEBHOOK_SECRET</code> (see docs/integrations.md).
            </p>
          )}
        </section>
      </div>
    </div>
  );
}
