// What went wrong before on the services a change touches and on their direct dependents: incidents
// newest first, with severity, duration, impact, the change that caused them and the lessons learned.
import { desc, eq, sql } from 'drizzle-orm';
import { anyIntArray, type Queryable } from '@/db/client';
import { changes, incidents, incidentServices, services } from '@/db/schema';
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
  relation: { touched: string[]; dependents: { slug: string; of: string[] }[] };
  causeChange: { id: number; externalId: string; title: string } | null;
}

export interface IncidentHistory {
  items: IncidentHistoryItem[];
  /** All matching incidents, of which `items` are the newest `limit`. */
  total: number;
}

export async function listIncidentHistory(q: Queryable, args: { touched: readonly string[]; limit?: number }): Promise<IncidentHistory> {
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

  // Newest first through the started_at index, each checked for a hit (a hub's thousands of
  // incidents are never all fetched to sort them); the total is a separate index-only count.
  const hit = sql`exists (select 1 from ${incidentServices} x where x.incident_id = ${incidents.id} and x.service_id = ${anyIntArray(ids)})`;
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
      services: sql<unknown>`(select coalesce(json_agg(s.slug order by s.slug collate "C"), '[]'::json) from ${incidentServices} x join ${services} s on s.id = x.service_id where x.incident_id = ${incidents.id})`,
    })
    .from(incidents)
    .leftJoin(changes, eq(changes.id, incidents.causeChangeId))
    .where(hit)
    .orderBy(desc(incidents.startedAt), desc(incidents.id))
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
      },
      causeChange: r.causeId !== null && r.causeExternalId !== null ? { id: r.causeId, externalId: r.causeExternalId, title: r.causeTitle ?? '' } : null,
    };
  });
  return { items, total: Number(count?.n ?? 0) };
}
