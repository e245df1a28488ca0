// Every policy rule that has an SQL twin gives the same answer in TypeScript and in the database,
// over every combination that matters: environments (listed, qualified, look-alikes, odd case and
// blanks), tiers, nearest Tier-1 depth, risk level and destructive.
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { Queryable } from '@/db/client';
import { minLevelSql } from '@/lib/approvals/reviewers';
import { DEFAULT_APPROVAL_POLICY, isProduction, requiredApprovals, type ApprovalPolicy } from '@/lib/policy/approvals';
import { matchesProductionSql } from '@/lib/policy/production';
import { isProduction as isProductionForRisk } from '@/lib/risk/score';
import { RISK_WEIGHTS } from '@/lib/policy/risk';
import { describeEachDb } from '../support/db';

const ENVIRONMENTS = [
  'production', 'Production', ' production ', 'prod', 'PROD', 'prod-eu-west-1', 'production/us', 'prod.eu', 'prod_1', 'prod:blue',
  'prodution', 'products', 'preprod', 'non-prod', 'staging', 'dev', 'sandbox', '', 'prod\nx', 'production-', 'p.d',
];
const POLICIES: ApprovalPolicy[] = [
  DEFAULT_APPROVAL_POLICY,
  { ...DEFAULT_APPROVAL_POLICY, productionEnvironments: ['live', 'p.d'], minLevelByTier: { 1: 8, 2: 7, 3: 5 }, tier1BlastDepth: 2 },
  { ...DEFAULT_APPROVAL_POLICY, productionEnvironments: [] },
];

async function rows<T>(q: Queryable, query: ReturnType<typeof sql>): Promise<T[]> {
  const r = await q.execute(query);
  return (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];
}

describeEachDb('policy rules with an SQL twin', ({ handle }) => {
  it('production: isProduction (sign-off and risk) and the SQL agree on every spelling', async () => {
    for (const policy of POLICIES) {
      const values = sql.join(ENVIRONMENTS.map((e, i) => sql`(${i}::int, ${e}::text)`), sql`, `);
      const got = await rows<{ i: number; prod: boolean }>(handle().db, sql`select i, ${matchesProductionSql(sql.raw('e'), policy.productionEnvironments)} as prod from (values ${values}) v(i, e) order by i`);
      for (const { i, prod } of got) {
        expect([ENVIRONMENTS[i], policy.productionEnvironments, prod]).toEqual([ENVIRONMENTS[i], policy.productionEnvironments, isProduction(ENVIRONMENTS[i]!, policy)]);
      }
    }
    for (const e of ENVIRONMENTS) expect([e, isProductionForRisk(e, RISK_WEIGHTS)]).toEqual([e, isProduction(e, { ...DEFAULT_APPROVAL_POLICY, productionEnvironments: [...RISK_WEIGHTS.productionEnvironments] })]);
    // The cases the issue was filed for.
    expect(isProduction('prod-eu-west-1')).toBe(true);
    expect(isProduction('preprod')).toBe(false);
  });

  it('required approver level: minLevelSql equals requiredApprovals().minLevel for every environment, tier, depth, risk and destructive flag', async () => {
    type Case = { env: string; tier: 1 | 2 | 3; depth: number | null; risk: 'low' | 'medium' | 'high' | 'critical'; destructive: boolean };
    const cases: Case[] = [];
    for (const env of ENVIRONMENTS) for (const tier of [1, 2, 3] as const) for (const depth of [null, 1, 2, 3]) for (const risk of ['low', 'critical'] as const) for (const destructive of [false, true]) {
      cases.push({ env, tier, depth, risk, destructive });
    }
    for (const policy of POLICIES) {
      const values = sql.join(cases.map((c, i) => sql`(${i}::int, ${c.env}::text, ${c.tier}::int, ${c.depth}::int, ${c.risk}::text, ${c.destructive}::boolean)`), sql`, `);
      const got = await rows<{ i: number; min_level: number }>(handle().db, sql`select i, ${minLevelSql(policy)} as min_level
        from (values ${values}) as "changes"(i, environment, top_tier, nearest_tier1_depth, risk_level, destructive) order by i`);
      expect(got).toHaveLength(cases.length);
      const mismatches = got.filter(({ i, min_level }) => {
        const c = cases[i]!;
        const ts = requiredApprovals({ environment: c.env, topTier: c.tier, nearestTier1Depth: c.depth, riskLevel: c.risk, destructive: c.destructive, aiLevel: 'none', authorIsBot: false, preDeployValidation: true }, policy).minLevel;
        return ts !== min_level;
      });
      expect(mismatches.map(({ i, min_level }) => ({ ...cases[i], sql: min_level }))).toEqual([]);
    }
  });
});
