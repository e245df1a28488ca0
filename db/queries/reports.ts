// The weekly report's reads: a handful of set-based statements over one week and the week
// before it (for week-over-week), each driven by a time index — never a query per row.
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { queryRows, type Queryable } from '@/db/client';
import { confirmationRequests, people } from '@/db/schema';
import { AI_LEVELS, type AiLevel, type RiskLevel, type Tier } from '@/db/schema/enums';
import type { ApprovalPolicy } from '@/lib/policy/approvals';
import type {
  ChangeRef,
  ReportAttestation,
  ReportConfirmation,
  ReportBreakGlass,
  ReportBypass,
  ReportIncident,
  ReportWatchout,
  ServiceRisk,
  Severity,
  ShippedChange,
  WeekDetail,
  WeekFigures,
  WeeklyReport,
} from '@/lib/reports/types';
import { BREAK_GLASS_FOLLOW_UP_HOURS, LATENCY_BUCKETS } from '@/lib/reports/definitions';
import { buildWeeklyReport } from '@/lib/reports/build';
import { isoWeekOf, parseIsoWeek, shiftIsoWeek, type IsoWeek } from '@/lib/reports/iso-week';
import { getPolicy } from '@/lib/policy';
import { followedByIncidentSql, iso, isoOrNull, isProductionSql, secondApprovalSql, jsonOf, num, numOrNull, ts, validApprovalsAtDeploySql } from './leadership-sql';

export interface WeekWindow {
  /** Start of the previous week (inclusive). */
  prevStart: Date;
  /** Start of the reported week (inclusive). */
  start: Date;
  /** End of the reported week (exclusive). */
  end: Date;
}

export interface WeeklyData {
  current: WeekFigures;
  previous: WeekFigures;
  detail: WeekDetail;
}

const emptyFigures = (): WeekFigures => ({
  changesShipped: 0,
  deployments: 0,
  byAi: { none: 0, assisted: 0, generated: 0, agent: 0 },
  tier1: { changes: 0, compliant: 0 },
  bypasses: 0,
  incidents: { total: 0, bySeverity: { 1: 0, 2: 0, 3: 0, 4: 0 }, minutesOfImpact: 0, lostOrders: null, ongoing: 0 },
  failedDeployments: 0,
  approvalLatency: { count: 0, medianMinutes: null, p90Minutes: null },
});

/** Everything the weekly report needs, in three statements run side by side. */
export async function getWeeklyData(q: Queryable, w: WeekWindow, policy: ApprovalPolicy): Promise<WeeklyData> {
  const [main, incidents, latency, adminConfirmations] = await Promise.all([weekDeployments(q, w, policy), incidentRows(q, w, policy), approvalLatency(q, w), weekConfirmations(q, w)]);
  const current = emptyFigures();
  const previous = emptyFigures();
  for (const [fig, cur] of [
    [current, true],
    [previous, false],
  ] as const) {
    Object.assign(fig, main.figures.get(cur) ?? {});
    const l = latency.figures.get(cur);
    if (l) fig.approvalLatency = l;
    const inc = incidents.filter((i) => i.cur === cur);
    fig.incidents = {
      total: inc.length,
      bySeverity: { 1: 0, 2: 0, 3: 0, 4: 0 },
      minutesOfImpact: inc.reduce((n, i) => n + (i.incident.minutes ?? 0), 0),
      lostOrders: inc.some((i) => i.incident.lostOrders !== null) ? inc.reduce((n, i) => n + (i.incident.lostOrders ?? 0), 0) : null,
      ongoing: inc.filter((i) => i.incident.resolvedAt === null).length,
    };
    for (const i of inc) fig.incidents.bySeverity[i.incident.severity] += 1;
  }
  return {
    current,
    previous,
    detail: { ...main.detail, incidents: incidents.filter((i) => i.cur).map((i) => i.incident), charts: { ...main.detail.charts, latency: latency.buckets }, adminConfirmations },
  };
}

/** Requests made in the week that waited for a second administrator, with who asked and who decided. */
async function weekConfirmations(q: Queryable, w: WeekWindow): Promise<ReportConfirmation[]> {
  const requester = alias(people, 'requester');
  const decider = alias(people, 'decider');
  return q
    .select({ id: confirmationRequests.id, kind: confirmationRequests.kind, subject: confirmationRequests.subject, status: confirmationRequests.status, requestedBy: requester.handle, decidedBy: decider.handle })
    .from(confirmationRequests)
    .innerJoin(requester, eq(requester.id, confirmationRequests.requestedById))
    .leftJoin(decider, eq(decider.id, confirmationRequests.decidedById))
    .where(and(gte(confirmationRequests.requestedAt, w.start), lt(confirmationRequests.requestedAt, w.end)))
    .orderBy(confirmationRequests.id);
}

type DeployFigures = Pick<WeekFigures, 'changesShipped' | 'deployments' | 'byAi' | 'tier1' | 'bypasses' | 'failedDeployments'>;

export async function incidentRows(q: Queryable, w: WeekWindow, policy: ApprovalPolicy): Promise<{ cur: boolean; incident: ReportIncident }[]> {
  const rows = await queryRows<Record<string, unknown>>(
    q,
    sql`
    select i.id, i.external_id, i.title, i.severity, i.started_at, i.resolved_at, i.lost_orders, i.orders_drop_pct, i.impact,
      (i.started_at >= ${ts(w.start)}) as cur,
      (select string_agg(s.slug, ',' order by s.tier, s.slug) from incident_services isv join services s on s.id = isv.service_id where isv.incident_id = i.id) as services,
      c.id as c_id, c.external_id as c_external_id, c.title as c_title, c.risk_score as c_risk_score, c.risk_level as c_risk_level,
      c.ai_level as c_ai_level, c.ai_tool as c_ai_tool, c.top_tier as c_tier, pa.handle as c_author,
      dep.created_at as dep_at, dep.bypass as dep_bypass, dep.deployed_by as dep_by, dep.valid as dep_valid
    from incidents i
    left join changes c on c.id = i.cause_change_id
    left join people pa on pa.id = c.author_id
    left join lateral (
      select x.created_at, x.bypass, xp.handle as deployed_by, ${validApprovalsAtDeploySql('x', policy)} as valid
      from (
        select d.change_id, d.revision_id, d.created_at, d.bypass, d.deployed_by_id, c.author_id, c.top_tier
        from deployments d
        where d.change_id = c.id and d.status = 'succeeded' and d.created_at <= i.started_at
          and ${isProductionSql(sql`d.environment`, policy)}
        order by d.created_at desc limit 1
      ) x
      left join people xp on xp.id = x.deployed_by_id
    ) dep on true
    where i.started_at >= ${ts(w.prevStart)} and i.started_at < ${ts(w.end)}
    order by i.severity, i.lost_orders desc nulls last, i.started_at`,
  );
  return rows.map((r) => {
    const started = iso(r.started_at);
    const resolved = isoOrNull(r.resolved_at);
    return {
      cur: r.cur === true || r.cur === 't',
      incident: {
        id: num(r.id),
        externalId: String(r.external_id),
        title: String(r.title),
        severity: num(r.severity) as Severity,
        startedAt: started,
        resolvedAt: resolved,
        minutes: resolved ? Math.round((Date.parse(resolved) - Date.parse(started)) / 60_000) : null,
        lostOrders: numOrNull(r.lost_orders),
        ordersDropPct: numOrNull(r.orders_drop_pct),
        impact: String(r.impact ?? ''),
        services: r.services ? String(r.services).split(',') : [],
        cause:
          r.c_id === null || r.c_id === undefined
            ? null
            : {
                id: num(r.c_id),
                externalId: String(r.c_external_id),
                title: String(r.c_title),
                riskScore: num(r.c_risk_score),
                riskLevel: r.c_risk_level as RiskLevel,
                aiLevel: r.c_ai_level as AiLevel,
                aiTool: (r.c_ai_tool as string | null) ?? null,
                tier: num(r.c_tier) as Tier,
                author: String(r.c_author),
                deployedAt: isoOrNull(r.dep_at),
                deployedBy: (r.dep_by as string | null) ?? null,
                bypass: r.dep_bypass === true || r.dep_bypass === 't',
                approvalsAtDeploy: numOrNull(r.dep_valid),
              },
      },
    };
  });
}

/**
 * Submission to the moment a second distinct person approved, for changes whose second
 * approval fell in the window; median and p90 per week, and the current week's histogram.
 */
export async function approvalLatency(
  q: Queryable,
  w: WeekWindow,
): Promise<{ figures: Map<boolean, WeekFigures['approvalLatency']>; buckets: { bucket: string; count: number }[] }> {
  const bucketCols = sql.join(
    LATENCY_BUCKETS.map((b, i) => sql`count(*) filter (where cur and minutes >= ${b.fromMinutes} and minutes < ${b.toMinutes ?? 1e12})::int as ${sql.raw(`b${i}`)}`),
    sql`, `,
  );
  const rows = await queryRows<Record<string, unknown>>(
    q,
    sql`
    with cand as (
      select distinct change_id from approvals
      where created_at >= ${ts(w.prevStart)} and created_at < ${ts(w.end)} and decision = 'approve'
    ),
    second as (
      select (s2.at >= ${ts(w.start)}) as cur, extract(epoch from (s2.at - s2.submitted)) / 60.0 as minutes
      from cand
      cross join lateral ${secondApprovalSql(sql.raw('cand.change_id'))} s2
      where s2.at >= ${ts(w.prevStart)} and s2.at < ${ts(w.end)}
    )
    select
      count(*) filter (where cur)::int as n_cur,
      count(*) filter (where not cur)::int as n_prev,
      (percentile_cont(0.5) within group (order by minutes) filter (where cur))::float8 as med_cur,
      (percentile_cont(0.9) within group (order by minutes) filter (where cur))::float8 as p90_cur,
      (percentile_cont(0.5) within group (order by minutes) filter (where not cur))::float8 as med_prev,
      (percentile_cont(0.9) within group (order by minutes) filter (where not cur))::float8 as p90_prev,
      ${bucketCols}
    from second`,
  );
  const r = rows[0] ?? {};
  const round = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v)));
  return {
    figures: new Map([
      [true, { count: num(r.n_cur), medianMinutes: round(r.med_cur), p90Minutes: round(r.p90_cur) }],
      [false, { count: num(r.n_prev), medianMinutes: round(r.med_prev), p90Minutes: round(r.p90_prev) }],
    ]),
    buckets: LATENCY_BUCKETS.map((b, i) => ({ bucket: b.label, count: num(r[`b${i}`]) })),
  };
}

interface DetailJson {
  riskiest: Record<string, unknown>[] | null;
  tier1_without_two: Record<string, unknown>[] | null;
  per_day: { day: string; ai_level: string; n: number }[] | null;
  risk: { bucket: number; n: number }[] | null;
  services: Record<string, unknown>[] | null;
  bypasses: Record<string, unknown>[] | null;
  watchouts: Record<string, unknown>[] | null;
  break_glass: Record<string, unknown>[] | null;
  attestations: Record<string, unknown>[] | null;
  listed_services: { change_id: number; services: string | null }[] | null;
}

/**
 * One statement for everything that hangs off production deployments: both weeks' figures
 * and the reported week's lists and chart series (as JSON), sharing one pass over them.
 */
export async function weekDeployments(
  q: Queryable,
  w: WeekWindow,
  policy: ApprovalPolicy,
): Promise<{ figures: Map<boolean, DeployFigures>; detail: Omit<WeekDetail, 'incidents'> }> {
  // least() ignores nulls: the override ended when it was closed or when it expired, whichever came first.
  const followUpDue = sql`(least(b.closed_at, b.expires_at) + ${BREAK_GLASS_FOLLOW_UP_HOURS} * interval '1 hour')`;
  const changeJson = (c: string, author: string) => {
    const a = sql.raw(c);
    const p = sql.raw(author);
    return sql`'id', ${a}.id, 'externalId', ${a}.external_id, 'title', ${a}.title, 'riskScore', ${a}.risk_score, 'riskLevel', ${a}.risk_level,
      'aiLevel', ${a}.ai_level, 'aiTool', ${a}.ai_tool, 'tier', ${a}.top_tier, 'author', ${p}.handle`;
  };
  const isoWeekStr = isoWeekOf(w.start).id;
  const aiCols = sql.join(
    AI_LEVELS.flatMap((l) => [
      sql`count(*) filter (where cur and ai_level = ${l})::int as ${sql.raw(`ai_${l}_c`)}`,
      sql`count(*) filter (where not cur and ai_level = ${l})::int as ${sql.raw(`ai_${l}_p`)}`,
    ]),
    sql`, `,
  );
  const rows = await queryRows<Record<string, unknown>>(
    q,
    sql`
    with d as (
      select d.id, d.change_id, d.revision_id, d.created_at, d.bypass, d.status, (d.created_at >= ${ts(w.start)}) as cur
      from deployments d
      where d.created_at >= ${ts(w.prevStart)} and d.created_at < ${ts(w.end)}
        and ${isProductionSql(sql`d.environment`, policy)}
    ),
    s as (
      select d.id, d.change_id, d.revision_id, d.created_at, d.cur, d.bypass, c.ai_level, c.top_tier, c.author_id
      from d join changes c on c.id = d.change_id
      where d.status = 'succeeded'
    ),
    sv as (
      -- Scalar subqueries, not a join to an aggregate: the planner cannot misjudge them into a quadratic plan.
      select s.*,
        (case when s.top_tier = 1 or s.cur then ${validApprovalsAtDeploySql('s', policy)} else 0 end) as valid,
        ${followedByIncidentSql('s')} as failed
      from s
    ),
    pc as (
      select cur, change_id, min(ai_level) as ai_level, min(top_tier) as top_tier, bool_and(valid >= 2) as compliant,
        max(created_at) as deployed_at, min(created_at) as first_at, min(valid) as valid, bool_or(bypass) as bypass
      from sv group by cur, change_id
    ),
    sc as (
      select pc.change_id, pc.deployed_at, pc.first_at, pc.valid, pc.bypass, c.external_id, c.title, c.risk_score, c.risk_level,
        c.ai_level, c.ai_tool, c.top_tier, c.destructive, c.required_approvals, p.handle as author
      from pc join changes c on c.id = pc.change_id join people p on p.id = c.author_id
      where pc.cur
    ),
    pf as (
      select count(*) filter (where cur)::int as shipped_c, count(*) filter (where not cur)::int as shipped_p,
        count(*) filter (where cur and top_tier = 1)::int as tier1_c, count(*) filter (where not cur and top_tier = 1)::int as tier1_p,
        count(*) filter (where cur and top_tier = 1 and compliant)::int as tier1ok_c,
        count(*) filter (where not cur and top_tier = 1 and compliant)::int as tier1ok_p,
        ${aiCols}
      from pc
    ),
    df as (
      select count(*) filter (where cur)::int as deployments_c, count(*) filter (where not cur)::int as deployments_p,
        count(*) filter (where cur and failed)::int as failed_c, count(*) filter (where not cur and failed)::int as failed_p
      from sv
    ),
    bf as (
      select count(*) filter (where cur and bypass)::int as bypasses_c, count(*) filter (where not cur and bypass)::int as bypasses_p from d
    )
    select pf.*, df.*, bf.*,
      (select json_agg(t) from (select * from sc order by risk_score desc, deployed_at desc limit 5) t) as riskiest,
      (select json_agg(t) from (select * from sc where top_tier = 1 and valid < 2 order by risk_score desc, deployed_at limit 20) t) as tier1_without_two,
      (select json_agg(t) from (
        select to_char(first_at at time zone 'UTC', 'YYYY-MM-DD') as day, ai_level, count(*)::int as n from sc group by 1, 2
      ) t) as per_day,
      (select json_agg(t) from (select least(risk_score / 10, 9)::int as bucket, count(*)::int as n from sc group by 1) t) as risk,
      (select json_agg(t) from (
        select sv.slug, sv.tier, sv.team, count(*)::int as changes,
          count(*) filter (where sc.risk_level in ('high', 'critical'))::int as high_risk,
          max(sc.risk_score)::int as max_risk, sum(sc.risk_score)::int as risk_sum,
          (select count(*) from incident_services isv join incidents i on i.id = isv.incident_id
            where isv.service_id = sv.id and i.started_at >= ${ts(w.start)} and i.started_at < ${ts(w.end)})::int as incidents
        from sc join change_services cs on cs.change_id = sc.change_id join services sv on sv.id = cs.service_id
        group by sv.id, sv.slug, sv.tier, sv.team
        order by incidents desc, high_risk desc, risk_sum desc, sv.slug
        limit 8
      ) t) as services,
      (select json_agg(t) from (
        select sc.change_id, string_agg(sv.slug, ',' order by sv.tier, sv.slug) as services
        from ((select change_id from sc order by risk_score desc, deployed_at desc limit 5)
              union (select change_id from sc where top_tier = 1 and valid < 2 order by risk_score desc, deployed_at limit 20)) sc
        join change_services cs on cs.change_id = sc.change_id join services sv on sv.id = cs.service_id
        group by sc.change_id
      ) t) as listed_services,
      (select json_agg(t order by t.at) from (
        select d.id as deployment_id, d.created_at as at, d.status, d.source, dp.handle as deployed_by,
          json_build_object(${changeJson('c', 'ca')}) as change
        from deployments d join changes c on c.id = d.change_id join people ca on ca.id = c.author_id
        left join people dp on dp.id = d.deployed_by_id
        where d.bypass and d.created_at >= ${ts(w.start)} and d.created_at < ${ts(w.end)}
          and ${isProductionSql(sql`d.environment`, policy)}
      ) t) as bypasses,
      (select json_agg(t order by t.created_at) from (
        select wo.id, p.handle as author, wo.scope, sv.slug as service, wo.pattern, wo.text, wo.created_at
        from watchouts wo join people p on p.id = wo.author_id left join services sv on sv.id = wo.service_id
        where wo.created_at >= ${ts(w.start)} and wo.created_at < ${ts(w.end)}
      ) t) as watchouts,
      (select json_agg(t order by t.due_at) from (
        select b.id, b.opened_at, least(b.closed_at, b.expires_at) as ended_at, ${followUpDue} as due_at,
          b.justification, op.handle as opened_by, json_build_object(${changeJson('c', 'ca')}) as change
        from break_glass b join changes c on c.id = b.change_id join people ca on ca.id = c.author_id join people op on op.id = b.opened_by_id
        where b.opened_at < ${ts(w.end)} and ${followUpDue} <= ${ts(w.end)}
          and (b.follow_up_completed_at is null or b.follow_up_completed_at > ${ts(w.end)})
      ) t) as break_glass,
      (select json_agg(t order by t.attested_at) from (
        select p.handle, p.name, p.role, ra.note, ra.attested_at
        from report_attestations ra join people p on p.id = ra.person_id where ra.iso_week = ${isoWeekStr}
      ) t) as attestations
    from pf, df, bf`,
  );
  const r = (rows[0] ?? {}) as unknown as DetailJson & Record<string, unknown>;
  const figures = new Map<boolean, DeployFigures>();
  for (const [cur, k] of [
    [true, 'c'],
    [false, 'p'],
  ] as const) {
    figures.set(cur, {
      changesShipped: num(r[`shipped_${k}`]),
      deployments: num(r[`deployments_${k}`]),
      failedDeployments: num(r[`failed_${k}`]),
      bypasses: num(r[`bypasses_${k}`]),
      tier1: { changes: num(r[`tier1_${k}`]), compliant: num(r[`tier1ok_${k}`]) },
      byAi: { none: num(r[`ai_none_${k}`]), assisted: num(r[`ai_assisted_${k}`]), generated: num(r[`ai_generated_${k}`]), agent: num(r[`ai_agent_${k}`]) },
    });
  }
  const servicesOf = new Map(jsonOf(r.listed_services, []).map((x) => [num(x.change_id), String(x.services ?? '').split(',').filter(Boolean)]));
  const shippedOf = (x: Record<string, unknown>): ShippedChange => ({
    id: num(x.change_id),
    externalId: String(x.external_id),
    title: String(x.title),
    riskScore: num(x.risk_score),
    riskLevel: x.risk_level as RiskLevel,
    aiLevel: x.ai_level as AiLevel,
    aiTool: (x.ai_tool as string | null) ?? null,
    tier: num(x.top_tier) as Tier,
    author: String(x.author),
    deployedAt: iso(x.deployed_at),
    destructive: x.destructive === true,
    services: servicesOf.get(num(x.change_id)) ?? [],
    approvalsAtDeploy: num(x.valid),
    requiredApprovals: num(x.required_approvals),
    bypass: x.bypass === true,
  });
  const changeOf = (x: Record<string, unknown>): ChangeRef => ({
    id: num(x.id),
    externalId: String(x.externalId),
    title: String(x.title),
    riskScore: num(x.riskScore),
    riskLevel: x.riskLevel as RiskLevel,
    aiLevel: x.aiLevel as AiLevel,
    aiTool: (x.aiTool as string | null) ?? null,
    tier: num(x.tier) as Tier,
    author: String(x.author),
  });

  const days = Array.from({ length: 7 }, (_, i) => new Date(w.start.getTime() + i * 86_400_000).toISOString().slice(0, 10));
  const perDay = days.map((date) => {
    const point = { date, none: 0, assisted: 0, generated: 0, agent: 0 };
    for (const p of jsonOf(r.per_day, [])) if (p.day === date && (AI_LEVELS as readonly string[]).includes(p.ai_level)) point[p.ai_level as AiLevel] += num(p.n);
    return point;
  });
  const riskCounts = new Map(jsonOf(r.risk, []).map((b) => [num(b.bucket), num(b.n)]));
  const risk = Array.from({ length: 10 }, (_, i) => ({
    bucket: i === 9 ? '90–100' : `${i * 10}–${i * 10 + 9}`,
    from: i * 10,
    level: (i * 10 >= 80 ? 'critical' : i * 10 >= 60 ? 'high' : i * 10 >= 30 ? 'medium' : 'low') as RiskLevel,
    count: riskCounts.get(i) ?? 0,
  }));

  const detail: Omit<WeekDetail, 'incidents'> = {
    riskiest: jsonOf(r.riskiest, []).map(shippedOf),
    tier1WithoutTwo: jsonOf(r.tier1_without_two, []).map(shippedOf),
    services: jsonOf(r.services, []).map(
      (x): ServiceRisk => ({
        slug: String(x.slug),
        tier: num(x.tier) as Tier,
        team: (x.team as string | null) ?? null,
        changes: num(x.changes),
        highRisk: num(x.high_risk),
        maxRisk: num(x.max_risk),
        riskSum: num(x.risk_sum),
        incidents: num(x.incidents),
      }),
    ),
    bypasses: jsonOf(r.bypasses, []).map(
      (x): ReportBypass => ({
        deploymentId: num(x.deployment_id),
        at: iso(x.at),
        status: String(x.status),
        source: String(x.source),
        deployedBy: (x.deployed_by as string | null) ?? null,
        change: changeOf(x.change as Record<string, unknown>),
      }),
    ),
    watchouts: jsonOf(r.watchouts, []).map(
      (x): ReportWatchout => ({
        id: num(x.id),
        author: String(x.author),
        scope: String(x.scope),
        service: (x.service as string | null) ?? null,
        pattern: (x.pattern as string | null) ?? null,
        text: String(x.text),
        createdAt: iso(x.created_at),
      }),
    ),
    overdueBreakGlass: jsonOf(r.break_glass, []).map(
      (x): ReportBreakGlass => ({
        id: num(x.id),
        change: changeOf(x.change as Record<string, unknown>),
        openedBy: String(x.opened_by),
        openedAt: iso(x.opened_at),
        endedAt: iso(x.ended_at),
        justification: String(x.justification),
        dueAt: iso(x.due_at),
      }),
    ),
    attestations: jsonOf(r.attestations, []).map(
      (x): ReportAttestation => ({ handle: String(x.handle), name: String(x.name), role: String(x.role), note: String(x.note ?? ''), attestedAt: iso(x.attested_at) }),
    ),
    charts: { perDay, risk, latency: [] },
  };
  return { figures, detail };
}

/**
 * Every write in Countersign appends an audit event in its own transaction, so the last
 * audit event id is a version of all the data a report reads. A week's figures are cached
 * per process under that version: any write anywhere invalidates them, every instance
 * rebuilds its own, and nothing is ever served that a write has since changed.
 */
const REPORT_CACHE_MAX = 64;
type WeekCache = Map<string, { version: number; data: Promise<WeeklyData> }>;
// Per database handle: two databases (tests run PGlite and PostgreSQL side by side) never share entries.
const globalForReports = globalThis as unknown as { __countersignReportCache?: WeakMap<object, WeekCache> };

/**
 * Frequent events that change nothing a report reads (a gate call records a gate decision,
 * which no figure uses): they do not invalidate the cache. The newest other event is found by
 * walking the primary key backwards, so the cost is the run of such events at the tail.
 */
const REPORT_NEUTRAL_ACTIONS = ['gate.decided', 'auth.signed_in', 'token.created', 'token.revoked'];

export async function dataVersion(q: Queryable): Promise<number> {
  const neutral = sql.join(
    REPORT_NEUTRAL_ACTIONS.map((a) => sql`${a}`),
    sql`, `,
  );
  const [row] = await queryRows<{ v: unknown }>(q, sql`select coalesce((select id from audit_events where action not in (${neutral}) order by id desc limit 1), 0)::text as v`);
  return Number(row?.v ?? 0);
}

async function cachedWeeklyData(q: Queryable, week: IsoWeek): Promise<WeeklyData> {
  // The version is read before the data: a write landing in between makes the entry stale, never wrong.
  const version = await dataVersion(q);
  const caches = (globalForReports.__countersignReportCache ??= new WeakMap());
  let cache = caches.get(q);
  if (!cache) {
    cache = new Map();
    caches.set(q, cache);
  }
  const hit = cache.get(week.id);
  if (hit && hit.version === version) {
    cache.delete(week.id);
    cache.set(week.id, hit);
    return hit.data;
  }
  const data = (async () => {
    const policy = await getPolicy(q);
    return getWeeklyData(q, { prevStart: shiftIsoWeek(week, -1).start, start: week.start, end: week.end }, policy.approvals);
  })();
  cache.set(week.id, { version, data });
  data.catch(() => {
    if (cache?.get(week.id)?.data === data) cache.delete(week.id);
  });
  while (cache.size > REPORT_CACHE_MAX) cache.delete(cache.keys().next().value!);
  return data;
}

/** The report of an ISO week (`2026-W11`); a malformed week throws IsoWeekError. */
export async function getWeeklyReport(q: Queryable, opts: { isoWeek: string; now?: Date; fresh?: boolean }): Promise<WeeklyReport> {
  const week = parseIsoWeek(opts.isoWeek);
  const data = opts.fresh
    ? await getWeeklyData(q, { prevStart: shiftIsoWeek(week, -1).start, start: week.start, end: week.end }, (await getPolicy(q)).approvals)
    : await cachedWeeklyData(q, week);
  return buildWeeklyReport(week, data, opts.now ?? new Date());
}
