// A Terraform plan as a reviewer reads it: one line per resource action, destroy and replace in red first.
import type { ChangeDetail } from '@/db/queries/change-detail';
import type { TerraformAction } from '@/lib/risk/types';

const ACTION: Record<TerraformAction, { label: string; symbol: string; style: string; rank: number }> = {
  replace: { label: 'replace', symbol: '∓', style: 'bg-red-600 text-white dark:bg-red-500', rank: 0 },
  delete: { label: 'delete', symbol: '−', style: 'bg-red-600 text-white dark:bg-red-500', rank: 1 },
  update: { label: 'update', symbol: '~', style: 'bg-amber-100 text-amber-900 dark:bg-amber-500/20 dark:text-amber-200', rank: 2 },
  create: { label: 'create', symbol: '+', style: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-500/20 dark:text-emerald-200', rank: 3 },
  read: { label: 'read', symbol: '≡', style: 'bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300', rank: 4 },
  'no-op': { label: 'no-op', symbol: '·', style: 'bg-zinc-100 text-zinc-500 dark:bg-zinc-800 dark:text-zinc-400', rank: 5 },
};

export function TerraformPlan({ plan }: { plan: NonNullable<ChangeDetail['terraformPlan']> }) {
  const resources = [...plan.resources].sort((a, b) => ACTION[a.action].rank - ACTION[b.action].rank || a.address.localeCompare(b.address));
  const summary = (['replace', 'delete', 'update', 'create'] as const).filter((a) => (plan.counts[a] ?? 0) > 0).map((a) => `${plan.counts[a]} to ${a}`);
  return (
    <div>
      <p className="mb-2 text-sm text-zinc-600 dark:text-zinc-300">{summary.length ? `Plan: ${summary.join(', ')}.` : 'Plan: no changes.'}</p>
      {resources.length ? (
        <ul className="divide-y divide-zinc-100 overflow-hidden rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800" aria-label="Resource actions">
          {resources.map((r) => {
            const a = ACTION[r.action];
            return (
              <li key={r.address} data-action={r.action} className={`flex items-center gap-3 px-3 py-1.5 text-sm ${r.destructive ? 'bg-red-50/70 dark:bg-red-500/10' : ''}`}>
                <span className={`inline-flex w-20 shrink-0 items-center justify-center gap-1 rounded px-1.5 py-0.5 text-[11px] font-semibold ${a.style}`}>
                  <span aria-hidden>{a.symbol}</span>
                  {a.label}
                </span>
                <span className={`min-w-0 truncate font-mono text-[13px] ${r.destructive ? 'font-semibold text-red-800 dark:text-red-200' : ''}`}>{r.address}</span>
                {r.destructive ? (
                  <span className="ml-auto shrink-0 text-xs text-red-700 dark:text-red-300">{r.action === 'replace' ? 'destroyed, then created again' : 'destroyed'}</span>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}
