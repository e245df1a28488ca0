// SQL fragments the report and the compliance page share, so "production", "valid approval
// at deploy time" and "followed by an incident" mean the same thing on both.
import { sql, type SQL } from 'drizzle-orm';
import type { ApprovalPolicy } from '@/lib/policy/approvals';
import { matchesProductionSql } from '@/lib/policy/production';

/** Same rule as isProduction() (lib/policy/production.ts). */
export function isProductionSql(column: SQL, policy: ApprovalPolicy): SQL {
  return matchesProductionSql(column, policy.productionEnvironments);
}

export function ts(d: Date): SQL {
  return sql`${d.toISOString()}::timestamptz`;
}

/**
 * Valid approvals of a deployment when it happened: approve decisions on the deployed
 * revision given before it and not withdrawn by then, by humans of an approver role and
 * the level its tier needs, never the author or a co-author. `d` must expose change_id,
 * revision_id, created_at, author_id and top_tier.
 */
export function validApprovalsAtDeploySql(d: string, policy: ApprovalPolicy): SQL {
  const alias = sql.raw(d);
  const roles = sql.join(policy.approverRoles.map((r) => sql`${r}`), sql`, `);
  const lv = policy.minLevelByTier;
  return sql`(
    select count(distinct a.person_id)::int
    from approvals a
    join people ap on ap.id = a.person_id
    where a.change_id = ${alias}.change_id
      and a.revision_id = ${alias}.revision_id
      and a.decision = 'approve'
      and a.created_at <= ${alias}.created_at
      and (a.withdrawn_at is null or a.withdrawn_at > ${alias}.created_at)
      and not ap.is_bot
      and ap.role in (${roles})
      and ap.level >= (case ${alias}.top_tier when 1 then ${lv[1]}::int when 2 then ${lv[2]}::int else ${lv[3]}::int end)
      and a.person_id <> ${alias}.author_id
      and not exists (select 1 from change_coauthors cc where cc.change_id = ${alias}.change_id and cc.person_id = a.person_id)
  )`;
}

/** A succeeded deployment whose change is the recorded cause of an incident that started after it. */
export function followedByIncidentSql(d: string): SQL {
  const alias = sql.raw(d);
  return sql`exists (select 1 from incidents fi where fi.cause_change_id = ${alias}.change_id and fi.started_at >= ${alias}.created_at)`;
}

/** Timestamps come back as Date (drivers) or as strings (inside json): always ISO strings out. */
export function iso(v: unknown): string {
  return (v instanceof Date ? v : new Date(String(v))).toISOString();
}

export function isoOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : iso(v);
}

export function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v ?? 0);
}

export function numOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}

/** json columns arrive parsed from both drivers; tolerate a string just in case. */
export function jsonOf<T>(v: T | string | null | undefined, fallback: NonNullable<T>): NonNullable<T> {
  if (v === null || v === undefined) return fallback;
  if (typeof v === 'string') return JSON.parse(v) as NonNullable<T>;
  return v as NonNullable<T>;
}


/**
 * A lateral row `(at, submitted)`: when the change's second distinct approver first approved (not
 * withdrawn), and when the change was submitted. The report's and compliance's approval latency.
 */
export function secondApprovalSql(changeId: SQL): SQL {
  return sql`(
    select f.at, (select c.created_at from changes c where c.id = ${changeId}) as submitted from (
      select a.person_id, min(a.created_at) as at from approvals a
      where a.change_id = ${changeId} and a.decision = 'approve' and a.withdrawn_at is null
      group by a.person_id
    ) f
    order by f.at, f.person_id offset 1 limit 1
  )`;
}
