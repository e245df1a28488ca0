import type { Metadata } from 'next';
import Link from 'next/link';
import { getDb } from '@/db';
import { listQueue } from '@/db/queries/queue';
import { AiBadge, RiskBadge, TierBadge } from '@/components/ui/badges';
import { requireSession } from '@/lib/auth/current';
import { formatAge } from '@/lib/format';

export const metadata: Metadata = { title: 'Review queue' };
export const dynamic = 'force-dynamic';

export default async function QueuePage() {
  await requireSession('/queue');
  const { items } = await listQueue(await getDb(), { status: 'pending', limit: 50 });
  const now = new Date();
  return (
    <div>
      <div className="mb-4 flex items-baseline justify-between">
        <div>
          <h1 className="text-lg font-semibold tracking-tight">Review queue</h1>
          <p className="text-sm text-zinc-500 dark:text-zinc-400">Pending changes, most dangerous first.</p>
        </div>
      </div>
      <div className="overflow-hidden rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-zinc-200 bg-zinc-50 text-xs text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900/60 dark:text-zinc-400">
            <tr>
              <th className="px-3 py-2 font-medium">Risk</th>
              <th className="px-3 py-2 font-medium">Change</th>
              <th className="px-3 py-2 font-medium">Services</th>
              <th className="px-3 py-2 font-medium">AI</th>
              <th className="px-3 py-2 font-medium">Author</th>
              <th className="px-3 py-2 text-right font-medium">Blast radius</th>
              <th className="px-3 py-2 text-right font-medium">Approvals</th>
              <th className="px-3 py-2 text-right font-medium">Age</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {items.map((c) => (
              <tr key={c.id} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/50">
                <td className="px-3 py-2">
                  <RiskBadge score={c.riskScore} level={c.riskLevel} />
                </td>
                <td className="max-w-[420px] px-3 py-2">
                  <Link href={`/changes/${c.id}`} className="block truncate font-medium hover:underline">
                    {c.title}
                  </Link>
                  <span className="font-mono text-xs text-zinc-500">{c.externalId}</span>
                </td>
                <td className="px-3 py-2">
                  <div className="flex flex-wrap gap-1">
                    {c.services.map((s) => (
                      <TierBadge key={s.slug} tier={s.tier} label={s.slug} />
                    ))}
                  </div>
                </td>
                <td className="px-3 py-2">
                  <AiBadge level={c.aiLevel} tool={c.aiTool} />
                </td>
                <td className="px-3 py-2 text-zinc-600 dark:text-zinc-300">{c.author.handle}</td>
                <td className="px-3 py-2 text-right tabular">
                  {c.blastRadius.total} <span className="text-zinc-400">/</span> <span className="text-rose-600 dark:text-rose-400">{c.blastRadius.tier1}</span>
                </td>
                <td className="px-3 py-2 text-right tabular">
                  {c.approvals.valid} of {c.approvals.required}
                </td>
                <td className="px-3 py-2 text-right text-zinc-500 tabular">{formatAge(c.createdAt, now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {items.length === 0 ? <p className="p-8 text-center text-sm text-zinc-500">Nothing is waiting for review.</p> : null}
      </div>
    </div>
  );
}
