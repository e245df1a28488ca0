// The pure scorer: change + diff + context in, an explained score out. It never reads a database or
// a clock (the incident window uses input.now when given), so the same input always scores the same.
import { matchesProduction } from '@/lib/policy/production';
import type { RiskLevel } from '@/db/schema/enums';
import { RISK_LEVEL_THRESHOLDS, RISK_WEIGHTS, type RiskLevelThresholds, type RiskWeights } from '@/lib/policy/risk';
import { detectDestructive } from './destructive';
import {
  aiInvolvementFactor, authorExperienceFactor, blastRadiusFactor, changeKindFactor, computeChangeMetrics,
  destructiveFactor, diffusionFactor, type FactorContext, incidentHistoryFactor, isDocsOnly, mostCriticalTier,
  noPredeployValidationFactor, sizeFactor, testsUntouchedFactor, tierFactor,
} from './factors';
import { AnalysisBudgetExceeded, analysisBudget } from './budget';
import type { RiskFactor, RiskFinding, RiskInput, RiskResult } from './types';

export interface ScoreOptions {
  weights?: RiskWeights;
  thresholds?: RiskLevelThresholds;
  /**
   * When input.findings is absent, also write the line flags onto input.files (default true), so
   * the files stored after scoring carry them. Idempotent; pass false to leave the input untouched.
   */
  annotate?: boolean;
  /**
   * Time budget (ms) for the destructive-operation detectors. When it runs out the change is scored
   * fail-closed: `analysis_incomplete`, the maximum score, destructive — never a lower risk.
   */
  budgetMs?: number;
}

const INDEPENDENT_FACTORS = [
  aiInvolvementFactor, tierFactor, blastRadiusFactor, changeKindFactor, sizeFactor, diffusionFactor,
  incidentHistoryFactor, noPredeployValidationFactor, testsUntouchedFactor, authorExperienceFactor,
] as const;

export function scoreChange(input: RiskInput, options: ScoreOptions = {}): RiskResult {
  const weights = options.weights ?? RISK_WEIGHTS;
  const thresholds = options.thresholds ?? RISK_LEVEL_THRESHOLDS;
  let findings: RiskFinding[];
  try {
    findings = input.findings ?? detectDestructive(input.files, input.plan, { annotate: options.annotate !== false, budget: analysisBudget(options.budgetMs) });
  } catch (err) {
    if (err instanceof AnalysisBudgetExceeded) return incompleteResult(err.budgetMs, thresholds);
    throw err;
  }
  const ctx: FactorContext = {
    input,
    weights,
    metrics: computeChangeMetrics(input.files),
    findings,
    production: isProduction(input.environment, weights),
    topTier: mostCriticalTier(input.services),
    docsOnly: isDocsOnly(input.files),
  };

  const factors: RiskFactor[] = [];
  let otherPoints = 0;
  for (const compute of INDEPENDENT_FACTORS) {
    const f = compute(ctx);
    if (f) {
      factors.push(f);
      otherPoints += f.points;
    }
  }
  // Destructive comes last: the Tier-1 production floor tops up whatever the others left.
  const destructive = destructiveFactor(ctx, otherPoints);
  if (destructive) factors.push(destructive);

  factors.sort((a, b) => b.points - a.points);
  const total = factors.reduce((sum, f) => sum + f.points, 0);
  const score = Math.max(0, Math.min(100, total));
  return {
    score,
    level: levelForScore(score, thresholds),
    factors,
    destructive: findings.some((f) => f.severity === 'destructive'),
    findings,
  };
}

/**
 * Fail closed: what was not read cannot lower the risk. The change gets the maximum score (critical at
 * any tier), counts as destructive, and says why, so the change page shows "Analysis incomplete".
 */
export function incompleteResult(budgetMs: number, thresholds: RiskLevelThresholds = RISK_LEVEL_THRESHOLDS): RiskResult {
  const factor: RiskFactor = {
    key: 'analysis_incomplete',
    points: 100,
    evidence: `Analysis incomplete: the diff could not be analysed within its ${budgetMs} ms budget, so the risk is treated as the maximum and the change as destructive. Split the change or review the diff by hand.`,
  };
  return { score: 100, level: levelForScore(100, thresholds), factors: [factor], destructive: true, findings: [] };
}

export function levelForScore(score: number, thresholds: RiskLevelThresholds = RISK_LEVEL_THRESHOLDS): RiskLevel {
  if (score >= thresholds.critical) return 'critical';
  if (score >= thresholds.high) return 'high';
  if (score >= thresholds.medium) return 'medium';
  return 'low';
}

export function isProduction(environment: string, weights: RiskWeights = RISK_WEIGHTS): boolean {
  return matchesProduction(environment, weights.productionEnvironments);
}
