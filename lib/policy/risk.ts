// Every weight and threshold of the risk engine lives here, so the policy can be read in one
// screen, argued about in one review, and overridden per organisation without touching the engine.
import type { AiLevel, ChangeKind, Severity, Tier } from '@/db/schema/enums';

export interface RiskLevelThresholds {
  medium: number;
  high: number;
  critical: number;
}

/** Lower bounds of each level (DESIGN.md): low < 30 ≤ medium < 60 ≤ high < 80 ≤ critical. */
export const RISK_LEVEL_THRESHOLDS: Readonly<RiskLevelThresholds> = {
  /** A score at or above this is at least medium. */
  medium: 30,
  /** A score at or above this is at least high. */
  high: 60,
  /** A score at or above this is critical. */
  critical: 80,
};

export interface RiskWeights {
  aiInvolvement: Record<AiLevel, number>;
  tier: Record<Tier, number>;
  blastRadius: { perLog2Dependent: number; perTier1Dependent: number; max: number };
  changeKind: Record<ChangeKind, number>;
  destructive: {
    first: number; perExtra: number; max: number;
    riskyFirst: number; riskyPerExtra: number; riskyMax: number;
    nonProductionFactor: number; productionTier1Floor: number;
  };
  size: { perLog2Churn: number; churnUnit: number; max: number };
  diffusion: { perLog2Files: number; perExtraDirectory: number; perExtraSubsystem: number; entropy: number; max: number };
  incidentHistory: { bySeverity: Record<Severity, number>; causedByTouchedPath: number; windowDays: number; max: number };
  noPredeployValidation: { byTier: Record<Tier, number>; unknownTier: number };
  testsUntouched: { points: number; largeChangeLines: number; largeChangePoints: number };
  authorExperience: { firstChange: number; fewChanges: number; fewChangesBelow: number };
  productionEnvironments: readonly string[];
}

export const RISK_WEIGHTS: Readonly<RiskWeights> = {
  /** An agent acting on its own outranks generated code, which outranks assistance a human steered line by line. */
  aiInvolvement: { none: 0, assisted: 4, generated: 10, agent: 15 },
  /** Points for the most critical tier among touched services (Tier-1 is revenue-critical). */
  tier: { 1: 20, 2: 10, 3: 0 },
  /** Blast radius: 2 points per doubling of transitive dependents, 2 more per Tier-1 dependent, capped at 20. */
  blastRadius: { perLog2Dependent: 2, perTier1Dependent: 2, max: 20 },
  /** Config and infra apply everywhere at once (no canary by default); schema changes rewrite shared data. */
  changeKind: { code: 0, schema: 8, config: 10, infra: 12 },
  /**
   * 30 for the first destructive operation, +4 per further one (cap 42); risky lines 5 then +2 (cap 12);
   * halved outside production; in production on a Tier-1 service a destructive operation tops the score up to 80 (critical).
   */
  destructive: {
    first: 30, perExtra: 4, max: 42,
    riskyFirst: 5, riskyPerExtra: 2, riskyMax: 12,
    nonProductionFactor: 0.5, productionTier1Floor: 80,
  },
  /** Kamei's LA+LD: 2.5 points per doubling of (lines changed / 10), capped at 12; lockfiles excluded. */
  size: { perLog2Churn: 2.5, churnUnit: 10, max: 12 },
  /** Kamei's NF, ND, NS and entropy: scattered changes are harder to review and to roll back; capped at 10. */
  diffusion: { perLog2Files: 1, perExtraDirectory: 0.5, perExtraSubsystem: 1.5, entropy: 2, max: 10 },
  /** Incidents on touched services in the window, by severity (SEV-1 worst), +5 if one was caused by a touched path; capped at 20. */
  incidentHistory: { bySeverity: { 1: 10, 2: 6, 3: 3, 4: 1 }, causedByTouchedPath: 5, windowDays: 90, max: 20 },
  /** Production changes without automated pre-deploy validation, by the most critical touched tier. */
  noPredeployValidation: { byTier: { 1: 15, 2: 8, 3: 3 }, unknownTier: 5 },
  /** Code changed without any test changed: 6 points, 9 from 100 lines of code. */
  testsUntouched: { points: 6, largeChangeLines: 100, largeChangePoints: 9 },
  /** A human author new to the touched services: 8 for a first change, 4 below 5 earlier changes. */
  authorExperience: { firstChange: 8, fewChanges: 4, fewChangesBelow: 5 },
  /** Environment names treated as production (case-insensitive). */
  productionEnvironments: ['production', 'prod', 'prd', 'live'],
};
