// The compliance page's reads for a period, optionally scoped to a team or a service: Tier-1
// two-person sign-off at deploy time, bypasses, break-glass follow-ups, approval latency, AI
// share with incident and change failure rates, and review-depth signals with their evidence.
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Queryable } from '@/db/client';
import { AI_LEVELS, type AiLevel, type RiskLevel, type Tier } from '@/db/schema/enums';
import type { Policy } from '@/lib/policy';
import { BREAK_GLASS_FOLLOW_UP_HOURS, LATENCY_BUCKETS, RECIPROCAL_PAIR, SIGNAL_LIST_LIMIT } from '@/lib/reports/definitions';
import { followedByIncidentSql, iso, isoOrNull, isProductionSql, secondApprovalSql, num, numOrNull, ts, validApprovalsAtDeploySql } from './leadership-sql';

export interface CompliancePeriod {
  /** Inclusive start. */
  from: Date;
  /** Exclusive end. */
  to: Date;
  team?: string;
  service?: string;
}

export interface ChangeBrief {
  id: number;
  externalId: string;
  title: string;
  tier: Tier;
  riskScore: number;
  riskLevel: RiskLevel;
  aiLevel: AiLevel;
  author: string;
}

export interface ComplianceData {
  twoPerson: {
    deployments: number;
    compliant: number;
    /** Per team, or per service when a team is chosen. */
    breakdown: { key: string; deployments: number; compliant: number }[];
    without: {
      deploymentId: number;
      at: string;
      approvals: number;
      bypass: boolean;
      breakGlass: boolean;
      deployedBy: string | null;
      change: ChangeBrief;
      /** The gate decision the deployment reported (what the gate saw and said then), or null: none allowed it. */
      gate: { id: number; at: string; allowed: boolean; reasons: string[]; required: number; valid: number; environment: string } | null;
    }[];
  };
  bypasses: { deploymentId: number; at: string; status: string; source: string; environment: string; deployedBy: string | null; change: ChangeBrief }[];
  breakGlass: {
    id: number;
    openedAt: string;
    expiresAt: string;
    closedAt: string | null;
    openedBy: string;
    justification: string;
    incidentRef: string | null;
    followUpCompletedAt: string | null;
    followUpDueAt: string;
    state: 'done' | 'overdue' | 'pending' | 'active';
    change: ChangeBrief;
  }[];
  latency: { count: number; medianMinutes: number | null; p90Minutes: number | null; buckets: { bucket: string; count: number }[] };
  /** Per AI level: changes shipped, their share, incidents linked to them (per change), and the change failure rate (per deployment). */
  ai: { level: AiLevel; changes: number; share: number | null; causedIncidents: number; incidentRate: number | null; deployments: number; failed: number; failureRate: number | null }[];
  signals: {
    fastApprovals: { total: number; items: { approvalId: number; reviewer: string; at: string; lines: number; minutes: number; neededMinutes: number; change: ChangeBrief }[] };
    rubberStamps: { reviewer: string; name: string; decisions: number; approvals: number; share: number; medianMinutes: number | null; fast: number }[];
    pairs: { a: string; b: string; aApprovals: number; aToB: number; bApprovals: number; bToA: number }[];
  };
}

/** Changes in scope: touching the team's or the service's services. `c` is the changes alias. */
function scopeSql(alias: string, p: CompliancePeriod): SQL {
  const c = sql.raw(alias);
  if (p.service) return sql`exists (select 1 from change_services cs join services s on s.id = cs.service_id where cs.change_id = ${c}.id and s.slug = ${p.service})`;
  if (p.team) return sql`exists (select 1 from change_services cs join services s on s.id = cs.service_id where cs.change_id = ${c}.id and s.team = ${p.team})`;
  return sql`true`;
}

const briefJson = (c: string, a: string) => {
  const x = sql.raw(c);
  const p = sql.raw(a);
  return sql`json_build_object('id', ${x}.id, 'externalId', ${x}.external_id, 'title', ${x}.title, 'tier', ${x}.top_tier, 'riskScore', ${x}.risk_score,
    'riskLevel', ${x}.risk_level, 'aiLevel', ${x}.ai_level, 'author', ${p}.handle)`;
};

function brief(v: unknown): ChangeBrief {
  const x = (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, unknown>;
  return {
    id: num(x.id),
    externalId: String(x.externalId),
    title: String(x.title),
    tier: num(x.tier) as Tier,
    riskScore: num(x.riskScore),
    riskLevel: x.riskLevel as RiskLevel,
    aiLevel: x.aiLevel as AiLevel,
    author: String(x.author),
  };
}

export async function getComplianceData(q: Queryable, p: CompliancePeriod, policy: Policy, now = new Date()): Promise<ComplianceData> {
  const [twoPerson, bypasses, breakGlass, latency, ai, fast, stamps, pairs] = await Promise.all([
    twoPersonCompliance(q, p, policy),
    listBypasses(q, p, policy),
    listBreakGlass(q, p, now),
    approvalLatency(q, p),
    aiBreakdown(q, p, policy),
    fastApprovals(q, p, policy),
    rubberStamps(q, p, policy),
    reciprocalPairs(q, p),
  ]);
  return { twoPerson, bypasses, breakGlass, latency, ai, signals: { fastApprovals: fast, rubberStamps: stamps, pairs } };
}

async function twoPersonCompliance(q: Queryable, p: CompliancePeriod, policy: Policy): Promise<ComplianceData['twoPerson']> {
  const groupBy = p.team || p.service ? sql`s.slug` : sql`coalesce(s.team, 'unowned')`;
  const rows = await queryRows<Record<string, unknown>>(
    q,
    sql`
    with t1 as (
      select d.id, d.change_id, d.revision_id, d.created_at, d.bypass, d.deployed_by_id, d.gate_decision_id, c.author_id, c.top_tier
      from deployments d join changes c on c.id = d.change_id
      where d.created_at >= ${ts(p.from)} and d.created_at < ${ts(p.to)} and d.status = 'succeeded'
        and ${isProductionSql(sql`d.environment`, policy.approvals)} and c.top_tier = 1 and ${scopeSql('c', p)}
    ),
    tv as (
      select t1.*, ${validApprovalsAtDeploySql('t1', policy.approvals)} as valid,
        exists (select 1 from break_glass b where b.change_id = t1.change_id and b.opened_at <= t1.created_at
                and t1.created_at < least(b.closed_at, b.expires_at)) as under_glass
      from t1
    )
    select
      (select count(*) from tv)::int as deployments,
      (select count(*) from tv where valid >= 2)::int as compliant,
      (select json_agg(x order by x.deployments desc, x.key) from (
        select ${groupBy} as key, count(distinct tv.id)::int as deployments, count(distinct tv.id) filter (where tv.valid >= 2)::int as compliant
        from tv join change_services cs on cs.change_id = tv.change_id join services s on s.id = cs.service_id
        where s.tier = 1 ${p.team ? sql`and s.team = ${p.team}` : sql``} ${p.service ? sql`and s.slug = ${p.service}` : sql``}
        group by 1
      ) x) as breakdown,
      (select json_agg(x order by x.at desc) from (
        select tv.id as deployment_id, tv.created_at as at, tv.valid as approvals, tv.bypass, tv.under_glass, dp.handle as deployed_by, ${briefJson('c', 'ca')} as change,
          case when g.id is null then null else json_build_object('id', g.id, 'at', g.created_at, 'allowed', g.allowed, 'reasons', g.reasons,
            'required', g.required, 'valid', g.valid, 'environment', g.environment) end as gate
        from tv join changes c on c.id = tv.change_id join people ca on ca.id = c.author_id left join people dp on dp.id = tv.deployed_by_id
          left join gate_decisions g on g.id = tv.gate_decision_id
        where tv.valid < 2
        order by tv.created_at desc limit 100
      ) x) as without`,
  );
  const r = rows[0] ?? {};
  const parse = <T>(v: unknown): T[] => (v === null || v === undefined ? [] : ((typeof v === 'string' ? JSON.parse(v) : v) as T[]));
  return {
    deployments: num(r.deployments),
    compliant: num(r.compliant),
    breakdown: parse<Record<string, unknown>>(r.breakdown).map((x) => ({ key: String(x.key), deployments: num(x.deployments), compliant: num(x.compliant) })),
    without: parse<Record<string, unknown>>(r.without).map((x) => ({
      deploymentId: num(x.deployment_id),
      at: iso(x.at),
      approvals: num(x.approvals),
      bypass: x.bypass === true,
      breakGlass: x.under_glass === true,
      deployedBy: (x.deployed_by as string | null) ?? null,
      change: brief(x.change),
      gate: gateOf(x.gate),
    })),
  };
}

function gateOf(v: unknown): ComplianceData['twoPerson']['without'][number]['gate'] {
  if (v === null || v === undefined) return null;
  const g = (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, unknown>;
  const reasons = typeof g.reasons === 'string' ? (JSON.parse(g.reasons) as string[]) : ((g.reasons as string[] | null) ?? []);
  return { id: num(g.id), at: iso(g.at), allowed: g.allowed === true, reasons, required: num(g.required), valid: num(g.valid), environment: String(g.environment) };
}

async function listBypasses(q: Queryable, p: CompliancePeriod, policy: Policy): Promise<ComplianceData['bypasses']> {
  const rows = await queryRows<Record<string, unknown>>(
    q,
    sql`
    select d.id, d.created_at, d.status, d.source, d.environment, dp.handle as deployed_by, ${briefJson('c', 'ca')} as change
    from deployments d join changes c on c.id = d.change_id join people ca on ca.id = c.author_id left join people dp on dp.id = d.deployed_by_id
    where d.bypass and d.created_at >= ${ts(p.from)} and d.created_at < ${ts(p.to)}
      and ${isProductionSql(sql`d.environment`, policy.approvals)} and ${scopeSql('c', p)}
    order by d.created_at desc, d.id desc
    limit 500`,
  );
  return rows.map((r) => ({
    deploymentId: num(r.id),
    at: iso(r.created_at),
    status: String(r.status),
    source: String(r.source),
    environment: String(r.environment),
    deployedBy: (r.deployed_by as string | null) ?? null,
    change: brief(r.change),
  }));
}

async function listBreakGlass(q: Queryable, p: CompliancePeriod, now: Date): Promise<ComplianceData['breakGlass']> {
  const rows = await queryRows<Record<string, unknown>>(
    q,
    sql`
    select b.id, b.opened_at, b.expires_at, b.closed_at, b.justification, b.incident_ref, b.follow_up_completed_at,
      least(b.closed_at, b.expires_at) + ${BREAK_GLASS_FOLLOW_UP_HOURS} * interval '1 hour' as due_at,
      op.handle as opened_by, ${briefJson('c', 'ca')} as change
    from break_glass b join changes c on c.id = b.change_id join people ca on ca.id = c.author_id join people op on op.id = b.opened_by_id
    where b.opened_at >= ${ts(p.from)} and b.opened_at < ${ts(p.to)} and ${scopeSql('c', p)}
    order by b.opened_at desc
    limit 500`,
  );
  return rows.map((r) => {
    const closedAt = isoOrNull(r.closed_at);
    const expiresAt = iso(r.expires_at);
    const done = isoOrNull(r.follow_up_completed_at);
    const due = iso(r.due_at);
    const ended = Math.min(closedAt ? Date.parse(closedAt) : Infinity, Date.parse(expiresAt));
    const state = done ? 'done' : ended > now.getTime() ? 'active' : Date.parse(due) <= now.getTime() ? 'overdue' : 'pending';
    return {
      id: num(r.id),
      openedAt: iso(r.opened_at),
      expiresAt,
      closedAt,
      openedBy: String(r.opened_by),
      justification: String(r.justification),
      incidentRef: (r.incident_ref as string | null) ?? null,
      followUpCompletedAt: done,
      followUpDueAt: due,
      state,
      change: brief(r.change),
    };
  });
}

async function approvalLatency(q: Queryable, p: CompliancePeriod): Promise<ComplianceData['latency']> {
  const bucketCols = sql.join(
    LATENCY_BUCKETS.map((b, i) => sql`count(*) filter (where minutes >= ${b.fromMinutes} and minutes < ${b.toMinutes ?? 1e12})::int as ${sql.raw(`b${i}`)}`),
    sql`, `,
  );
  const rows = await queryRows<Record<string, unknown>>(
    q,
    sql`
    with cand as (
      select distinct a.change_id from approvals a join changes c on c.id = a.change_id
      where a.created_at >= ${ts(p.from)} and a.created_at < ${ts(p.to)} and a.decision = 'approve' and ${scopeSql('c', p)}
    ),
    second as (
      select extract(epoch from (s2.at - s2.submitted)) / 60.0 as minutes
      from cand
      cross join lateral ${secondApprovalSql(sql.raw('cand.change_id'))} s2
      where s2.at >= ${ts(p.from)} and s2.at < ${ts(p.to)}
    )
    select count(*)::int as n,
      (percentile_cont(0.5) within group (order by minutes))::float8 as med,
      (percentile_cont(0.9) within group (order by minutes))::float8 as p90,
      ${bucketCols}
    from second`,
  );
  const r = rows[0] ?? {};
  return {
    count: num(r.n),
    medianMinutes: r.med === null || r.med === undefined ? null : Math.round(Number(r.med)),
    p90Minutes: r.p90 === null || r.p90 === undefined ? null : Math.round(Number(r.p90)),
    buckets: LATENCY_BUCKETS.map((b, i) => ({ bucket: b.label, count: num(r[`b${i}`]) })),
  };
}

async function aiBreakdown(q: Queryable, p: CompliancePeriod, policy: Policy): Promise<ComplianceData['ai']> {
  const rows = await queryRows<Record<string, unknown>>(
    q,
    sql`
    with s as (
      select d.id, d.change_id, d.created_at, c.ai_level
      from deployments d join changes c on c.id = d.change_id
      where d.created_at >= ${ts(p.from)} and d.created_at < ${ts(p.to)} and d.status = 'succeeded'
        and ${isProductionSql(sql`d.environment`, policy.approvals)} and ${scopeSql('c', p)}
    ),
    sf as (select s.*, ${followedByIncidentSql('s')} as failed from s),
    per_change as (
      select change_id, min(ai_level) as ai_level,
        (select count(*) from incidents i where i.cause_change_id = sf.change_id)::int as incidents
      from sf group by change_id
    )
    select l.ai_level,
      (select count(*) from per_change pc where pc.ai_level = l.ai_level)::int as changes,
      (select coalesce(sum(pc.incidents), 0) from per_change pc where pc.ai_level = l.ai_level)::int as caused,
      (select count(*) from sf where sf.ai_level = l.ai_level)::int as deployments,
      (select count(*) from sf where sf.ai_level = l.ai_level and sf.failed)::int as failed
    from (values ${sql.join(
      AI_LEVELS.map((l) => sql`(${l})`),
      sql`, `,
    )}) as l(ai_level)`,
  );
  const total = rows.reduce((n, r) => n + num(r.changes), 0);
  return AI_LEVELS.map((level) => {
    const r = rows.find((x) => x.ai_level === level) ?? {};
    const changes = num(r.changes);
    const deployments = num(r.deployments);
    return {
      level,
      changes,
      share: total ? changes / total : null,
      causedIncidents: num(r.caused),
      incidentRate: changes ? num(r.caused) / changes : null,
      deployments,
      failed: num(r.failed),
      failureRate: deployments ? num(r.failed) / deployments : null,
    };
  });
}

/** Approvals given in less time than reading the revision's lines at the policy's pace would take. */
async function fastApprovals(q: Queryable, p: CompliancePeriod, policy: Policy): Promise<ComplianceData['signals']['fastApprovals']> {
  const lpm = policy.review.readingLinesPerMinute;
  const rows = await queryRows<Record<string, unknown>>(
    q,
    sql`
    with f as (
      select a.id, a.created_at, a.change_id, rp.handle as reviewer, (r.additions + r.deletions) as lines,
        extract(epoch from (a.created_at - r.created_at)) / 60.0 as minutes
      from approvals a
      join revisions r on r.id = a.revision_id
      join changes c on c.id = a.change_id
      join people rp on rp.id = a.person_id
      where a.decision = 'approve' and a.created_at >= ${ts(p.from)} and a.created_at < ${ts(p.to)}
        and (r.additions + r.deletions) > 0
        and extract(epoch from (a.created_at - r.created_at)) / 60.0 < (r.additions + r.deletions)::float8 / ${lpm}
        and ${scopeSql('c', p)}
    )
    select (select count(*) from f)::int as total,
      (select json_agg(x) from (
        select f.id, f.created_at as at, f.reviewer, f.lines, f.minutes, ${briefJson('c', 'ca')} as change
        from f join changes c on c.id = f.change_id join people ca on ca.id = c.author_id
        order by (f.lines / ${lpm}::float8 - f.minutes) desc, f.created_at desc
        limit ${SIGNAL_LIST_LIMIT}
      ) x) as items`,
  );
  const r = rows[0] ?? {};
  const items = (r.items === null || r.items === undefined ? [] : ((typeof r.items === 'string' ? JSON.parse(r.items) : r.items) as Record<string, unknown>[])).map((x) => ({
    approvalId: num(x.id),
    reviewer: String(x.reviewer),
    at: iso(x.at),
    lines: num(x.lines),
    minutes: Math.max(0, Math.round(Number(x.minutes) * 10) / 10),
    neededMinutes: Math.round((num(x.lines) / lpm) * 10) / 10,
    change: brief(x.change),
  }));
  return { total: num(r.total), items };
}

/** Reviewers with enough decisions in the period who approve (nearly) all of them. */
async function rubberStamps(q: Queryable, p: CompliancePeriod, policy: Policy): Promise<ComplianceData['signals']['rubberStamps']> {
  const { rubberStampShare, rubberStampMinReviews, readingLinesPerMinute: lpm } = policy.review;
  const rows = await queryRows<Record<string, unknown>>(
    q,
    sql`
    select rp.handle, rp.name, count(*)::int as decisions, count(*) filter (where a.decision = 'approve')::int as approvals,
      (percentile_cont(0.5) within group (order by extract(epoch from (a.created_at - r.created_at)) / 60.0))::float8 as med,
      count(*) filter (where a.decision = 'approve' and (r.additions + r.deletions) > 0
        and extract(epoch from (a.created_at - r.created_at)) / 60.0 < (r.additions + r.deletions)::float8 / ${lpm})::int as fast
    from approvals a
    join revisions r on r.id = a.revision_id
    join changes c on c.id = a.change_id
    join people rp on rp.id = a.person_id
    where a.created_at >= ${ts(p.from)} and a.created_at < ${ts(p.to)} and ${scopeSql('c', p)}
    group by rp.id, rp.handle, rp.name
    having count(*) >= ${rubberStampMinReviews}
      and count(*) filter (where a.decision = 'approve')::float8 / count(*) >= ${rubberStampShare}
    order by count(*) filter (where a.decision = 'approve')::float8 / count(*) desc, count(*) desc`,
  );
  return rows.map((r) => ({
    reviewer: String(r.handle),
    name: String(r.name),
    decisions: num(r.decisions),
    approvals: num(r.approvals),
    share: num(r.approvals) / Math.max(1, num(r.decisions)),
    medianMinutes: numOrNull(r.med) === null ? null : Math.round(Number(r.med)),
    fast: num(r.fast),
  }));
}

/** Two people whose approvals of others' changes go (almost) only to each other's changes. */
async function reciprocalPairs(q: Queryable, p: CompliancePeriod): Promise<ComplianceData['signals']['pairs']> {
  const rows = await queryRows<Record<string, unknown>>(
    q,
    sql`
    with ap as (
      select a.person_id as reviewer, c.author_id as author, count(*)::int as n
      from approvals a join changes c on c.id = a.change_id
      where a.decision = 'approve' and a.created_at >= ${ts(p.from)} and a.created_at < ${ts(p.to)} and ${scopeSql('c', p)}
      group by a.person_id, c.author_id
    ),
    tot as (select reviewer, sum(n)::int as total from ap group by reviewer)
    select pa.handle as a, pb.handle as b, ta.total as a_total, x.n as a_to_b, tb.total as b_total, y.n as b_to_a
    from ap x
    join ap y on y.reviewer = x.author and y.author = x.reviewer
    join tot ta on ta.reviewer = x.reviewer
    join tot tb on tb.reviewer = y.reviewer
    join people pa on pa.id = x.reviewer
    join people pb on pb.id = y.reviewer
    where x.reviewer < y.reviewer
      and ta.total >= ${RECIPROCAL_PAIR.minApprovals} and tb.total >= ${RECIPROCAL_PAIR.minApprovals}
      and x.n::float8 / ta.total >= ${RECIPROCAL_PAIR.share} and y.n::float8 / tb.total >= ${RECIPROCAL_PAIR.share}
    order by x.n + y.n desc`,
  );
  return rows.map((r) => ({ a: String(r.a), b: String(r.b), aApprovals: num(r.a_total), aToB: num(r.a_to_b), bApprovals: num(r.b_total), bToA: num(r.b_to_a) }));
}
