// Shared by the leadership tests (audit, compliance, weekly report): people and changes of
// their own, created through the real write paths, and the figures of a week recomputed by
// SQL written here — independently of db/queries — to check the report against.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '@/db/client';
import { people } from '@/db/schema';
import { hashPassword } from '@/lib/auth/password';
import { SubmitChangeInput } from '@/lib/changes/schema';
import { submitChange } from '@/lib/changes/submit';
import { uid } from '../support/db';

// No team by default: people added to a seeded team would change its suggested reviewers for the
// other test files of the worker (they share the database).
export async function newPerson(db: Db, role: 'engineer' | 'senior' | 'director' | 'vp', level: number, team: string | null = null): Promise<{ id: number; handle: string }> {
  const handle = uid(role).replace(/[^A-Za-z0-9._-]/g, '-');
  const [p] = await db
    .insert(people)
    .values({ handle, name: `Test ${role} ${handle}`, email: `${handle}@leadership.test`, level, role, team, passwordHash: await hashPassword('leadership-test') })
    .returning({ id: people.id, handle: people.handle });
  return p!;
}

export function bigDiff(label: string, lines: number): string {
  const body = Array.from({ length: lines }, (_, i) => `+export const LIMIT_${i} = ${i}; // ${label}`).join('\n');
  return `diff --git a/src/limits/${label}.ts b/src/limits/${label}.ts
new file mode 100644
index 0000000..a9c4f2d
--- /dev/null
+++ b/src/limits/${label}.ts
@@ -0,0 +1,${lines} @@
${body}
`;
}

export async function newChange(db: Db, o: { author: string; services?: string[]; lines?: number; ai?: 'none' | 'assisted' | 'generated' | 'agent'; title?: string }) {
  const externalId = `acme/leadership#${uid('c')}`;
  return submitChange(
    db,
    SubmitChangeInput.parse({
      externalId,
      title: o.title ?? `Leadership test change ${externalId}`,
      author: o.author,
      services: o.services ?? ['checkout'],
      kind: 'code',
      ai: { level: o.ai ?? 'none' },
      environment: 'production',
      validation: { preDeploy: true },
      diff: bigDiff(externalId.replace(/[^a-z0-9]/gi, '_'), o.lines ?? 3),
    }),
    { personId: null, label: 'test' },
  );
}

export interface IndependentFigures {
  shipped: number;
  deployments: number;
  byAi: Record<string, number>;
  tier1: number;
  tier1Compliant: number;
  bypasses: number;
  incidents: number;
  bySeverity: Record<string, number>;
  minutes: number;
  lostOrders: number | null;
  failed: number;
  latencyCount: number;
  latencyMedian: number | null;
}

/**
 * The week's figures straight from the tables, written without db/queries: joins and
 * NOT EXISTS where the app uses CTEs and scalar subqueries, so a shared mistake is unlikely.
 */
export async function independentFigures(db: Db, start: Date, end: Date): Promise<IndependentFigures> {
  const s = start.toISOString();
  const e = end.toISOString();
  const one = async <T>(q: ReturnType<typeof sql>) => (await queryRows<T>(db, q))[0]!;
  const inWeek = sql`d.environment = 'production' and d.status = 'succeeded' and d.created_at >= ${s}::timestamptz and d.created_at < ${e}::timestamptz`;
  const base = await one<{ shipped: string; deployments: string; failed: string }>(sql`
    select count(distinct d.change_id)::text as shipped, count(*)::text as deployments,
      count(*) filter (where exists (select 1 from incidents i where i.cause_change_id = d.change_id and i.started_at >= d.created_at))::text as failed
    from deployments d where ${inWeek}`);
  const ai = await queryRows<{ ai_level: string; n: string }>(
    db,
    sql`select c.ai_level, count(*)::text as n from changes c where c.id in (select d.change_id from deployments d where ${inWeek}) group by c.ai_level`,
  );
  // A Tier-1 change is compliant when none of its production deployments that week lacked two valid approvals.
  const tier1 = await one<{ total: string; compliant: string }>(sql`
    select count(*)::text as total,
      count(*) filter (where not exists (
        select 1 from deployments d
        where d.change_id = c.id and ${inWeek}
          and (select count(distinct a.person_id) from approvals a
               join people p on p.id = a.person_id
               left join change_coauthors co on co.change_id = a.change_id and co.person_id = a.person_id
               where a.revision_id = d.revision_id and a.decision = 'approve' and a.created_at <= d.created_at
                 and (a.withdrawn_at is null or a.withdrawn_at > d.created_at)
                 and p.is_bot = false and p.level >= 7 and p.role in ('senior', 'director', 'vp')
                 and a.person_id <> c.author_id and co.person_id is null) < 2
      ))::text as compliant
    from changes c
    where c.top_tier = 1 and c.id in (select d.change_id from deployments d where ${inWeek})`);
  const byp = await one<{ n: string }>(
    sql`select count(*)::text as n from deployments d where d.bypass and d.environment = 'production' and d.created_at >= ${s}::timestamptz and d.created_at < ${e}::timestamptz`,
  );
  const inc = await queryRows<{ severity: number; minutes: string | null; lost_orders: string | null }>(
    db,
    sql`select severity, round(extract(epoch from (resolved_at - started_at)) / 60)::text as minutes, lost_orders::text
        from incidents where started_at >= ${s}::timestamptz and started_at < ${e}::timestamptz`,
  );
  const lat = await one<{ n: string; med: number | null }>(sql`
    with firsts as (
      select a.change_id, a.person_id, min(a.created_at) as at from approvals a
      where a.decision = 'approve' and a.withdrawn_at is null
        and a.change_id in (select change_id from approvals where created_at >= ${s}::timestamptz and created_at < ${e}::timestamptz)
      group by a.change_id, a.person_id
    ),
    second as (
      select f.change_id, f.at from firsts f
      where (select count(*) from firsts g where g.change_id = f.change_id and (g.at < f.at or (g.at = f.at and g.person_id < f.person_id))) = 1
    )
    select count(*)::text as n, percentile_cont(0.5) within group (order by extract(epoch from (x.at - c.created_at)) / 60) as med
    from second x join changes c on c.id = x.change_id
    where x.at >= ${s}::timestamptz and x.at < ${e}::timestamptz`);
  const bySeverity: Record<string, number> = { 1: 0, 2: 0, 3: 0, 4: 0 };
  for (const i of inc) bySeverity[String(i.severity)]! += 1;
  const known = inc.filter((i) => i.lost_orders !== null);
  return {
    shipped: Number(base.shipped),
    deployments: Number(base.deployments),
    failed: Number(base.failed),
    byAi: Object.fromEntries(['none', 'assisted', 'generated', 'agent'].map((l) => [l, Number(ai.find((a) => a.ai_level === l)?.n ?? 0)])),
    tier1: Number(tier1.total),
    tier1Compliant: Number(tier1.compliant),
    bypasses: Number(byp.n),
    incidents: inc.length,
    bySeverity,
    minutes: inc.reduce((n, i) => n + (i.minutes === null ? 0 : Number(i.minutes)), 0),
    lostOrders: known.length ? known.reduce((n, i) => n + Number(i.lost_orders), 0) : null,
    latencyCount: Number(lat.n),
    latencyMedian: lat.med === null ? null : Math.round(Number(lat.med)),
  };
}
