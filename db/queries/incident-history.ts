// What went wrong before on the services a change touches and on their direct dependents: incidents
// most relevant first (same service, then a cause that touched the same files, then severity, then
// recency), each saying why it is listed, with severity, duration, impact, the change that caused them and the lessons learned.
import { desc, eq, sql } from 'drizzle-orm';
import { anyIntArray, type Queryable } from '@/db/client';
import { changes, incidents, incidentServices, revisionFiles, revisions, services } from '@/db/schema';
import type { Severity } from '@/db/schema/enums';
import { directDependents } from '@/lib/graph/blast-radius';
import { loadCatalogGraph } from '@/lib/graph/catalog';

export interface IncidentHistoryItem {
  id: number;
  externalId: string;
  title: string;
  severity: Severity;
  startedAt: string;
  resolvedAt: string | null;
  /** null while unresolved. */
  durationMs: number | null;
  impact: string;
  lostOrders: number | null;
  ordersDropPct: number | null;
  summary: string;
  lessons: string;
  services: string[];
  /** Why it is shown: the touched services it hit, or the dependents it hit. */
  relation: { touched: string[]; dependents: { slug: string; of: string[] }[]; sameFiles: boolean };
  causeChange: { id: number; externalId: string; title: string } | null;
}

export interface IncidentHistory {
  items: IncidentHistoryItem[];
  /** All matching incidents, of which `items` are the `limit` most relevant. */
  total: number;
}

export async function listIncidentHistory(q: Queryable, args: { touched: readonly string[]; paths?: readonly string[]; limit?: number }): Promise<IncidentHistory> {
  if (!args.touched.length) return { items: [], total: 0 };
  const limit = Math.min(Math.max(args.limit ?? 20, 1), 200);
  const catalog = await loadCatalogGraph(q);
  const touched = new Set(args.touched);
  const dependentOf = new Map<string, string[]>();
  for (const slug of args.touched) {
    for (const d of directDependents(catalog.graph, slug)) {
      if (!touched.has(d.slug)) dependentOf.set(d.slug, [...(dependentOf.get(d.slug) ?? []), slug]);
    }
  }
  const ids = [...touched, ...dependentOf.keys()].map((s) => catalog.bySlug.get(s)?.id).filter((id): id is number => id !== undefined);
  if (!ids.length) return { items: [], total: 0 };

  // Relevance: an incident on a touched service, then one whose cause touched the same files, then
  // severity, then recency. The total is a separate index-only count.
  const hit = sql`exists (select 1 from ${incidentServices} x where x.incident_id = ${incidents.id} and x.service_id = ${anyIntArray(ids)})`;
  const touchedIds = args.touched.map((s) => catalog.bySlug.get(s)?.id).filter((id): id is number => id !== undefined);
  const onTouched = touchedIds.length
    ? sql<boolean>`exists (select 1 from ${incidentServices} x where x.incident_id = ${incidents.id} and x.service_id = ${anyIntArray(touchedIds)})`
    : sql<boolean>`false`;
  const paths = [...new Set(args.paths ?? [])].slice(0, 200);
  const sameFiles = paths.length
    ? sql<boolean>`exists (select 1 from ${revisions} r join ${revisionFiles} rf on rf.revision_id = r.id
        where r.change_id = ${incidents.causeChangeId} and rf.path in (${sql.join(paths.map((p) => sql`${p}`), sql`, `)}))`
    : sql<boolean>`false`;
  const counting = q.select({ n: sql<number>`count(distinct ${incidentServices.incidentId})::int` }).from(incidentServices).where(sql`${incidentServices.serviceId} = ${anyIntArray(ids)}`);
  const listing = q
    .select({
      id: incidents.id,
      externalId: incidents.externalId,
      title: incidents.title,
      severity: incidents.severity,
      startedAt: incidents.startedAt,
      resolvedAt: incidents.resolvedAt,
      impact: incidents.impact,
      lostOrders: incidents.lostOrders,
      ordersDropPct: incidents.ordersDropPct,
      summary: incidents.summary,
      lessons: incidents.lessons,
      causeId: changes.id,
      causeExternalId: changes.externalId,
      causeTitle: changes.title,
      sameFiles,
      services: sql<unknown>`(select coalesce(json_agg(s.slug order by s.slug collate "C"), '[]'::json) from ${incidentServices} x join ${services} s on s.id = x.service_id where x.incident_id = ${incidents.id})`,
    })
    .from(incidents)
    .leftJoin(changes, eq(changes.id, incidents.causeChangeId))
    .where(hit)
    // A constant (no touched id, no path) is left out: PostgreSQL refuses a constant in ORDER BY.
    .orderBy(
      ...(touchedIds.length ? [sql`${onTouched} desc`] : []),
      ...(paths.length ? [sql`${sameFiles} desc`] : []),
      incidents.severity,
      desc(incidents.startedAt),
      desc(incidents.id),
    )
    .limit(limit);
  const [rows, [count]] = await Promise.all([listing, counting]);

  const items = rows.map((r): IncidentHistoryItem => {
    const slugs = (typeof r.services === 'string' ? JSON.parse(r.services) : r.services) as string[];
    return {
      id: r.id,
      externalId: r.externalId,
      title: r.title,
      severity: r.severity as Severity,
      startedAt: r.startedAt.toISOString(),
      resolvedAt: r.resolvedAt?.toISOString() ?? null,
      durationMs: r.resolvedAt ? r.resolvedAt.getTime() - r.startedAt.getTime() : null,
      impact: r.impact,
      lostOrders: r.lostOrders,
      ordersDropPct: r.ordersDropPct,
      summary: r.summary,
      lessons: r.lessons,
      services: slugs,
      relation: {
        touched: slugs.filter((s) => touched.has(s)),
        dependents: slugs.filter((s) => dependentOf.has(s)).map((s) => ({ slug: s, of: dependentOf.get(s)! })),
        sameFiles: r.sameFiles === true || (r.sameFiles as unknown) === 't',
      },
      causeChange: r.causeId !== null && r.causeExternalId !== null ? { id: r.causeId, externalId: r.causeExternalId, title: r.causeTitle ?? '' } : null,
    };
  });
  return { items, total: Number(count?.n ?? 0) };
}
