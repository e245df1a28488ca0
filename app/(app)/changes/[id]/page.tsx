import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { getDb } from '@/db';
import { getChangeDetail, RevisionNotFoundError } from '@/db/queries/change-detail';
import { listServices } from '@/db/queries/org';
import { ApprovalsPanel } from '@/components/change/approvals-panel';
import { BlastRadius } from '@/components/change/blast-radius';
import { ChangeHeader } from '@/components/change/change-header';
import { ChangeKeyboard } from '@/components/change/change-keyboard';
import { DiffView } from '@/components/change/diff-view';
import { ExternalReviews } from '@/components/change/external-reviews';
import { IncidentHistory } from '@/components/change/incident-history';
import { IncidentLink } from '@/components/change/incident-link';
import { Panel } from '@/components/change/panel';
import { RiskPanel } from '@/components/change/risk-panel';
import { SignOffControls } from '@/components/change/sign-off-controls';
import { TerraformPlan } from '@/components/change/terraform-plan';
import { WatchoutsPanel } from '@/components/change/watchouts-panel';
import { requireSession } from '@/lib/auth/current';
import { canRecordIncidents } from '@/lib/incidents/access';
import type { Role } from '@/db/schema/enums';

export const dynamic = 'force-dynamic';

type Params = Promise<{ id: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** One read per request, shared by the metadata and the page. */
const loadChange = cache(async (ref: string, revision: string | undefined, blastAll = false) => {
  if (revision !== undefined && !/^[1-9]\d{0,6}$/.test(revision)) return null;
  try {
    return await getChangeDetail(await getDb(), { ref, revision: revision === undefined ? undefined : Number(revision), blast: blastAll ? 'all' : 'nearest' });
  } catch (err) {
    if (err instanceof RevisionNotFoundError) return null;
    throw err;
  }
});

function revisionParam(sp: Record<string, string | string[] | undefined>): string | undefined {
  const v = sp.revision;
  return Array.isArray(v) ? v[0] : v;
}

export async function generateMetadata({ params, searchParams }: { params: Params; searchParams: SearchParams }): Promise<Metadata> {
  const [{ id }, sp] = await Promise.all([params, searchParams]);
  const change = await loadChange(id, revisionParam(sp), sp.blast === 'all');
  return { title: change ? `${change.title} (${change.externalId})` : 'Change not found' };
}

export default async function ChangePage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const [{ id }, sp] = await Promise.all([params, searchParams]);
  const session = await requireSession(`/changes/${encodeURIComponent(id)}`);
  const blastAll = sp.blast === 'all';
  const change = await loadChange(id, revisionParam(sp), blastAll);
  if (!change) notFound();
  const touched = change.services.map((s) => s.slug);
  const catalog = (await listServices(await getDb())).map((s) => s.slug).filter((s) => !touched.includes(s));
  const canAddWatchout = ['senior', 'director', 'vp'].includes(session.person.role);
  const now = new Date();
  const viewingOld = change.revision !== null && !change.revision.current;
  const current = change.revisions.find((r) => r.current);
  // GitHub reviews, as context under the sign-off: for pull requests, or wherever some were recorded.
  const showReviews = change.source === 'github' || change.externalReviews.length > 0;

  // SIGN-OFF ACTIONS SLOT (issue 4): the approve / reject / withdraw / break-glass controls go here,
  // e.g. <SignOffActions change={change} viewer={session.person} />; the approvals panel renders them.
  const signOffActions: React.ReactNode = <SignOffControls changeId={change.id} viewer={session.person} now={now} />;

  const sections = [
    ['risk', 'Risk'],
    ...(change.terraformPlan ? [['plan', 'Plan']] : []),
    ['diff', `Diff${change.files.length ? ` (${change.files.length})` : ''}`],
    ['blast-radius', `Blast radius (${change.blastRadius.total})`],
    ['incidents', `Incidents (${change.incidentsTotal})`],
    ['sign-off', 'Sign-off'],
    ...(showReviews ? [['github-reviews', `GitHub reviews (${change.externalReviews.length})`]] : []),
    ['watchouts', `Watch-outs (${change.watchouts.length})`],
  ] as const;

  return (
    <div>
      <nav aria-label="Breadcrumb" className="mb-3 text-xs text-zinc-500 dark:text-zinc-400">
        <Link href="/queue" className="hover:text-zinc-900 hover:underline dark:hover:text-zinc-100">
          Review queue
        </Link>{' '}
        / <span className="font-mono">{change.externalId}</span>
      </nav>
      <ChangeHeader change={change} now={now} />
      <ChangeKeyboard changeId={change.id} />

      {viewingOld && current ? (
        <p role="status" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-600/20 dark:bg-amber-500/10 dark:text-amber-200 dark:ring-amber-400/25">
          You are looking at revision {change.revision!.number} of {change.revisions.length}, superseded by revision {current.number}: its diff, plan and risk are shown as they were; sign-off and the gate are about the current revision.{' '}
          <Link href={`/changes/${change.id}`} className="font-medium underline">
            Show the current revision
          </Link>
        </p>
      ) : null}

      <nav aria-label="Sections" className="z-20 lg:sticky lg:top-12 -mx-4 mb-4 border-b border-zinc-200 bg-zinc-50/90 px-4 py-2 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/90">
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          {sections.map(([anchor, label]) => (
            <li key={anchor}>
              <a href={`#${anchor}`} className="text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>

      <div className="grid items-start gap-4 lg:grid-cols-[minmax(0,1fr)_380px]">
        <div className="min-w-0 space-y-4">
          <Panel id="risk" title="Risk" aside={`${change.risk.factors.length} factors, highest first`}>
            <RiskPanel change={change} />
          </Panel>
          {change.terraformPlan ? (
            <Panel id="plan" title="Terraform plan">
              <TerraformPlan plan={change.terraformPlan} />
            </Panel>
          ) : null}
          <section id="diff" aria-labelledby="diff-title" className="scroll-mt-28">
            <h2 id="diff-title" className="mb-2 text-sm font-semibold tracking-tight">
              Diff{change.revision ? <span className="font-normal text-zinc-500 dark:text-zinc-400"> · revision {change.revision.number} · {change.revision.sha.slice(0, 12)}</span> : null}
            </h2>
            <DiffView files={change.files} />
          </section>
          <Panel id="blast-radius" title="Blast radius" aside="Every service that depends on what this change touches, directly or not">
            <BlastRadius blast={change.blastRadius} allHref={`/changes/${encodeURIComponent(id)}?${new URLSearchParams({ ...(revisionParam(sp) ? { revision: revisionParam(sp)! } : {}), blast: 'all' })}#blast-radius`} />
          </Panel>
          <Panel
            id="incidents"
            title="Incident history"
            aside={change.incidentsTotal > change.incidents.length ? `Most relevant ${change.incidents.length} of ${change.incidentsTotal}: same service, then same files, then severity` : 'Same service first, then same files, then severity and recency'}
          >
            <IncidentHistory change={change} />
            <IncidentLink changeId={change.id} canLink={canRecordIncidents(session.person.role as Role)} />
          </Panel>
        </div>
        {/* On a phone the sign-off comes straight after the header, before the long lists. */}
        <aside className="order-first min-w-0 space-y-4 lg:order-none">
          <Panel id="sign-off" title="Sign-off">
            <ApprovalsPanel change={change} actions={signOffActions} />
          </Panel>
          {showReviews ? (
            <Panel id="github-reviews" title="GitHub reviews" aside="Context, not sign-off">
              <ExternalReviews change={change} />
            </Panel>
          ) : null}
          <Panel id="watchouts" title="Watch-outs" aside={change.watchouts.length ? `${change.watchouts.length} matching` : undefined}>
            <WatchoutsPanel change={change} canAdd={canAddWatchout} services={[...touched, ...catalog]} />
          </Panel>
        </aside>
      </div>
    </div>
  );
}
