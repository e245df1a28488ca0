// The scenarios of issue 3 and the scoring contract: bounds, levels, ordering, overridable policy.
import { describe, expect, it } from 'vitest';
import { buildServiceGraph, computeBlastRadius } from '@/lib/graph/blast-radius';
import { RISK_LEVEL_THRESHOLDS, RISK_WEIGHTS } from '@/lib/policy/risk';
import { detectDestructive, levelForScore, parseTerraformPlan, parseUnifiedDiff, scoreChange } from '@/lib/risk';
import { readDiffFixture, readPlanFixture, riskInput, service } from './risk-input';

const catalog = [
  service('config-service', 1, 1), service('checkout', 1, 2), service('cart', 1, 3), service('payments', 1, 4),
  service('search', 2, 5), service('catalog', 2, 6), service('product-pages', 2, 7), service('docs-site', 3, 8),
  service('cost-explorer', 2, 9), service('delivery-promise', 1, 10),
];
const bySlug = new Map(catalog.map((s) => [s.slug, s]));
const dependsOn: [string, string][] = [
  ['checkout', 'config-service'], ['cart', 'config-service'], ['payments', 'config-service'], ['search', 'config-service'],
  ['catalog', 'config-service'], ['product-pages', 'catalog'], ['product-pages', 'search'], ['checkout', 'cart'],
  ['cart', 'delivery-promise'], ['checkout', 'payments'],
];
const graph = buildServiceGraph({
  services: catalog,
  edges: dependsOn.map(([a, b]) => ({ serviceId: bySlug.get(a)!.id, dependsOnId: bySlug.get(b)!.id })),
});
const touching = (...slugs: string[]) => ({
  services: slugs.map((s) => bySlug.get(s)!),
  blastRadius: computeBlastRadius(graph, slugs),
});

describe('the scenarios of issue 3', () => {
  const agentReplace = () => scoreChange(riskInput({
    kind: 'infra', aiLevel: 'agent', aiTool: 'kiro', authorIsBot: true, authorPriorChanges: 0,
    environment: 'production', preDeployValidation: true,
    plan: parseTerraformPlan(readPlanFixture('crafted-ecs-cluster-replace.json')),
    ...touching('checkout'),
  }));
  const readmeFix = () => scoreChange(riskInput({
    environment: 'production', preDeployValidation: null, authorPriorChanges: 0,
    files: parseUnifiedDiff(readDiffFixture('crafted-readme-typo.diff')),
    ...touching('docs-site'),
  }));

  it('an agent-authored plan replacing a production cluster on a Tier-1 service is critical and names the resource', () => {
    const result = agentReplace();
    expect(result.level).toBe('critical');
    expect(result.destructive).toBe(true);
    const destructive = result.factors.find((f) => f.key === 'destructive');
    expect(destructive?.evidence).toContain('`aws_ecs_cluster.prod` (replace)');
    expect(result.factors.find((f) => f.key === 'ai_involvement')?.evidence).toBe('Authored by an AI agent (kiro)');
  });

  it('a one-line README fix on a Tier-3 service is low, and ranks below the agent replace', () => {
    const readme = readmeFix();
    expect(readme.level).toBe('low');
    expect(readme.destructive).toBe(false);
    expect(readme.score).toBeLessThan(agentReplace().score);
    // Even written by an agent, a README typo stays low.
    const byAgent = scoreChange(riskInput({
      aiLevel: 'agent', aiTool: 'devin', authorIsBot: true, environment: 'production', preDeployValidation: null,
      files: parseUnifiedDiff(readDiffFixture('crafted-readme-typo.diff')), ...touching('docs-site'),
    }));
    expect(byAgent.level).toBe('low');
  });

  it('a destructive operation in production on a Tier-1 service is critical, even when everything else is benign', () => {
    for (const fixture of ['crafted-sql-destructive-migration.diff', 'crafted-ops-teardown.diff', 'crafted-terraform-guards.diff']) {
      const result = scoreChange(riskInput({
        environment: 'production', preDeployValidation: true, authorPriorChanges: 100,
        files: parseUnifiedDiff(readDiffFixture(fixture)), services: [service('orders', 1)],
      }));
      expect(result.level, fixture).toBe('critical');
      expect(result.score, fixture).toBeGreaterThanOrEqual(RISK_LEVEL_THRESHOLDS.critical);
    }
  });

  it('an unvalidated config push to config-service shows its blast radius with Tier-1 count', () => {
    const result = scoreChange(riskInput({
      kind: 'config', environment: 'production', preDeployValidation: false,
      files: parseUnifiedDiff(readDiffFixture('crafted-config-service-push.diff')),
      ...touching('config-service'),
    }));
    const blast = result.factors.find((f) => f.key === 'blast_radius');
    expect(blast?.evidence).toBe('config-service has 6 transitive dependents, 3 of them Tier-1 (cart, checkout and payments)');
    expect(result.factors.find((f) => f.key === 'no_predeploy_validation')?.evidence)
      .toBe('No automated pre-deployment validation for this production change to Tier-1 config-service');
    expect(['high', 'critical']).toContain(result.level);
  });

  it('the same destructive change outside production is not forced to critical', () => {
    const result = scoreChange(riskInput({
      environment: 'staging', files: parseUnifiedDiff(readDiffFixture('crafted-sql-destructive-migration.diff')), services: [service('orders', 1)],
    }));
    expect(result.destructive).toBe(true);
    expect(result.level).not.toBe('critical');
  });
});

describe('the scoring contract', () => {
  it('lists factors highest first, omits zero-point ones, and the score is their sum', () => {
    const result = scoreChange(riskInput({
      kind: 'config', aiLevel: 'generated', aiTool: 'copilot', environment: 'production', preDeployValidation: null, authorPriorChanges: 1,
      files: parseUnifiedDiff(readDiffFixture('crafted-config-limits.diff')), ...touching('search'),
    }));
    const points = result.factors.map((f) => f.points);
    expect(points).toEqual([...points].sort((a, b) => b - a));
    expect(points.every((p) => p > 0 && Number.isInteger(p))).toBe(true);
    expect(result.score).toBe(Math.min(100, points.reduce((a, b) => a + b, 0)));
    for (const f of result.factors) {
      expect(f.evidence.length).toBeGreaterThan(10);
      expect(f.evidence).not.toMatch(/\n|undefined|NaN|\[object/);
    }
  });

  it('clamps to 100', () => {
    const result = scoreChange(riskInput({
      kind: 'infra', aiLevel: 'agent', aiTool: 'kiro', environment: 'production', preDeployValidation: false, authorPriorChanges: 0,
      plan: parseTerraformPlan(readPlanFixture('crafted-cost-explorer-recreate.json')),
      files: parseUnifiedDiff(readDiffFixture('crafted-ops-teardown.diff')),
      recentIncidents: [{ severity: 1, serviceSlugs: ['config-service'], title: 'outage', startedAt: new Date() }, { severity: 1, serviceSlugs: ['config-service'], title: 'outage', startedAt: new Date() }],
      ...touching('config-service'),
    }));
    expect(result.score).toBe(100);
    expect(result.level).toBe('critical');
  });

  it('maps scores to levels at the DESIGN.md thresholds', () => {
    expect([0, 29, 30, 59, 60, 79, 80, 100].map((s) => levelForScore(s))).toEqual(['low', 'low', 'medium', 'medium', 'high', 'high', 'critical', 'critical']);
    expect(levelForScore(50, { medium: 10, high: 40, critical: 90 })).toBe('high');
  });

  it('takes its weights from the policy module, and they can be overridden', () => {
    const input = riskInput({ aiLevel: 'agent', aiTool: 'kiro' });
    expect(scoreChange(input).score).toBe(RISK_WEIGHTS.aiInvolvement.agent);
    const stricter = { ...RISK_WEIGHTS, aiInvolvement: { ...RISK_WEIGHTS.aiInvolvement, agent: 70 } };
    const result = scoreChange(input, { weights: stricter });
    expect(result.score).toBe(70);
    expect(result.level).toBe('high');
  });

  it('is deterministic and does not touch its input when asked not to annotate', () => {
    const files = parseUnifiedDiff(readDiffFixture('crafted-ops-teardown.diff'));
    const snapshot = JSON.stringify(files);
    const input = riskInput({ environment: 'production', files, ...touching('checkout') });
    const a = scoreChange(input, { annotate: false });
    const b = scoreChange(input, { annotate: false });
    expect(a).toEqual(b);
    expect(JSON.stringify(files)).toBe(snapshot);
    // By default the flags land on the lines (what the submission stores after scoring).
    scoreChange(input);
    expect(files[0]!.hunks[0]!.lines.some((l) => l.flags?.[0]?.key === 'kubectl_delete')).toBe(true);
  });

  it('uses precomputed findings when given', () => {
    const files = parseUnifiedDiff(readDiffFixture('crafted-sql-destructive-migration.diff'));
    const findings = detectDestructive(files, null);
    const result = scoreChange(riskInput({ files, findings: findings.slice(0, 1), environment: 'production' }));
    expect(result.findings).toHaveLength(1);
    expect(result.factors.find((f) => f.key === 'destructive')?.points).toBe(30);
  });

  it('accepts "prod" and "live" as production, case-insensitively', () => {
    const plan = parseTerraformPlan(readPlanFixture('terraform-testdata-basic-delete.json'));
    const points = (environment: string) => scoreChange(riskInput({ plan, environment })).factors.find((f) => f.key === 'destructive')?.points;
    expect(points('Production')).toBe(30);
    expect(points('prod')).toBe(30);
    expect(points('dev')).toBe(15);
  });
});
