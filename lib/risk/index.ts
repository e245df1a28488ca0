// The risk engine's public surface: parse a diff or a plan, flag what is destructive, score a change.
export { countFlaggedLines, parseUnifiedDiff } from './diff';
export { type DetectOptions, detectDestructive } from './destructive';
export { isRiskInputError, RiskInputError, type RiskInputErrorCode } from './errors';
export { type ChangeMetrics, computeChangeMetrics } from './factors';
export { detectLanguage, isTestPath } from './language';
export { AnalysisBudgetExceeded, DEFAULT_ANALYSIS_BUDGET_MS } from './budget';
export { incompleteResult, isProduction, levelForScore, type ScoreOptions, scoreChange } from './score';
export { parseTerraformPlan } from './terraform';
export type * from './types';
