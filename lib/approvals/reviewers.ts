// Who should review a change: the approvers best placed to judge it — people in an approver role,
// senior enough for the change, on the teams that own the touched services or the Tier-1 services in
// its blast radius — minus its author, co-authors and whoever already decided on the current revision.
// One rule, two forms: a pure function for one change (the change page) and a SQL predicate the queue
// uses for a whole page at once (and for "Needs my review"); a test holds them to the same answer.
import { sql, type SQL } from 'drizzle-orm';
import { approvals, changeCoauthors, changes, changeServices, people, services } from '@/db/schema';
import type { Role } from '@/db/schema/enums';
import type { ApprovalPolicy } from '@/lib/policy/approvals';
import { matchesProductionSql } from '@/lib/policy/production';

export interface ReviewerCandidate {
  id: number;
  handle: string;
  name: string;
  level: number | null;
  role: Role;
  team: string | null;
  isBot: boolean;
  deactivated: boolean;
}

export interface OwnedService {
  slug: string;
  team: string | null;
}

export interface SuggestedReviewer {
  handle: string;
  name: string;
  level: number | null;
  role: Role;
  team: string | null;
  /** 'owner': their team owns a touched service; 'blast': only a Tier-1 service in the blast radius. */
  kind: 'owner' | 'blast';
  /** The services that make them a good reviewer, touched ones first. */
  services: string[];
}

export interface SuggestInput {
  candidates: readonly ReviewerCandidate[];
  touched: readonly OwnedService[];
  /** Tier-1 services anywhere in the blast radius. */
  tier1InBlast: readonly OwnedService[];
  authorId: number;
  /** Who submitted the change (its pipeline account or person): not eligible either. */
  submitterId: number | null;
  coauthorIds: readonly number[];
  /** People with a standing (not withdrawn) decision on the current revision. */
  decidedIds: readonly number[];
  /** The change's required approver level (Requirement.minLevel). */
  minLevel: number;
  policy: Pick<ApprovalPolicy, 'approverRoles'>;
}

/** Approver roles in the order a reviewer is suggested: the people closest to the code first. */
const ROLE_ORDER: readonly Role[] = ['senior', 'director', 'vp', 'admin', 'engineer'];

export function suggestReviewers(input: SuggestInput): SuggestedReviewer[] {
  const excluded = new Set([input.authorId, ...(input.submitterId === null ? [] : [input.submitterId]), ...input.coauthorIds, ...input.decidedIds]);
  const byTeam = (list: readonly OwnedService[]) => {
    const m = new Map<string, string[]>();
    for (const s of list) if (s.team) m.set(s.team, [...(m.get(s.team) ?? []), s.slug]);
    return m;
  };
  const touchedByTeam = byTeam(input.touched);
  const blastByTeam = byTeam(input.tier1InBlast);
  const out: SuggestedReviewer[] = [];
  for (const p of input.candidates) {
    if (p.isBot || p.deactivated || excluded.has(p.id) || !p.team) continue;
    if (!input.policy.approverRoles.includes(p.role) || (p.level ?? 0) < input.minLevel) continue;
    const owned = touchedByTeam.get(p.team) ?? [];
    const near = blastByTeam.get(p.team) ?? [];
    if (!owned.length && !near.length) continue;
    out.push({
      handle: p.handle,
      name: p.name,
      level: p.level,
      role: p.role,
      team: p.team,
      kind: owned.length ? 'owner' : 'blast',
      services: [...new Set([...owned.sort(), ...near.sort()])],
    });
  }
  return out.sort(compareReviewers);
}

export function compareReviewers(a: Pick<SuggestedReviewer, 'kind' | 'role' | 'handle'>, b: Pick<SuggestedReviewer, 'kind' | 'role' | 'handle'>): number {
  return (a.kind === b.kind ? 0 : a.kind === 'owner' ? -1 : 1)
    || ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role)
    || (a.handle < b.handle ? -1 : a.handle > b.handle ? 1 : 0);
}

// ---- The same rule in SQL, evaluated against the outer `changes` row of a query. ----

const int = (n: number) => sql`${n}::int`;

/** Requirement.minLevel of the outer change, as requirementOf computes it (lib/approvals/state.ts). */
export function minLevelSql(policy: ApprovalPolicy): SQL {
  // nearest_tier1_depth and blast_tier1_slugs are kept by the database from blast_radius: a row
  // never unpacks a blast radius of thousands of entries here (docs/performance.md).
  const effectiveTier = sql`(case when ${changes.topTier} = 1 or ${changes.nearestTier1Depth} <= ${int(policy.tier1BlastDepth)} then 1 else ${changes.topTier} end)`;
  const byTier = sql`(case ${effectiveTier} when 1 then ${int(policy.minLevelByTier[1])} when 2 then ${int(policy.minLevelByTier[2])} else ${int(policy.minLevelByTier[3])} end)`;
  const production = matchesProductionSql(sql`${changes.environment}`, policy.productionEnvironments);
  return sql`(case when ${production} and (${changes.riskLevel} = 'critical' or ${changes.destructive})
    then greatest(${byTier}, ${int(policy.minLevelByTier[1])}) else ${byTier} end)`;
}

/** Teams owning the outer change's touched services, as an array: computed once per change. */
function touchedTeamsSql(): SQL {
  return sql`array(select s.team from ${changeServices} cs join ${services} s on s.id = cs.service_id where cs.change_id = ${changes.id} and s.team is not null)`;
}

/** Teams owning the Tier-1 services of the outer change's blast radius (index probes by slug). */
function blastTeamsSql(): SQL {
  return sql`array(select s.team from ${services} s where s.slug = any(array(select jsonb_array_elements_text(${changes.blastTier1Slugs}))) and s.team is not null)`;
}

/**
 * True for rows of `people` aliased `rp` that are suggested reviewers of the outer change; `teams`
 * is the array of teams whose seniors qualify (an index on people.team finds them).
 */
function reviewerPredicateSql(policy: ApprovalPolicy, teams: SQL): SQL {
  const roles = policy.approverRoles.length ? sql.join(policy.approverRoles.map((r) => sql`${r}`), sql`, `) : sql`null`;
  return sql`rp.team = any(${teams})
    and rp.role in (${roles}) and not rp.is_bot and rp.deactivated_at is null
    and rp.level >= ${minLevelSql(policy)}
    and rp.id <> ${changes.authorId}
    and rp.id is distinct from ${changes.submitterId}
    and not exists (select 1 from ${changeCoauthors} rc where rc.change_id = ${changes.id} and rc.person_id = rp.id)
    and not exists (select 1 from ${approvals} ra where ra.revision_id = ${changes.currentRevisionId} and ra.person_id = rp.id and ra.withdrawn_at is null)`;
}

/** `exists`: the given person is a suggested reviewer of the outer change (the queue's "Needs my review"). */
export function isSuggestedReviewerSql(policy: ApprovalPolicy, personId: number): SQL {
  return sql`exists (select 1 from ${people} rp where rp.id = ${int(personId)} and ${reviewerPredicateSql(policy, sql`(${touchedTeamsSql()} || ${blastTeamsSql()})`)})`;
}

/**
 * The outer change's suggested reviewers as JSON `{items: [{handle, name, kind}], total}`: the first
 * `limit` in suggestion order, and how many there are (a hub change can have hundreds; a queue row
 * shows a few).
 */
export function suggestedReviewersJsonSql(policy: ApprovalPolicy, limit = 5): SQL {
  return sql`(select json_build_object(
      'items', coalesce(json_agg(json_build_object('handle', r.handle, 'name', r.name, 'kind', case when r.owner then 'owner' else 'blast' end)
        order by r.rank) filter (where r.rank <= ${int(limit)}), '[]'::json),
      'total', count(*))
    from (select ${touchedTeamsSql()} as touched, ${blastTeamsSql()} as blast) t
    cross join lateral (
      select c.*, row_number() over (order by c.owner desc, c.role_order, c.handle collate "C") as rank
      from (
        select rp.handle, rp.name, rp.team = any(t.touched) as owner,
          coalesce(array_position(array[${sql.join(ROLE_ORDER.map((r) => sql`${r}`), sql`, `)}]::text[], rp.role), 99) as role_order
        from ${people} rp
        where ${reviewerPredicateSql(policy, sql`(t.touched || t.blast)`)}
      ) c
    ) r)`;
}
