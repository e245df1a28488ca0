// Bad diffs and plans are the submitter's fault, not ours: a typed error with a stable code lets
// the API wrapper answer 422 with a one-line message instead of a stack trace.
export type RiskInputErrorCode = 'invalid_diff' | 'invalid_plan';

export class RiskInputError extends Error {
  readonly status = 422 as const;

  constructor(
    readonly code: RiskInputErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RiskInputError';
  }
}

export function isRiskInputError(err: unknown): err is RiskInputError {
  return err instanceof RiskInputError;
}
