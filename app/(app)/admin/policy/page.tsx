import type { Metadata } from 'next';
import { getDb } from '@/db';
import { requireRole } from '@/lib/auth/current';
import { getPolicy } from '@/lib/policy';
import { describePolicy } from '@/lib/policy/describe';

export const metadata: Metadata = { title: 'Sign-off policy' };
export const dynamic = 'force-dynamic';

const TIERS = [1, 2, 3] as const;

export default async function PolicyPage() {
  await requireRole(['admin'], '/admin/policy');
  const policy = await getPolicy(await getDb());
  const a = policy.approvals;
  const sections = describePolicy(policy);
  return (
    <div className="grid items-start gap-5 lg:grid-cols-[minmax(0,1fr)_360px]">
      <div className="space-y-4">
        {sections.map((s) => (
          <section key={s.title} className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
            <h2 className="mb-2 text-sm font-semibold">{s.title}</h2>
            <ul className="list-disc space-y-1 pl-5 text-sm text-zinc-700 dark:text-zinc-300">
              {s.rules.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          </section>
        ))}
      </div>
      <aside className="space-y-4">
        <section className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
          <h2 className="mb-2 text-sm font-semibold">In numbers</h2>
          <table className="w-full text-sm tabular">
            <thead className="text-xs text-zinc-500 dark:text-zinc-400">
              <tr>
                <th className="py-1 text-left font-medium">Production</th>
                <th className="py-1 text-right font-medium">Approvals</th>
                <th className="py-1 text-right font-medium">Approver level</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {TIERS.map((t) => (
                <tr key={t}>
                  <td className="py-1.5">Tier {t}</td>
                  <td className="py-1.5 text-right font-semibold">{a.approvalsByTier[t]}</td>
                  <td className="py-1.5 text-right">L{a.minLevelByTier[t]}+</td>
                </tr>
              ))}
              <tr>
                <td className="py-1.5">Critical or destructive</td>
                <td className="py-1.5 text-right font-semibold">{a.criticalApprovals}</td>
                <td className="py-1.5 text-right">L{a.minLevelByTier[1]}+</td>
              </tr>
              <tr>
                <td className="py-1.5">AI agent as author</td>
                <td className="py-1.5 text-right font-semibold">≥ {a.agentMinApprovals}</td>
                <td className="py-1.5 text-right">—</td>
              </tr>
            </tbody>
          </table>
          <dl className="mt-3 grid grid-cols-[1fr_auto] gap-x-3 gap-y-1 text-sm">
            <dt className="text-zinc-500 dark:text-zinc-400">Pre-deploy validation for Tier-1</dt>
            <dd className="text-right font-medium">{a.requirePreDeployForTier1 ? 'required' : 'not required'}</dd>
            <dt className="text-zinc-500 dark:text-zinc-400">Tier-1 by blast radius within</dt>
            <dd className="text-right font-medium tabular">{a.tier1BlastDepth} hop{a.tier1BlastDepth === 1 ? '' : 's'}</dd>
            <dt className="text-zinc-500 dark:text-zinc-400">Break-glass default / max</dt>
            <dd className="text-right font-medium tabular">
              {a.breakGlassDefaultHours} h / {a.breakGlassMaxHours} h
            </dd>
            <dt className="text-zinc-500 dark:text-zinc-400">Approver roles</dt>
            <dd className="text-right font-medium">{a.approverRoles.join(', ')}</dd>
          </dl>
        </section>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          Defaults live in <code className="font-mono">lib/policy</code>; an organisation overrides them in the <code className="font-mono">settings</code> row <code className="font-mono">policy</code>. The same numbers drive the approval transaction, the deploy gate and this page (<code className="font-mono">GET /api/v1/policy</code>).
        </p>
      </aside>
    </div>
  );
}
