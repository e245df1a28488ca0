// What broke before around this change: incidents on the touched services and their direct dependents,
// newest first, with severity, duration, impact, the change that caused it and the lessons learned.
import Link from 'next/link';
import type { ChangeDetail } from '@/db/queries/change-detail';
import type { IncidentHistoryItem } from '@/db/queries/incident-history';
import { formatCount, formatDuration } from '@/lib/format';

const SEV_STYLE: Record<number, string> = {
  1: 'bg-red-600 text-white dark:bg-red-500',
  2: 'bg-orange-500 text-white dark:bg-orange-500',
  3: 'bg-amber-100 text-amber-900 dark:bg-amber-500/20 dark:text-amber-200',
  4: 'bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300',
};

export function IncidentHistory({ change }: { change: ChangeDetail }) {
  const { incidents } = change;
  if (!incidents.length) {
    return (
      <p className="text-sm text-zinc-500 dark:text-zinc-400">
        No recorded incident on {change.services.map((s) => s.slug).join(', ') || 'these services'} or the services that depend on them directly.
      </p>
    );
  }
  const touched = new Set(change.services.map((s) => s.slug));
  return (
    <ol className="divide-y divide-zinc-100 dark:divide-zinc-800">
      {incidents.map((i) => (
        <li key={i.id} className="py-3 first:pt-0 last:pb-0" data-incident={i.externalId}>
          <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <span className={`rounded px-1.5 py-0.5 text-[11px] font-bold ${SEV_STYLE[i.severity] ?? SEV_STYLE[4]}`}>SEV-{i.severity}</span>
            <span className="font-medium">{i.title}</span>
          </div>
          <div className="mt-1 flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-zinc-500 dark:text-zinc-400">
            <span className="font-mono">{i.externalId}</span>
            <time dateTime={i.startedAt}>{new Date(i.startedAt).toISOString().slice(0, 10)}</time>
            <span className="tabular">{i.durationMs !== null ? formatDuration(i.durationMs) : 'unresolved'}</span>
            {i.lostOrders ? <span className="tabular">{formatCount(i.lostOrders)} orders lost</span> : null}
            {i.ordersDropPct ? <span className="tabular">orders −{i.ordersDropPct}%</span> : null}
            <span>
              on{' '}
              {i.services.map((s, k) => (
                <span key={s}>
                  {k ? ', ' : ''}
                  <span className={touched.has(s) ? 'font-medium text-zinc-800 dark:text-zinc-200' : ''}>{s}</span>
                </span>
              ))}
            </span>
          </div>
          <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400" data-testid="incident-why">
            Why listed: {whyListed(i)}.
          </p>
          {i.impact ? <p className="mt-1.5 text-sm text-zinc-700 dark:text-zinc-300">{i.impact}</p> : null}
          <p className="mt-1.5 text-xs text-zinc-600 dark:text-zinc-300">
            Caused by:{' '}
            {i.causeChange ? (
              <Link href={`/changes/${i.causeChange.id}`} className="font-medium text-accent-700 hover:underline dark:text-accent-500">
                {i.causeChange.title} <span className="font-mono font-normal text-zinc-500">({i.causeChange.externalId})</span>
              </Link>
            ) : (
              <span className="text-zinc-500">no change named as cause</span>
            )}
          </p>
          {i.lessons ? (
            <details className="group mt-1.5 text-sm">
              <summary className="cursor-pointer text-xs font-medium text-zinc-600 select-none hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">Lessons</summary>
              <p className="mt-1 whitespace-pre-line text-zinc-700 dark:text-zinc-300">{i.lessons}</p>
            </details>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

/** Why an incident is in this change's history, most relevant reason first. */
function whyListed(i: IncidentHistoryItem): string {
  const why: string[] = [];
  if (i.relation.touched.length) why.push(`same service (${i.relation.touched.join(', ')})`);
  if (i.relation.sameFiles) why.push('its cause touched the same file');
  if (!i.relation.touched.length) why.push(...i.relation.dependents.map((d) => `downstream of ${d.of.join(' and ')} (${d.slug})`));
  return why.join('; ') || 'on a related service';
}
