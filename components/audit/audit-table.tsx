// The audit timeline: one row per event, the alarming ones (bypasses, break-glass) in red,
// each linked to its change.
import Link from 'next/link';
import { AiBadge, TierBadge } from '@/components/ui/badges';
import type { AuditItem } from '@/db/queries/audit';

const ALARM = {
  bypass: { row: 'bg-red-50 dark:bg-red-950/30', badge: 'bg-red-600 text-white', text: 'Bypass' },
  break_glass: { row: 'bg-red-50 dark:bg-red-950/30', badge: 'bg-red-600 text-white', text: 'Break-glass' },
  blocked: { row: '', badge: 'bg-amber-100 text-amber-900 dark:bg-amber-500/15 dark:text-amber-300', text: 'Blocked' },
} as const;

function when(iso: string): { day: string; time: string } {
  return { day: iso.slice(0, 10), time: `${iso.slice(11, 16)} UTC` };
}

export function AuditTable({ items }: { items: AuditItem[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table className="w-full text-sm" data-testid="audit-table">
        <thead className="border-b border-zinc-200 bg-zinc-50 text-xs text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900/60 dark:text-zinc-400">
          <tr>
            <th className="px-3 py-2 text-left font-medium">When</th>
            <th className="px-3 py-2 text-left font-medium">Who</th>
            <th className="px-3 py-2 text-left font-medium">What</th>
            <th className="px-3 py-2 text-left font-medium">Change</th>
            <th className="px-3 py-2 text-left font-medium">Detail</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {items.map((e) => {
            const alarm = e.alarm && e.alarm !== 'rejected' ? ALARM[e.alarm] : null;
            const t = when(e.occurredAt);
            return (
              <tr key={e.id} className={`${alarm?.row ?? ''} hover:bg-zinc-50 dark:hover:bg-zinc-800/40`} data-testid="audit-row" data-action={e.action}>
                <td className="px-3 py-2 align-top whitespace-nowrap tabular">
                  <div>{t.day}</div>
                  <div className="text-xs text-zinc-500">{t.time}</div>
                </td>
                <td className="px-3 py-2 align-top">
                  <Link href={`/audit?actor=${encodeURIComponent(e.actorId ? e.actor.split(' ')[0]! : e.actor)}`} className="hover:underline">
                    {e.actor}
                  </Link>
                </td>
                <td className="px-3 py-2 align-top">
                  <div className="flex flex-wrap items-center gap-1.5">
                    {alarm ? <span className={`rounded px-1.5 py-0.5 text-[11px] font-semibold ${alarm.badge}`}>{alarm.text}</span> : null}
                    <span className={e.alarm === 'bypass' || e.alarm === 'break_glass' ? 'font-medium text-red-800 dark:text-red-300' : ''}>{e.label}</span>
                  </div>
                  <div className="font-mono text-[11px] text-zinc-400">
                    {e.action} · #{e.id}
                  </div>
                </td>
                <td className="max-w-[380px] px-3 py-2 align-top">
                  {e.change ? (
                    <Link href={`/changes/${e.change.id}`} className="group block">
                      <span className="font-mono text-xs text-zinc-500 group-hover:text-accent-600">{e.change.externalId}</span>
                      <span className="block truncate font-medium group-hover:underline">{e.change.title}</span>
                      <span className="mt-0.5 flex gap-1">
                        <TierBadge tier={e.change.tier} />
                        <AiBadge level={e.change.aiLevel} />
                      </span>
                    </Link>
                  ) : (
                    <span className="text-xs text-zinc-400">
                      {e.subjectType} {e.subjectId}
                    </span>
                  )}
                </td>
                <td className="max-w-[420px] px-3 py-2 align-top text-zinc-600 dark:text-zinc-400">{e.summary}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {items.length === 0 ? <p className="p-8 text-center text-sm text-zinc-500">No event matches these filters. Widen the dates or reset the filters.</p> : null}
    </div>
  );
}
