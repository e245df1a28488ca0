// What the benchmark asks for, chosen from the data before the server starts: the changes the gate
// is asked about, the most depended-on service and an open change on it, the busiest complete
// ISO week, a month of audit events, a busy team for the filtered queue page, and an API token.
import { sql } from 'drizzle-orm';
import { queryRows, type DbHandle } from '@/db/client';
import { createApiToken } from '@/lib/auth/tokens';
import { computeBlastRadius } from '@/lib/graph/blast-radius';
import { loadCatalogGraph } from '@/lib/graph/catalog';

export interface Targets {
  scale: Record<string, number>;
  token: string;
  tokenPerson: string;
  /** External ids the gate is asked about (pipelines use external ids). */
  gateRefs: string[];
  hub: { slug: string; dependents: number; tier1: number };
  detailChangeId: number;
  detailBlastStored: number;
  busyTeam: string;
  busyWeek: string;
  busyWeekChanges: number;
  month: { from: string; to: string; label: string; events: number };
  week: { from: string; to: string; events: number };
  quarter: { from: string; to: string; events: number };
}

export async function chooseTargets(h: DbHandle): Promise<Targets> {
  const db = h.db;
  const [counts] = await queryRows<Record<string, number>>(db, sql`select
    (select count(*) from services)::int as services, (select count(*) from service_dependencies)::int as dependencies,
    (select count(*) from people)::int as people, (select count(*) from teams)::int as teams,
    (select count(*) from changes)::int as changes, (select count(*) from changes where status = 'pending')::int as "pendingChanges",
    (select count(*) from revisions)::int as revisions, (select count(*) from revision_files)::int as "revisionFiles",
    (select count(*) from approvals)::int as approvals, (select count(*) from gate_decisions)::int as "gateDecisions",
    (select count(*) from deployments)::int as deployments, (select count(*) from incidents)::int as incidents,
    (select count(*) from watchouts)::int as watchouts, (select count(*) from audit_events)::int as "auditEvents"`);
  if (!counts || counts.changes === 0) throw new Error('the database holds no changes: run `npm run bench:seed -- --scale large` (or medium) first');

  // A director's token: gate:read for the gate, audit:read for reports and the export.
  const [director] = await queryRows<{ handle: string }>(db, sql`select handle from people where role = 'director' and deactivated_at is null order by id limit 1`);
  if (!director) throw new Error('no director to own the benchmark token');
  const token = await createApiToken(db, { personHandle: director.handle, scopes: ['gate:read', 'audit:read', 'changes:write'], name: 'benchmark', createdBy: null });

  // The gate is asked about recent production changes: open ones (mostly blocked) and just-approved ones.
  const refs = await queryRows<{ external_id: string }>(db, sql`
    (select external_id from changes where status in ('pending', 'approved') and environment = 'production' order by created_at desc limit 150)
    union all
    (select external_id from changes where status = 'deployed' and environment = 'production' order by created_at desc limit 50)`);

  // The most depended-on service: the largest transitive blast radius in the catalog.
  const catalog = await loadCatalogGraph(db);
  let best = { id: 0, slug: '', total: -1, tier1: 0 };
  for (const s of catalog.graph.services) {
    const b = computeBlastRadius(catalog.graph, [s.id]);
    if (b.total > best.total) best = { id: s.id, slug: s.slug, total: b.total, tier1: b.tier1 };
  }
  const [detail] = await queryRows<{ id: number; blast_total: number }>(db, sql`
    select c.id, c.blast_total from changes c join change_services cs on cs.change_id = c.id
    where cs.service_id = ${best.id}
    order by (c.status in ('pending', 'approved')) desc, c.created_at desc limit 1`);
  if (!detail) throw new Error(`no change touches ${best.slug}`);

  const [team] = await queryRows<{ team: string }>(db, sql`
    select s.team from changes c join change_services cs on cs.change_id = c.id join services s on s.id = cs.service_id
    where c.status = 'pending' and s.team is not null group by s.team order by count(*) desc, s.team limit 1`);
  const [week] = await queryRows<{ week: string; n: number }>(db, sql`
    select to_char(date_trunc('week', created_at), 'IYYY-"W"IW') as week, count(*)::int as n from changes
    where created_at < date_trunc('week', (select max(created_at) from changes))
    group by 1 order by 2 desc, 1 desc limit 1`);
  // The last complete calendar month of the audit trail, and a week and a quarter for the memory
  // comparison. Ranges are whole days, `to` inclusive, as the export's filters read them.
  const [month] = await queryRows<{ from: string; to: string; label: string }>(db, sql`
    select to_char(m, 'YYYY-MM-DD') as from, to_char(m + interval '1 month' - interval '1 day', 'YYYY-MM-DD') as to, to_char(m, 'YYYY-MM') as label
    from (select date_trunc('month', max(occurred_at)) - interval '1 month' as m from audit_events) x`);
  const range = async (from: string, to: string) =>
    (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from audit_events where occurred_at >= ${from}::date and occurred_at < ${to}::date + 1`))[0]!.n;
  const monthEnd = new Date(`${month!.to}T00:00:00Z`);
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  const weekFrom = iso(new Date(monthEnd.getTime() - 6 * 86_400_000));
  const quarterFrom = iso(new Date(Date.UTC(monthEnd.getUTCFullYear(), monthEnd.getUTCMonth() - 2, 1)));
  return {
    scale: counts,
    token: token.token,
    tokenPerson: director.handle,
    gateRefs: refs.map((r) => r.external_id),
    hub: { slug: best.slug, dependents: best.total, tier1: best.tier1 },
    detailChangeId: detail.id,
    detailBlastStored: detail.blast_total,
    busyTeam: team?.team ?? '',
    busyWeek: week!.week,
    busyWeekChanges: week!.n,
    month: { ...month!, events: await range(month!.from, month!.to) },
    week: { from: weekFrom, to: month!.to, events: await range(weekFrom, month!.to) },
    quarter: { from: quarterFrom, to: month!.to, events: await range(quarterFrom, month!.to) },
  };
}
