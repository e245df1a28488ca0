// Who may report a deployment of a change (issue 10, path 10): a token bound to the change's
// repository, or an administrator. Pure: no IO.

/** Repository names compare case-insensitively, as GitHub does. */
export function normalizeRepo(repo: string): string {
  return repo.trim().toLowerCase();
}

export interface DeploymentReporter {
  admin: boolean;
  /** Repositories the caller's token is bound to (empty: none). */
  repos: readonly string[];
}

/** Null when the reporter may report deployments of a change in `changeRepo`, else why not (a sentence). */
export function reportRefusal(reporter: DeploymentReporter, changeRepo: string | null, changeLabel: string): string | null {
  if (reporter.admin) return null;
  if (!changeRepo) {
    return `Change ${changeLabel} has no repository recorded, so no pipeline token can be bound to it: an administrator must report its deployments.`;
  }
  const repo = normalizeRepo(changeRepo);
  if (reporter.repos.some((r) => normalizeRepo(r) === repo)) return null;
  return reporter.repos.length
    ? `This token reports deployments of ${reporter.repos.join(', ')} only, and change ${changeLabel} is in ${changeRepo}: use that repository's pipeline token.`
    : `This token is not bound to any repository, so it may not report deployments of change ${changeLabel} (in ${changeRepo}): create a token bound to ${changeRepo}.`;
}
