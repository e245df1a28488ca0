import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { getDb } from '@/db';
import { getIncident, type ChangeSummary } from '@/db/queries/incidents';
import type { Role } from '@/db/schema/enums';
import { Panel } from '@/components/change/panel';
import { RichText } from '@/components/change/rich-text';
import { CauseLinkForm } from '@/components/incidents/cause-link-form';
import { SeverityBadge } from '@/components/incidents/severity-badge';
import { AiBadge, RiskBadge, TierBadge } from '@/components/ui/badges';
import { requireSession } from '@/lib/auth/current';
import { formatCount, formatDateTime, formatDuration } from '@/lib/format';
import { canRecordIncidents } from '@/lib/incidents/access';

export const dynamic = 'force-dynamic';

type Params = Promise<{ id: string }>;

const load = cache(async (id: string) => getIncident(await getDb(), decodeURIComponent(id)));

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const incident = await load((await params).id);
  return { title: incident ? `${incident.externalId}: ${incident.title}` : 'Incident not found' };
}

function ChangeLine({ c }: { c: ChangeSummary }) {
  return (
    <div className="min-w-0">
      <Link href={`/changes/${c.id}`} className="block truncate font-medium hover:underline">
        {c.title}
      </Link>
      <div className="mt-0.5 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-zinc-500 dark:text-zinc-400">
        <span className="font-mono">{c.externalId}</span>
        <span>by {c.author}</span>
        <RiskBadge score={c.riskScore} level={c.riskLevel} size="sm" />
        <AiBadge level={c.aiLevel} tool={c.aiTool} />
      </div>
    </div>
  );
}

function Lessons({ text }: { text: string }) {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  if (lines.every((l) => /^[-*] /.test(l))) {
    return (
      <ul className="list-disc space-y-1.5 pl-5 text-sm text-zinc-700 dark:text-zinc-300">
        {lines.map((l, i) => (
          <li key={i}>
            <RichText text={l.slice(2)} />
          </li>
        ))}
      </ul>
    );
  }
  return <Paragraphs text={text} />;
}

function Paragraphs({ text }: { text: string }) {
  return (
    <div className="space-y-2 text-sm leading-relaxed text-zinc-700 dark:text-zinc-300">
      {text.split(/\n\s*\n/).map((p, i) => (
        <p key={i} className="whitespace-pre-line">
          <RichText text={p.trim()} />
        </p>
      ))}
    </div>
  );
}

export default async function IncidentPage({ params }: { params: Params }) {
  const { id } = await params;
  const session = await requireSession(`/incidents/${encodeURIComponent(id)}`);
  const incident = await load(id);
  if (!incident) notFound();
  const canLink = canRecordIncidents(session.person.role as Role);
  const duration = incident.resolvedAt ? formatDuration(incident.resolvedAt.getTime() - incident.startedAt.getTime()) : null;

  return (
    <div>
      <nav aria-label="Breadcrumb" className="mb-3 text-xs text-zinc-500 dark:text-zinc-400">
        <Link href="/incidents" className="hover:text-zinc-900 hover:underline dark:hover:text-zinc-100">
          Incidents
        </Link>{' '}
        / <span className="font-mono">{incident.externalId}</span>
      </nav>
      <header className="mb-5">
        <div className="flex flex-wrap items-center gap-2">
          <SeverityBadge severity={incident.severity} size="md" />
          <h1 className="text-lg font-semibold tracking-tight">{incident.title}</h1>
        </div>
        <dl className="mt-2 flex flex-wrap gap-x-5 gap-y-1 text-sm text-zinc-600 dark:text-zinc-400">
          <div className="flex gap-1.5">
            <dt className="text-zinc-500">Id</dt>
            <dd className="font-mono">{incident.externalId}</dd>
          </div>
          <div className="flex gap-1.5">
            <dt className="text-zinc-500">Started</dt>
            <dd className="tabular">
              <time dateTime={incident.startedAt.toISOString()}>{formatDateTime(incident.startedAt)}</time>
            </dd>
          </div>
          <div className="flex gap-1.5">
            <dt className="text-zinc-500">{incident.resolvedAt ? 'Resolved' : 'Status'}</dt>
            <dd className="tabular">
              {incident.resolvedAt ? (
                <>
                  <time dateTime={incident.resolvedAt.toISOString()}>{formatDateTime(incident.resolvedAt)}</time> <span className="text-zinc-500">({duration})</span>
                </>
              ) : (
                <span className="font-medium text-red-700 dark:text-red-400">Ongoing</span>
              )}
            </dd>
          </div>
        </dl>
        <div className="mt-2 flex flex-wrap items-center gap-1.5">
          <span className="text-xs text-zinc-500">Services</span>
          {incident.services.map((s) => (
            <TierBadge key={s.slug} tier={s.tier} label={s.slug} />
          ))}
        </div>
      </header>

      <div className="grid items-start gap-4 lg:grid-cols-[minmax(0,1fr)_400px]">
        <div className="min-w-0 space-y-4">
          <Panel id="impact" title="Impact">
            {incident.lostOrders !== null || incident.ordersDropPct !== null ? (
              <div className="mb-3 flex flex-wrap gap-6">
                {incident.lostOrders !== null ? (
                  <div>
                    <div className="text-2xl font-semibold tabular">{formatCount(incident.lostOrders)}</div>
                    <div className="text-xs text-zinc-500 dark:text-zinc-400">orders lost</div>
                  </div>
                ) : null}
                {incident.ordersDropPct !== null ? (
                  <div>
                    <div className="text-2xl font-semibold tabular">−{incident.ordersDropPct}%</div>
                    <div className="text-xs text-zinc-500 dark:text-zinc-400">orders at the worst point</div>
                  </div>
                ) : null}
                {duration ? (
                  <div>
                    <div className="text-2xl font-semibold tabular">{duration}</div>
                    <div className="text-xs text-zinc-500 dark:text-zinc-400">to resolve</div>
                  </div>
                ) : null}
              </div>
            ) : null}
            {incident.impact ? <Paragraphs text={incident.impact} /> : <p className="text-sm text-zinc-500">No impact recorded.</p>}
          </Panel>
          <Panel id="summary" title="What happened">
            {incident.summary ? <Paragraphs text={incident.summary} /> : <p className="text-sm text-zinc-500">No summary yet: import the post-incident review, or add it in the incident tracker and import again.</p>}
          </Panel>
          <Panel id="lessons" title="Lessons">
            {incident.lessons ? <Lessons text={incident.lessons} /> : <p className="text-sm text-zinc-500">No lessons recorded yet.</p>}
          </Panel>
        </div>
        <aside className="min-w-0 space-y-4">
          <Panel id="cause" title="Cause">
            {incident.cause ? (
              <div className="mb-3 rounded-md border border-red-200 bg-red-50/60 p-3 dark:border-red-500/30 dark:bg-red-500/10">
                <div className="mb-1 text-xs font-medium text-red-800 dark:text-red-300">Caused by</div>
                <ChangeLine c={incident.cause} />
              </div>
            ) : (
              <p className="mb-3 text-sm text-zinc-500 dark:text-zinc-400">No change is recorded as its cause{canLink ? ': if one did, link it here.' : '.'}</p>
            )}
            {canLink ? (
              <CauseLinkForm
                incident={incident.externalId}
                current={incident.cause ? { id: incident.cause.id, externalId: incident.cause.externalId } : null}
                candidates={incident.candidates.map((c) => ({ id: c.id, externalId: c.externalId, title: c.title, when: formatDateTime(c.createdAt) }))}
              />
            ) : null}
          </Panel>
          <Panel id="in-review" title="In review on these services">
            {incident.openChanges.length ? (
              <ul className="space-y-2.5">
                {incident.openChanges.map((c) => (
                  <li key={c.id}>
                    <ChangeLine c={c} />
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-zinc-500 dark:text-zinc-400">Nothing is waiting for review on these services.</p>
            )}
          </Panel>
        </aside>
      </div>
    </div>
  );
}
