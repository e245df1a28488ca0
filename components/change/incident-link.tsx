// Incidents this change is recorded as causing, and (for those who run incidents) a way to
// record that it caused one. Linking re-scores the open changes on the same services.
import Link from 'next/link';
import { getDb } from '@/db';
import { getChangeIncidentLinks } from '@/db/queries/incidents';
import { SeverityBadge } from '@/components/incidents/severity-badge';
import { IncidentLinkForm } from './incident-link-form';

export async function IncidentLink({ changeId, canLink }: { changeId: number; canLink: boolean }) {
  const { caused, candidates } = await getChangeIncidentLinks(await getDb(), changeId);
  if (!caused.length && !canLink) return null;
  return (
    <div className="mt-4 border-t border-zinc-100 pt-3 dark:border-zinc-800" data-testid="incident-link">
      {caused.length ? (
        <div className="rounded-md border border-red-200 bg-red-50/60 p-3 dark:border-red-500/30 dark:bg-red-500/10">
          <p className="mb-1.5 text-xs font-medium text-red-800 dark:text-red-300">This change is recorded as the cause of</p>
          <ul className="space-y-1">
            {caused.map((i) => (
              <li key={i.id} className="flex items-center gap-2 text-sm">
                <SeverityBadge severity={i.severity} />
                <Link href={`/incidents/${encodeURIComponent(i.externalId)}`} className="truncate font-medium hover:underline">
                  {i.title}
                </Link>
                <span className="font-mono text-xs text-zinc-500">{i.externalId}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {canLink ? (
        <IncidentLinkForm
          changeId={changeId}
          options={candidates.map((i) => ({ externalId: i.externalId, label: `SEV-${i.severity} · ${i.externalId} · ${i.title.slice(0, 70)} (${i.startedAt.toISOString().slice(0, 10)})${i.causeChangeId ? ' — already linked to another change' : ''}` }))}
        />
      ) : null}
    </div>
  );
}
