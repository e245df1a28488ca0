// A time budget for analysing one submission. The detectors are linear, but a 3 MB diff of lines that
// pass every prefilter still costs real time on the request thread; the budget bounds it. Checked
// cooperatively (every few hundred lines), so it costs nothing measurable. Pure apart from the clock.

/** Default budget for the destructive-operation detectors of one submission (COUNTERSIGN_ANALYSIS_BUDGET_MS). */
export const DEFAULT_ANALYSIS_BUDGET_MS = 2000;
/** Lines between clock reads. */
const CHECK_EVERY = 256;

export class AnalysisBudgetExceeded extends Error {
  constructor(readonly budgetMs: number) {
    super(`Diff analysis ran out of its ${budgetMs} ms budget.`);
    this.name = 'AnalysisBudgetExceeded';
  }
}

export interface AnalysisBudget {
  /** Counts one unit of work; throws AnalysisBudgetExceeded once the deadline has passed. */
  tick(): void;
}

export const UNLIMITED: AnalysisBudget = { tick() {} };

export function analysisBudget(budgetMs: number | undefined, now: () => number = () => performance.now()): AnalysisBudget {
  if (budgetMs === undefined || !Number.isFinite(budgetMs)) return UNLIMITED;
  const deadline = now() + budgetMs;
  let count = 0;
  return {
    tick() {
      if (count++ % CHECK_EVERY === 0 && now() >= deadline) throw new AnalysisBudgetExceeded(budgetMs);
    },
  };
}
