// GitHub enforcement (issue 12): App installations per repository, the `Countersign sign-off`
// check run per pull request head commit, and deployment protection rule requests held for sign-off.
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, serial, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { changes } from './changes';

const now = () => timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow();
const ts = () => timestamp({ withTimezone: true, mode: 'date' });

/** The GitHub App installation a repository's deliveries came from: chooses the token for calls about it. */
export const githubInstallations = pgTable('github_installations', {
  repo: text().primaryKey(),
  installationId: bigint({ mode: 'number' }).notNull(),
  updatedAt: now(),
});

/** The check run (or, in statuses mode, the status) last posted on a head commit, and what it said. */
export const githubCheckRuns = pgTable('github_check_runs', {
  id: serial().primaryKey(),
  changeId: integer().notNull().references(() => changes.id, { onDelete: 'cascade' }),
  repo: text().notNull(),
  headSha: text().notNull(),
  /** Null in statuses mode. */
  checkRunId: bigint({ mode: 'number' }),
  conclusion: text().notNull(),
  /** Of the posted conclusion and output: an unchanged answer is not posted again. */
  fingerprint: text().notNull(),
  updatedAt: now(),
}, (t) => [
  unique('github_check_runs_repo_sha_key').on(t.repo, t.headSha),
  index('github_check_runs_change_idx').on(t.changeId),
]);

export const PROTECTION_STATUSES = ['pending', 'approved', 'rejected'] as const;

/** A `deployment_protection_rule` request: answered at once when the gate can, else held until sign-off or its expiry. */
export const githubProtectionRequests = pgTable('github_protection_requests', {
  id: serial().primaryKey(),
  repo: text().notNull(),
  sha: text().notNull(),
  environment: text().notNull(),
  callbackUrl: text().notNull(),
  installationId: bigint({ mode: 'number' }),
  deploymentId: bigint({ mode: 'number' }),
  changeId: integer().references(() => changes.id, { onDelete: 'set null' }),
  status: text().notNull().default('pending'),
  comment: text().notNull().default(''),
  /** The gate decision the answer was (gate_decisions.id). */
  decisionId: bigint({ mode: 'number' }),
  receivedAt: now(),
  expiresAt: ts().notNull(),
  answeredAt: ts(),
}, (t) => [
  unique('github_protection_requests_callback_env_key').on(t.callbackUrl, t.environment),
  check('github_protection_requests_status_valid', sql`${t.status} IN ('pending', 'approved', 'rejected')`),
  index('github_protection_requests_pending_idx').on(t.repo, t.sha).where(sql`${t.status} = 'pending'`),
]);
