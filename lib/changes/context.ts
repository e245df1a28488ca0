// Reads the context a change is assessed in: the catalog graph, recent incidents on
// what it touches, and its author's experience with those services.
import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { changeServices, changes, incidentServices, incidents, people, revisionFiles, services } from '@/db/schema';
import { loadCatalogGraph } from '@/lib/graph/catalog';
import { getPolicy } from '@/lib/policy';
import type { GraphService, RiskInput } from '@/lib/risk/types';
import type { AssessInput } from './assess';

export const INCIDENT_WINDOW_DAYS = 90;

export async function loadRecentIncidents(q: Queryable, serviceIds: number[], asOf: Date): Promise<RiskInput['recentIncidents']> {
  if (serviceIds.length === 0) return [];
  const since = new Date(asOf.getTime() - INCIDENT_WINDOW_DAYS * 86_400_000);
  const rows = await q
    .select({ id: incidents.id, severity: incidents.severity, title: incidents.title, startedAt: incidents.startedAt, causeChangeId: incidents.causeChangeId, slug: services.slug })
    .from(incidents)
    .innerJoin(incidentServices, eq(incidentServices.incidentId, incidents.id))
    .innerJoin(services, eq(services.id, incidentServices.serviceId))
    .where(and(gte(incidents.startedAt, since), lt(incidents.startedAt, asOf), inArray(incidentServices.serviceId, serviceIds)));
  const byId = new Map<number, RiskInput['recentIncidents'][number] & { causeChangeId: number | null }>();
  for (const r of rows) {
    const e = byId.get(r.id) ?? { severity: r.severity, title: r.title, startedAt: r.startedAt, serviceSlugs: [], causeChangeId: r.causeChangeId };
    e.serviceSlugs.push(r.slug);
    byId.set(r.id, e);
  }
  // Files the causing changes touched: a change to the same files is riskier.
  const causeIds = [...new Set([...byId.values()].map((e) => e.causeChangeId).filter((x): x is number => x !== null))];
  if (causeIds.length) {
    const paths = await q
      .select({ changeId: changes.id, path: revisionFiles.path })
      .from(changes)
      .innerJoin(revisionFiles, eq(revisionFiles.revisionId, changes.currentRevisionId))
      .where(inArray(changes.id, causeIds));
    const byChange = new Map<number, string[]>();
    for (const p of paths) byChange.set(p.changeId, [...(byChange.get(p.changeId) ?? []), p.path]);
    for (const e of byId.values()) if (e.causeChangeId) e.causedByPaths = byChange.get(e.causeChangeId) ?? [];
  }
  return [...byId.values()].map(({ causeChangeId: _c, ...e }) => e);
}

export async function countAuthorPriorChanges(q: Queryable, authorId: number, serviceIds: number[], asOf: Date, excludeChangeId?: number): Promise<number> {
  if (serviceIds.length === 0) return 0;
  const [row] = await q
    .select({ n: sql<number>`count(distinct ${changes.id})::int` })
    .from(changes)
    .innerJoin(changeServices, eq(changeServices.changeId, changes.id))
    .where(
      and(
        eq(changes.authorId, authorId),
        inArray(changeServices.serviceId, serviceIds),
        eq(changes.status, 'deployed'),
        lt(changes.createdAt, asOf),
        excludeChangeId ? sql`${changes.id} <> ${excludeChangeId}` : undefined,
      ),
    );
  return row?.n ?? 0;
}

export type AssessContext = Pick<AssessInput, 'touched' | 'graph' | 'recentIncidents' | 'authorPriorChanges' | 'authorIsBot' | 'policy'>;

export async function loadAssessContext(
  q: Queryable,
  args: { serviceIds: number[]; authorId: number; asOf: Date; excludeChangeId?: number },
): Promise<AssessContext> {
  const [catalog, policy, author] = await Promise.all([
    loadCatalogGraph(q),
    getPolicy(q),
    q.select({ isBot: people.isBot }).from(people).where(eq(people.id, args.authorId)).limit(1),
  ]);
  const touched = args.serviceIds.map((id) => catalog.byId.get(id)).filter((s): s is GraphService => !!s);
  const [recentIncidents, authorPriorChanges] = await Promise.all([
    loadRecentIncidents(q, args.serviceIds, args.asOf),
    countAuthorPriorChanges(q, args.authorId, args.serviceIds, args.asOf, args.excludeChangeId),
  ]);
  return { touched, graph: catalog.graph, recentIncidents, authorPriorChanges, authorIsBot: author[0]?.isBot ?? false, policy: policy.approvals };
}
