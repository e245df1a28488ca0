// The change at a glance: what, where, by whom (and by which AI, with the evidence), and where it stands.
import type { ChangeDetail } from '@/db/queries/change-detail';
import type { ChangeStatus } from '@/db/schema/enums';
import { AiBadge, RiskBadge, TierBadge } from '@/components/ui/badges';
import { formatAge, formatDateTime } from '@/lib/format';
import { RevisionSelect } from './revision-select';

const STATUS: Record<ChangeStatus, { label: string; style: string }> = {
  pending: { label: 'Pending review', style: 'bg-amber-50 text-amber-800 ring-amber-600/25 dark:bg-amber-500/10 dark:text-amber-300 dark:ring-amber-400/25' },
  approved: { label: 'Approved', style: 'bg-emerald-50 text-emerald-800 ring-emerald-600/25 dark:bg-emerald-500/10 dark:text-emerald-300 dark:ring-emerald-400/25' },
  rejected: { label: 'Rejected', style: 'bg-red-50 text-red-800 ring-red-600/25 dark:bg-red-500/10 dark:text-red-300 dark:ring-red-400/25' },
  deployed: { label: 'Deployed', style: 'bg-zinc-100 text-zinc-700 ring-zinc-500/25 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-500/30' },
  rolled_back: { label: 'Rolled back', style: 'bg-red-50 text-red-800 ring-red-600/25 dark:bg-red-500/10 dark:text-red-300 dark:ring-red-400/25' },
};

const VALIDATION = (v: boolean | null) => (v === true ? 'pre-deploy validation: yes' : v === false ? 'pre-deploy validation: no' : 'pre-deploy validation: not declared');

export function ChangeHeader({ change, now }: { change: ChangeDetail; now: Date }) {
  const status = STATUS[change.status];
  return (
    <header className="mb-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 flex-1">
          <div className="mb-1 flex flex-wrap items-center gap-2 text-xs text-zinc-500 dark:text-zinc-400">
            {change.url ? (
              <a href={change.url} target="_blank" rel="noreferrer" className="font-mono hover:text-accent-600 hover:underline" title="Open the pull request">
                {change.externalId} ↗
              </a>
            ) : (
              <span className="font-mono">{change.externalId}</span>
            )}
            <span className={`rounded-md px-1.5 py-0.5 text-[11px] font-medium ring-1 ring-inset ${status.style}`}>{status.label}</span>
            {change.unmapped ? <span className="rounded bg-amber-50 px-1.5 py-0.5 text-[11px] font-medium text-amber-800 dark:bg-amber-500/10 dark:text-amber-300" title={change.unmappedPaths.join('\n') || undefined}>
                {change.unmappedPaths.length ? `Partly unmapped: ${change.unmappedPaths.length} path${change.unmappedPaths.length === 1 ? '' : 's'} match no service` : 'Unmapped: no service matched'}
              </span> : null}
          </div>
          <h1 className="text-xl leading-tight font-semibold tracking-tight">{change.title}</h1>
        </div>
        <div className="flex min-w-0 max-w-full flex-wrap items-center gap-3">
          <RiskBadge score={change.risk.score} level={change.risk.level} />
          {change.revisions.length && change.revision ? <RevisionSelect revisions={change.revisions} shown={change.revision.number} /> : null}
        </div>
      </div>

      <dl className="mt-3 flex flex-wrap items-center gap-x-5 gap-y-2 text-sm">
        <Item label="Author">
          <span className="font-medium">{change.author.name}</span> <span className="text-zinc-500 dark:text-zinc-400">@{change.author.handle}</span>
          {change.coAuthors.length ? (
            <span className="text-zinc-500 dark:text-zinc-400"> with {change.coAuthors.map((c) => `@${c.handle}`).join(', ')}</span>
          ) : null}
        </Item>
        <Item label="AI">
          <AiBadge level={change.ai.level} tool={change.ai.tool} />
          {change.ai.evidence.length ? (
            <span className="ml-1.5 text-xs text-zinc-500 dark:text-zinc-400" title={change.ai.evidence.map((e) => `${e.source}: ${e.detail}`).join('\n')}>
              {change.ai.evidence[0]!.detail}
              {change.ai.evidence.length > 1 ? ` (+${change.ai.evidence.length - 1} more)` : ''}
            </span>
          ) : null}
        </Item>
        <Item label="Services">
          <span className="inline-flex flex-wrap gap-1">
            {change.services.length ? change.services.map((s) => <TierBadge key={s.slug} tier={s.tier} label={s.slug} />) : <span className="text-zinc-500">none</span>}
          </span>
        </Item>
        <Item label="Target">
          <span className="font-medium">{change.environment}</span>
          <span className="text-zinc-500 dark:text-zinc-400"> · {change.kind} · {VALIDATION(change.preDeployValidation)}</span>
        </Item>
        <Item label="Opened">
          <time dateTime={change.createdAt} title={formatDateTime(change.createdAt)}>
            {formatAge(change.createdAt, now)} ago
          </time>
        </Item>
      </dl>

      {change.ingestError ? (
        <p role="alert" className="mt-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-500/10 dark:text-amber-200">
          {change.ingestError}
        </p>
      ) : null}
      {change.description.trim() ? (
        <details className="mt-3 text-sm text-zinc-700 dark:text-zinc-300">
          <summary className="cursor-pointer text-xs font-medium text-zinc-500 select-none hover:text-zinc-800 dark:text-zinc-400 dark:hover:text-zinc-200">Description</summary>
          <p className="mt-1 max-w-3xl whitespace-pre-line">{change.description}</p>
        </details>
      ) : null}
    </header>
  );
}

function Item({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex items-baseline gap-1.5">
      <dt className="text-xs text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
