// The slow half of a GitHub delivery, run by the job worker: pull requests become changes,
// reviews become context, deployments become deployment records (with the bypass rule).
import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { changes, externalReviews, people, webhookDeliveries } from '@/db/schema';
import type { DeploymentStatus } from '@/db/schema/enums';
import { appendAudit } from '@/lib/audit/chain';
import { resolveChangeRef } from '@/lib/changes/ref';
import { recordDeployment } from '@/lib/deployments/record';
import { RetryLater, type JobContext, type JobHandler } from '@/lib/jobs/worker';
import { githubClient, GithubApiError, type GithubClient, type GithubPull } from './client';
import { externalIdOf, syncPullRequest } from './pull-request';

export const GITHUB_EVENT_JOB = 'github.event';
/** Fetch a pull request again (triage's "retry now", a newly mapped repository). */
export const GITHUB_SYNC_JOB = 'github.sync_pr';

/** What the webhook stores for the worker: the event, and the payload as GitHub sent it. */
export interface GithubEventJob {
  deliveryId: string;
  event: string;
  action: string | null;
  payload: Record<string, unknown>;
}

interface Repo {
  full_name: string;
}

type Payload = Record<string, unknown> & { repository?: Repo; action?: string };

const client = (): GithubClient => githubClient();

async function handlePullRequest(db: Db, p: Payload): Promise<string> {
  const pr = p.pull_request as GithubPull;
  const repo = p.repository!.full_name;
  const { result, services, ai } = await syncPullRequest(db, { repo, number: pr.number, fallback: pr, client: client() });
  const what = result.created ? 'recorded' : result.revision.created ? `new revision ${result.revision.number}` : 'updated';
  return `change #${result.id} ${externalIdOf(repo, pr.number)} ${what}; services: ${services.join(', ') || 'none (unmapped)'}; AI: ${ai.level}; risk ${result.risk.score} ${result.risk.level}`;
}

interface Review {
  id: number;
  user: { login: string } | null;
  state: string;
  body: string | null;
  submitted_at: string | null;
  /** The commit the review was given on: places it on a revision (or shows it as stale). */
  commit_id?: string | null;
}

async function handleReview(db: Db, p: Payload, action: string | null): Promise<string> {
  const pr = p.pull_request as GithubPull;
  const review = p.review as Review;
  const repo = p.repository!.full_name;
  const externalId = externalIdOf(repo, pr.number);
  let [change] = await db.select({ id: changes.id }).from(changes).where(eq(changes.externalId, externalId)).limit(1);
  if (!change) {
    // The review arrived before (or without) its pull request's delivery: bring the PR in first.
    const { result } = await syncPullRequest(db, { repo, number: pr.number, fallback: pr, client: client() });
    change = { id: result.id };
  }
  const state = action === 'dismissed' ? 'dismissed' : review.state.toLowerCase();
  const changeId = change.id;
  await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(externalReviews)
      .values({
        changeId,
        source: 'github',
        externalId: String(review.id),
        reviewer: review.user?.login ?? 'ghost',
        state,
        body: (review.body ?? '').slice(0, 20_000),
        commitId: review.commit_id ?? null,
        submittedAt: review.submitted_at ? new Date(review.submitted_at) : new Date(),
      })
      .onConflictDoUpdate({
        target: [externalReviews.source, externalReviews.externalId],
        set: { state, body: sql`excluded.body`, commitId: sql`coalesce(excluded.commit_id, ${externalReviews.commitId})` },
        setWhere: sql`${externalReviews.state} is distinct from excluded.state or ${externalReviews.body} is distinct from excluded.body`,
      })
      .returning({ id: externalReviews.id });
    if (!row) return;
    await appendAudit(tx, {
      actorId: null,
      actor: 'github',
      action: 'external_review.recorded',
      subjectType: 'external_review',
      subjectId: row.id,
      changeId,
      payload: { externalId, reviewer: review.user?.login ?? 'ghost', state, reviewId: review.id },
    });
  });
  return `review ${review.id} by ${review.user?.login ?? 'ghost'} (${state}) kept as context on change #${changeId}`;
}

interface Deployment {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  payload: unknown;
  creator: { login: string } | null;
}

/** A pipeline may name the change in the deployment's payload; otherwise its commit's pull request does. */
async function changeForDeployment(db: Db, repo: string, d: Deployment): Promise<{ ref: string } | { missing: string }> {
  const declared = typeof d.payload === 'object' && d.payload ? ((d.payload as Record<string, unknown>).countersign_change ?? (d.payload as Record<string, unknown>).change) : null;
  if (typeof declared === 'string' || typeof declared === 'number') {
    const found = await resolveChangeRef(db, String(declared));
    return found ? { ref: String(found.id) } : { missing: `the change ${declared} named in the deployment payload is unknown` };
  }
  let pulls: GithubPull[];
  try {
    pulls = await client().pullsForCommit(repo, d.sha);
  } catch (err) {
    if (err instanceof GithubApiError && !err.permanent) throw new RetryLater(`Cannot look up the pull request of ${d.sha}: ${err.message}`);
    throw err;
  }
  if (!pulls.length) return { missing: `no pull request contains ${d.sha.slice(0, 12)}` };
  for (const pr of pulls) {
    const found = await resolveChangeRef(db, externalIdOf(repo, pr.number));
    if (found) return { ref: String(found.id) };
  }
  // GitHub knows the pull request but its delivery has not been processed yet.
  throw new RetryLater(`Pull request ${externalIdOf(repo, pulls[0]!.number)} is not recorded yet.`);
}

const STATUS_OF: Record<string, DeploymentStatus | null> = {
  pending: 'started',
  queued: 'started',
  in_progress: 'started',
  success: 'succeeded',
  failure: 'failed',
  error: 'failed',
  inactive: null,
};

async function handleDeployment(db: Db, p: Payload, event: string): Promise<string> {
  const d = p.deployment as Deployment;
  const repo = p.repository!.full_name;
  const state = event === 'deployment' ? 'pending' : String((p.deployment_status as { state?: string })?.state ?? '');
  const status = STATUS_OF[state];
  if (status === undefined) return `deployment ${d.id}: unknown state ${state}, ignored`;
  if (status === null) return `deployment ${d.id} is ${state}: nothing to record`;
  const target = await changeForDeployment(db, repo, d);
  if ('missing' in target) return `deployment ${d.id} to ${d.environment} not recorded: ${target.missing}`;
  const creator = d.creator?.login
    ? (await db.select({ id: people.id }).from(people).where(sql`lower(${people.githubLogin}) = ${d.creator.login.toLowerCase()}`).limit(1))[0]
    : undefined;
  const r = await recordDeployment(
    db,
    // Bound to the delivery's repository and the commit GitHub says it deployed.
    { change: target.ref, environment: d.environment, status, externalId: `${repo}/deployments/${d.id}`, repo, commit: /^[0-9a-f]{40}$/i.test(d.sha ?? '') ? d.sha : null },
    { personId: creator?.id ?? null, label: `github${d.creator?.login ? ` (${d.creator.login})` : ''}` },
    { source: 'github' },
  );
  return `deployment ${d.id} of change #${r.change.id} to ${d.environment}: ${status}${r.bypass ? ` — BYPASS (${r.bypassReasons.join(', ')})` : ''}${r.duplicate ? ' (already recorded)' : ''}`;
}

async function setOutcome(db: Db, deliveryId: string, outcome: string): Promise<void> {
  await db.update(webhookDeliveries).set({ outcome: outcome.slice(0, 1000) }).where(eq(webhookDeliveries.deliveryId, deliveryId));
}

export const githubEventJob: JobHandler = {
  async run({ db, job }: JobContext) {
    const { deliveryId, event, action, payload } = job.payload as unknown as GithubEventJob;
    const p = payload as Payload;
    let outcome: string;
    if (event === 'pull_request') outcome = await handlePullRequest(db, p);
    else if (event === 'pull_request_review') outcome = await handleReview(db, p, action);
    else if (event === 'deployment' || event === 'deployment_status') outcome = await handleDeployment(db, p, event);
    else outcome = `${event}: nothing to do`;
    await setOutcome(db, deliveryId, `done: ${outcome}`);
    return outcome;
  },
  async onFailure({ db, job }, message, outcome) {
    const { deliveryId } = job.payload as unknown as GithubEventJob;
    await setOutcome(db, deliveryId, `${outcome === 'retry' ? `retrying (attempt ${job.attempt} of ${job.maxAttempts})` : 'failed'}: ${message}`);
  },
};

export const githubSyncJob: JobHandler = {
  async run({ db, job }: JobContext) {
    const { repo, number } = job.payload as { repo: string; number: number };
    const { result, services } = await syncPullRequest(db, { repo, number, client: client() });
    return `change #${result.id} ${externalIdOf(repo, number)} fetched again; services: ${services.join(', ') || 'none (unmapped)'}`;
  },
};
