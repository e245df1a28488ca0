// Sign-off enforced in GitHub (issue 12): the `Countersign sign-off` check run (or commit status) on
// a pull request's head commit, and answers to deployment protection rule requests. Both ask the
// gate (lib/gate/decide.ts); nothing here decides on its own. Run by the job worker.
import { createHash } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/db/client';
import { queryRows } from '@/db/client';
import { githubCheckRuns, githubInstallations, githubProtectionRequests } from '@/db/schema';
import { getEnv } from '@/lib/env';
import { answerFor, changeForCommit, decideGate, loadGateSnapshot, type GateActor } from '@/lib/gate/decide';
import { RetryLater, type JobHandler } from '@/lib/jobs/worker';
import { enqueueJob } from '@/lib/jobs/queue';
import { GATE_REASON_TEXT, type GateAnswer, type GateReason } from '@/lib/policy/approvals';
import type { RiskFactor } from '@/lib/risk/types';
import { githubClient, GithubApiError, isProtectionCallbackOf, type GithubClient } from './client';
import { checkDedupeKey, enqueueCheckSync, GITHUB_CHECK_ALL_JOB, GITHUB_CHECK_JOB, githubWritesEnabled, statusMode } from './sign-off-sync';

export const CHECK_NAME = 'Countersign sign-off';
export const GITHUB_PROTECTION_TIMEOUT_JOB = 'github.protection_timeout';

const PROTECTION_ACTOR: GateActor = { personId: null, label: 'github (deployment protection rule)', tokenId: null };

// ---------------------------------------------------------------------------------------------
// Installations

/** Remembers which installation a repository's deliveries come from (its token is used for it). */
export async function rememberInstallation(q: Queryable, repo: string | undefined, installationId: unknown): Promise<void> {
  if (!repo || typeof installationId !== 'number') return;
  await q
    .insert(githubInstallations)
    .values({ repo: repo.toLowerCase(), installationId })
    .onConflictDoUpdate({ target: githubInstallations.repo, set: { installationId, updatedAt: new Date() } });
}

export async function forgetInstallation(q: Queryable, installationId: number): Promise<void> {
  await q.delete(githubInstallations).where(eq(githubInstallations.installationId, installationId));
}

async function installationOf(q: Queryable, repo: string): Promise<number | null> {
  const [row] = await q.select({ id: githubInstallations.installationId }).from(githubInstallations).where(eq(githubInstallations.repo, repo.toLowerCase())).limit(1);
  return row?.id ?? null;
}

export async function clientForRepo(q: Queryable, repo: string): Promise<GithubClient> {
  return githubClient({ installationId: await installationOf(q, repo) });
}

/** GitHub errors worth retrying become RetryLater (the job queue keeps the update). */
async function retrying<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof GithubApiError && !err.permanent) throw new RetryLater(`${what}: ${err.message}`);
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// The check run

export type CheckConclusion = 'action_required' | 'success' | 'neutral';

/** Pure: the check's conclusion for a gate answer. Never queued or in progress: GitHub does not treat those as failing. */
export function conclusionOf(answer: GateAnswer): CheckConclusion {
  if (!answer.allowed) return 'action_required';
  return answer.reasons.includes('no_approval_required') ? 'neutral' : 'success';
}

export interface CheckView {
  conclusion: CheckConclusion;
  title: string;
  summary: string;
}

interface ChangeFacts {
  id: number;
  externalId: string;
  title: string;
  repo: string;
  environment: string;
  riskScore: number;
  riskLevel: string;
  factors: RiskFactor[];
  headCommits: string[];
  revisionNumber: number | null;
  allHeadCommits: string[];
  inScope: boolean;
}

async function loadFacts(db: Db, changeId: number): Promise<ChangeFacts | null> {
  const [row] = await queryRows<{
    id: number;
    external_id: string;
    title: string;
    repo: string | null;
    source: string;
    environment: string;
    risk_score: number;
    risk_level: string;
    factors: RiskFactor[] | string | null;
    head_commits: string[] | string | null;
    revision_number: number | null;
    all_head_commits: string[] | string | null;
    in_scope: boolean;
  }>(
    db,
    sql`select c.id, c.external_id, c.title, c.repo, c.source, c.environment, c.risk_score, c.risk_level,
          r.risk_factors as factors, r.head_commits, r.number as revision_number,
          (select coalesce(array_agg(h), '{}') from revisions r2, unnest(r2.head_commits) h where r2.change_id = c.id) as all_head_commits,
          (exists(select 1 from change_services cs where cs.change_id = c.id)
            or exists(select 1 from path_mappings pm where lower(pm.repo) = lower(c.repo))) as in_scope
        from changes c left join revisions r on r.id = c.current_revision_id
        where c.id = ${changeId}`,
  );
  if (!row || row.source !== 'github' || !row.repo) return null;
  const arr = (v: string[] | string | null) => (Array.isArray(v) ? v : typeof v === 'string' ? v.replace(/[{}]/g, '').split(',').filter(Boolean) : []);
  const factors = typeof row.factors === 'string' ? (JSON.parse(row.factors) as RiskFactor[]) : (row.factors ?? []);
  return {
    id: Number(row.id),
    externalId: row.external_id,
    title: row.title,
    repo: row.repo,
    environment: row.environment,
    riskScore: Number(row.risk_score),
    riskLevel: row.risk_level,
    factors,
    headCommits: arr(row.head_commits),
    revisionNumber: row.revision_number === null ? null : Number(row.revision_number),
    allHeadCommits: arr(row.all_head_commits),
    inScope: !!row.in_scope,
  };
}

export function changeUrl(changeId: number): string | undefined {
  const base = getEnv().COUNTERSIGN_URL?.trim();
  if (!base || !/^https?:\/\/[^\s/]+/.test(base)) return undefined;
  return `${base.replace(/\/+$/, '')}/changes/${changeId}`;
}

/** Pure: what the check says — conclusion, title, and a summary with risk, top factors, approvals and blocking reasons. */
export function checkView(f: Pick<ChangeFacts, 'id' | 'riskScore' | 'riskLevel' | 'factors' | 'environment' | 'revisionNumber'>, answer: GateAnswer, approvers: { handle: string; decision: string }[]): CheckView {
  const conclusion = conclusionOf(answer);
  const { required, valid } = answer.approvals;
  const title =
    conclusion === 'neutral'
      ? 'No sign-off required'
      : conclusion === 'success'
        ? answer.reasons.includes('break_glass')
          ? 'Break-glass override active'
          : `Signed off (${valid} of ${required})`
        : answer.reasons.includes('rejected')
          ? 'Rejected in Countersign'
          : `Sign-off missing (${valid} of ${required})`;
  const lines: string[] = [];
  lines.push(`**Risk:** ${f.riskLevel} (${f.riskScore}/100) · **Environment:** ${f.environment}`);
  const top = [...f.factors].sort((a, b) => b.points - a.points).slice(0, 3);
  if (top.length) {
    lines.push('', '**Top risk factors**');
    for (const x of top) lines.push(`- ${x.key} (+${x.points}): ${x.evidence}`);
  }
  lines.push('', `**Approvals** (${valid} of ${required} required${f.revisionNumber ? `, on revision ${f.revisionNumber}` : ''})`);
  if (approvers.length) for (const a of approvers) lines.push(`- @${a.handle}: ${a.decision}${f.revisionNumber ? ` on revision ${f.revisionNumber}` : ''}`);
  else lines.push('- none yet');
  if (!answer.allowed) {
    lines.push('', '**Blocking**');
    for (const r of answer.reasons) lines.push(`- ${GATE_REASON_TEXT[r as GateReason] ?? r}`);
  }
  const url = changeUrl(f.id);
  if (url) lines.push('', `[Review in Countersign](${url})`);
  return { conclusion, title, summary: lines.join('\n') };
}

const fingerprintOf = (v: CheckView) => createHash('sha256').update(`${v.conclusion}\n${v.title}\n${v.summary}`).digest('hex');

async function currentView(db: Db, f: ChangeFacts): Promise<{ view: CheckView; answer: GateAnswer } | null> {
  const snap = await loadGateSnapshot(db, String(f.id));
  if (!snap) return null;
  const answer = answerFor(snap, f.environment);
  const approvers = snap.rows.map((r) => ({ handle: r.p.handle, decision: r.a.decision === 'approve' ? 'approved' : r.a.decision === 'reject' ? 'rejected' : r.a.decision }));
  return { view: checkView(f, answer, approvers), answer };
}

async function postView(db: Db, client: GithubClient, f: ChangeFacts, sha: string, view: CheckView): Promise<'posted' | 'unchanged'> {
  const fingerprint = fingerprintOf(view);
  const [existing] = await db.select().from(githubCheckRuns).where(and(eq(githubCheckRuns.repo, f.repo), eq(githubCheckRuns.headSha, sha))).limit(1);
  if (existing?.fingerprint === fingerprint) return 'unchanged';
  const detailsUrl = changeUrl(f.id);
  let checkRunId: number | null = existing?.checkRunId ?? null;
  if (statusMode() === 'statuses') {
    await retrying('Posting the commit status', () =>
      client.createStatus(f.repo, sha, {
        state: view.conclusion === 'action_required' ? 'failure' : 'success',
        context: CHECK_NAME,
        description: view.title.slice(0, 140),
        ...(detailsUrl ? { target_url: detailsUrl } : {}),
      }),
    );
  } else {
    const input = {
      name: CHECK_NAME,
      status: 'completed' as const,
      conclusion: view.conclusion,
      completed_at: new Date().toISOString(),
      external_id: String(f.id),
      ...(detailsUrl ? { details_url: detailsUrl } : {}),
      output: { title: view.title, summary: view.summary.slice(0, 65_000) },
    };
    if (checkRunId) await retrying('Updating the check run', () => f && client.updateCheckRun(f.repo, checkRunId!, input));
    else checkRunId = (await retrying('Creating the check run', () => client.createCheckRun(f.repo, { ...input, head_sha: sha }))).id;
  }
  await db
    .insert(githubCheckRuns)
    .values({ changeId: f.id, repo: f.repo, headSha: sha, checkRunId, conclusion: view.conclusion, fingerprint })
    .onConflictDoUpdate({ target: [githubCheckRuns.repo, githubCheckRuns.headSha], set: { changeId: f.id, checkRunId, conclusion: view.conclusion, fingerprint, updatedAt: new Date() } });
  return 'posted';
}

/** Refreshes one change's check on its pull request head and answers protection requests held for it. */
export async function syncChangeToGithub(db: Db, changeId: number): Promise<string> {
  if (!githubWritesEnabled()) return `change #${changeId}: GitHub writes not configured`;
  const f = await loadFacts(db, changeId);
  if (!f) return `change #${changeId} is not a pull request`;
  const client = await clientForRepo(db, f.repo);
  const out: string[] = [];
  const head = f.headCommits.at(-1);
  if (!f.inScope) out.push('repository not mapped: no check');
  else if (!head) out.push('no head commit known: no check');
  else {
    // A decision may land while this runs (its job is then coalesced into this one): post until stable.
    let last = '';
    for (let i = 0; i < 3; i++) {
      const cur = await currentView(db, f);
      if (!cur) break;
      const fp = fingerprintOf(cur.view);
      if (fp === last) break;
      const r = await postView(db, client, f, head, cur.view);
      out.push(`check ${cur.view.conclusion} on ${head.slice(0, 12)} (${r})`);
      last = fp;
    }
  }
  const held = f.allHeadCommits.length
    ? await db
        .select({ id: githubProtectionRequests.id })
        .from(githubProtectionRequests)
        .where(and(eq(githubProtectionRequests.status, 'pending'), sql`lower(${githubProtectionRequests.repo}) = lower(${f.repo})`, inArray(githubProtectionRequests.sha, f.allHeadCommits)))
    : [];
  for (const req of held) out.push(await evaluateProtectionRequest(db, req.id, { final: false }));
  return `change #${changeId}: ${out.join('; ') || 'nothing to do'}`;
}

export const githubCheckJob: JobHandler = {
  run: ({ db, job }) => syncChangeToGithub(db, Number((job.payload as { changeId: number }).changeId)),
};

/** After a policy or mapping change: every open pull request's check is refreshed. */
export const githubCheckAllJob: JobHandler = {
  async run({ db }) {
    const rows = await queryRows<{ id: number }>(db, sql`select id from changes where source = 'github' and status in ('pending', 'approved', 'rejected')`);
    for (const r of rows) await enqueueCheckSync(db, Number(r.id));
    return `${rows.length} pull request checks queued for refresh`;
  },
};

export { checkDedupeKey, GITHUB_CHECK_ALL_JOB, GITHUB_CHECK_JOB };

// ---------------------------------------------------------------------------------------------
// Deployment protection rules

export interface ProtectionRulePayload {
  action?: string;
  environment?: string;
  event?: string;
  deployment_callback_url?: string;
  deployment?: { id?: number; sha?: string; environment?: string } | null;
  repository?: { full_name: string };
  installation?: { id?: number } | null;
}

/** Keeps a `deployment_protection_rule.requested` delivery and answers it now if the gate can. */
export async function handleProtectionRule(db: Db, p: ProtectionRulePayload): Promise<string> {
  const repo = p.repository?.full_name;
  const sha = p.deployment?.sha;
  const environment = (p.environment ?? p.deployment?.environment ?? '').trim();
  const callbackUrl = p.deployment_callback_url;
  if (!repo || !sha || !environment || !callbackUrl) return 'deployment protection request without repository, commit, environment or callback URL: ignored';
  if (!isProtectionCallbackOf(getEnv().GITHUB_API_URL, callbackUrl)) return `deployment protection request ignored: its callback ${callbackUrl.slice(0, 200)} is not on ${getEnv().GITHUB_API_URL}`;
  const minutes = getEnv().GITHUB_PROTECTION_TIMEOUT_MINUTES;
  const expiresAt = new Date(Date.now() + minutes * 60_000);
  const id = await db.transaction(async (tx) => {
    await rememberInstallation(tx, repo, p.installation?.id);
    const [row] = await tx
      .insert(githubProtectionRequests)
      .values({ repo, sha, environment, callbackUrl, installationId: p.installation?.id ?? null, deploymentId: p.deployment?.id ?? null, expiresAt })
      .onConflictDoNothing()
      .returning({ id: githubProtectionRequests.id });
    if (!row) return null;
    await enqueueJob(tx, { kind: GITHUB_PROTECTION_TIMEOUT_JOB, payload: { requestId: row.id }, dedupeKey: `github-protection-timeout:${row.id}`, runAfter: expiresAt });
    return row.id;
  });
  if (id === null) return `deployment protection request for ${callbackUrl} (${environment}) already received`;
  return evaluateProtectionRequest(db, id, { final: false });
}

/** Reasons that no later sign-off can turn into an approval of this request. */
const FINAL_REASONS: ReadonlySet<string> = new Set<GateReason>(['rejected', 'change_closed', 'commit_not_approved']);

/**
 * Asks the gate about a held request. Allowed → approved; a reject or a closed change → rejected;
 * otherwise it stays held, unless `final` (its time is up), when it is rejected with the reasons.
 * Each answer is a recorded gate decision.
 */
export async function evaluateProtectionRequest(db: Db, requestId: number, opts: { final: boolean }): Promise<string> {
  const [req] = await db.select().from(githubProtectionRequests).where(eq(githubProtectionRequests.id, requestId)).limit(1);
  if (!req || req.status !== 'pending') return `deployment protection request ${requestId} already answered`;
  const label = `${req.repo}@${req.sha.slice(0, 12)} to ${req.environment}`;
  // The gate bound to this very commit (lib/gate/decide.ts): a commit of an earlier revision is
  // `commit_not_approved`, one no change has is `unknown_commit` — held until its pull request arrives.
  const changeId = await changeForCommit(db, req.repo, req.sha);
  if (changeId === null && !opts.final) return `deployment protection request ${label} held: no pull request with this commit is recorded yet`;
  const change = changeId === null ? null : { id: changeId };
  const { allowed, reasons, decisionId } = await decideGate(db, { repo: req.repo, commit: req.sha, environment: req.environment, actor: PROTECTION_ACTOR });
  if (!allowed && !opts.final && !reasons.some((r) => FINAL_REASONS.has(r))) {
    return `deployment protection request ${label} held: ${reasons.join(', ')} (gate decision ${decisionId})`;
  }
  const state = allowed ? 'approved' : 'rejected';
  const text = reasons.map((r) => GATE_REASON_TEXT[r as GateReason] ?? r);
  const url = change ? changeUrl(Number(change.id)) : undefined;
  const comment = `Countersign ${state} ${req.environment}${opts.final && !allowed ? ` (no sign-off within ${getEnv().GITHUB_PROTECTION_TIMEOUT_MINUTES} minutes)` : ''}: ${text.join(' ')}${url ? ` ${url}` : ''}`.slice(0, 1000);
  const client = githubClient({ installationId: req.installationId });
  await retrying('Answering the deployment protection rule', () => client.reviewDeploymentProtectionRule(req.callbackUrl, { environment_name: req.environment, state, comment }));
  await db
    .update(githubProtectionRequests)
    .set({ status: state, comment, decisionId, changeId: change ? Number(change.id) : null, answeredAt: new Date() })
    .where(and(eq(githubProtectionRequests.id, req.id), eq(githubProtectionRequests.status, 'pending')));
  return `deployment protection request ${label} ${state} (gate decision ${decisionId})`;
}

export const githubProtectionTimeoutJob: JobHandler = {
  run: ({ db, job }) => evaluateProtectionRequest(db, Number((job.payload as { requestId: number }).requestId), { final: true }),
};
