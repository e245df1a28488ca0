// When a change's sign-off may have changed, GitHub is told durably: a job per change (one waiting
// job per change at a time, so a burst of decisions coalesces) refreshes its `Countersign sign-off`
// check and answers deployment protection requests held for it (lib/github/enforce.ts). Enqueued in
// the transaction that records the event, so a crash right after loses nothing.
import { sql } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { getEnv } from '@/lib/env';
import { JOBS_CHANNEL } from '@/lib/jobs/queue';

export const GITHUB_CHECK_JOB = 'github.check';
export const GITHUB_CHECK_ALL_JOB = 'github.check_all';

export const checkDedupeKey = (changeId: number) => `github-check:${changeId}`;

/** Audit actions after which a change's gate answer may differ: decisions, revisions, break-glass, triage, risk. */
const CHANGE_ACTIONS = new Set([
  'approval.approved',
  'approval.rejected',
  'approval.withdrawn',
  'break_glass.opened',
  'break_glass.closed',
  'change.submitted',
  'change.revised',
  'change.updated',
  'change.rescored',
  'change.triaged',
]);
/** Actions that may change every change's answer. */
const GLOBAL_ACTIONS = new Set(['policy.updated', 'path_mapping.added', 'catalog.imported']);

/**
 * Whether Countersign posts its sign-off to GitHub: with a GitHub App, or with GITHUB_TOKEN when
 * GITHUB_STATUS_MODE=statuses asks for it (a personal token cannot create check runs, and a
 * read-only one must not start failing).
 */
export function githubWritesEnabled(): boolean {
  const env = getEnv();
  return !!env.GITHUB_APP_ID || (env.GITHUB_STATUS_MODE === 'statuses' && !!env.GITHUB_TOKEN);
}

/** Check runs need a GitHub App; commit statuses are posted without one, or when asked. */
export function statusMode(): 'checks' | 'statuses' {
  const env = getEnv();
  return env.GITHUB_APP_ID && env.GITHUB_STATUS_MODE !== 'statuses' ? 'checks' : 'statuses';
}

/** Enqueues the refresh of one change's GitHub check, for pull requests only. */
export async function enqueueCheckSync(q: Queryable, changeId: number, runAfter?: Date): Promise<void> {
  if (!githubWritesEnabled()) return;
  await q.execute(sql`insert into jobs (kind, payload, dedupe_key, run_after)
    select ${GITHUB_CHECK_JOB}, jsonb_build_object('changeId', c.id), ${checkDedupeKey(changeId)}, ${(runAfter ?? new Date()).toISOString()}::timestamptz
    from changes c where c.id = ${changeId} and c.source = 'github'
    on conflict do nothing`);
  await q.execute(sql`select pg_notify(${JOBS_CHANNEL}, ${GITHUB_CHECK_JOB})`);
}

/** Called by appendAudit with the events it appends (cheap when none is about sign-off). */
export async function afterAuditEvents(q: Queryable, events: readonly { action: string; changeId?: number | null }[]): Promise<void> {
  // The gate appends an event per decision: those (and most others) return here without any work.
  if (!events.some((e) => CHANGE_ACTIONS.has(e.action) || GLOBAL_ACTIONS.has(e.action))) return;
  if (!githubWritesEnabled()) return;
  const ids = new Set<number>();
  let all = false;
  for (const e of events) {
    if (GLOBAL_ACTIONS.has(e.action)) all = true;
    else if (e.changeId && CHANGE_ACTIONS.has(e.action)) ids.add(e.changeId);
  }
  if (all) {
    await q.execute(sql`insert into jobs (kind, payload, dedupe_key) values (${GITHUB_CHECK_ALL_JOB}, '{}'::jsonb, ${GITHUB_CHECK_ALL_JOB}) on conflict do nothing`);
    await q.execute(sql`select pg_notify(${JOBS_CHANNEL}, ${GITHUB_CHECK_ALL_JOB})`);
  }
  for (const id of ids) await enqueueCheckSync(q, id);
}
