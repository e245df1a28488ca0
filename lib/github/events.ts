// The slow half of a GitHub delivery, run by the job worker: pull requests become changes,
// reviews become context, deployments become deployment records (with the bypass rule).
import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { changes, externalReviews, githubInstallations, people, webhookDeliveries } from '@/db/schema';
import type { DeploymentStatus } from '@/db/schema/enums';
import { appendAudit } from '@/lib/audit/chain';
import { resolveChangeRef } from '@/lib/changes/ref';
import { recordDeployment } from '@/lib/deployments/record';
import { RetryLater, type JobContext, type JobHandler } from '@/lib/jobs/worker';
import { githubClient, GithubApiError, type GithubClient, type GithubPull } from './client';
import { externalIdOf, syncPullRequest } from './pull-request';
import { clientForRepo, forgetInstallation, handleProtectionRule, rememberInstallation, type ProtectionRulePayload } from './enforce';
import { enqueueCheckSync } from './sign-off-sync';

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

type Payload = Record<string, unknown> & { repository?: Repo; action?: string; installation?: { id?: number } | null };

/** The delivery's installation chooses the token (GITHUB_TOKEN without an App). */
const client = (p?: Payload): GithubClient => githubClient({ installationId: p?.installation?.id ?? null });

async function handlePullRequest(db: Db, p: Payload): Promise<string> {
  const pr = p.pull_request as GithubPull;
  const repo = p.repository!.full_name;
  await rememberInstallation(db, repo, p.installation?.id);
  const { result, services, ai } = await syncPullRequest(db, { repo, number: pr.number, fallback: pr, client: client(p) });
  // The head commit may be new even when the content is not (a rebase): its check is (re)posted.
  await enqueueCheckSync(db, result.id);
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
    const { result } = await syncPullRequest(db, { repo, number: pr.number, fallback: pr, client: client(p) });
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

function sameRepo(a: string | null, b: string): boolean {
  return a !== null && a.toLowerCase() === b.toLowerCase();
}

/** A pipeline may name the change in the deployment's payload; otherwise its commit's pull request does. */
async function changeForDeployment(db: Db, repo: string, d: Deployment, p: Payload): Promise<{ ref: string } | { missing: string }> {
  const declared = typeof d.payload === 'object' && d.payload ? ((d.payload as Record<string, unknown>).countersign_change ?? (d.payload as Record<string, unknown>).change) : null;
  if (typeof declared === 'string' || typeof declared === 'number') {
    const found = await resolveChangeRef(db, String(declared));
    if (!found) return { missing: `the change ${declared} named in the deployment payload is unknown` };
    // A repository's deployment may only name its own changes: otherwise any repository with a
    // webhook could mark another team's change deployed.
    if (!sameRepo(found.repo, repo)) {
      return { missing: `the change ${declared} named in the deployment payload belongs to ${found.repo ?? 'no repository'}, not ${repo}` };
    }
    return { ref: String(found.id) };
  }
  let pulls: GithubPull[];
  try {
    pulls = await client(p).pullsForCommit(repo, d.sha);
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
  const target = await changeForDeployment(db, repo, d, p);
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

/** Which repositories an App installation serves: its token is used for them. */
async function handleInstallation(db: Db, p: Payload, action: string | null): Promise<string> {
  const id = p.installation?.id;
  if (typeof id !== 'number') return 'installation event without an id: ignored';
  if (action === 'deleted' || action === 'suspend') {
    await forgetInstallation(db, id);
    return `installation ${id} ${action}: forgotten`;
  }
  const added = (p.repositories_added ?? p.repositories ?? []) as { full_name?: string }[];
  const removed = (p.repositories_removed ?? []) as { full_name?: string }[];
  for (const r of added) await rememberInstallation(db, r.full_name, id);
  for (const r of removed) if (r.full_name) await db.delete(githubInstallations).where(sql`${githubInstallations.repo} = ${r.full_name.toLowerCase()} and ${githubInstallations.installationId} = ${id}`);
  return `installation ${id}: ${added.length} repositories added, ${removed.length} removed`;
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
    else if (event === 'deployment_protection_rule') outcome = await handleProtectionRule(db, p as ProtectionRulePayload);
    else if (event === 'installation' || event === 'installation_repositories') outcome = await handleInstallation(db, p, action);
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
    const { result, services } = await syncPullRequest(db, { repo, number, client: await clientForRepo(db, repo) });
    return `change #${result.id} ${externalIdOf(repo, number)} fetched again; services: ${services.join(', ') || 'none (unmapped)'}`;
  },
};
