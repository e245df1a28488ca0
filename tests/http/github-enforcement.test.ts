// Sign-off enforced in GitHub (issue 12), against a local fake GitHub API with the client the app
// uses: App authentication (JWT verified with the App's public key, installation tokens cached and
// bought again before expiry), the `Countersign sign-off` check run on pull request heads, and
// deployment protection rule requests held until sign-off, answered, or rejected when their time is up.
import { generateKeyPairSync } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { changes, gateDecisions, githubInstallations, githubProtectionRequests, jobs, pathMappings, people, revisions, services, webhookDeliveries } from '@/db/schema';
import { getPolicy } from '@/lib/policy';
import { updatePolicy } from '@/lib/policy/update';
import { resetEnvCache } from '@/lib/env';
import { appJwt, appCredentials, clearInstallationTokens, tokenFor } from '@/lib/github/app';
import { CHECK_NAME } from '@/lib/github/enforce';
import { runReadyJobs } from '@/lib/jobs/start';
import { describeEachDb, uid } from '../support/db';
import type { FakePull } from '../support/fake-github';
import { deliverWebhook, exampleOf, withFakeGithub, type DeliverOptions } from '../support/github-webhooks';
import type { Json } from '../support/http';
import { approve, diffFor } from './sign-off-fixtures';

const SECRET = 'enforcement-webhook-secret';
const APP_ID = '918273';
const INSTALLATION = 55501;
const COUNTERSIGN_URL = 'https://countersign.example.test';
const fake = withFakeGithub(SECRET);
const deliver = (event: string, payload: unknown, opts: Partial<DeliverOptions> = {}) => deliverWebhook(event, payload, { secret: SECRET, ...opts });

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const APP_ENV = { GITHUB_APP_ID: APP_ID, GITHUB_APP_PRIVATE_KEY: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(), COUNTERSIGN_URL, GITHUB_PROTECTION_TIMEOUT_MINUTES: '60' } as const;
const saved: Record<string, string | undefined> = {};

beforeAll(() => {
  fake.app = { id: APP_ID, publicKey };
  for (const [k, v] of Object.entries(APP_ENV)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  resetEnvCache();
});
afterAll(() => {
  for (const k of Object.keys(APP_ENV)) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  delete process.env.GITHUB_STATUS_MODE;
  resetEnvCache();
  clearInstallationTokens();
});
beforeEach(() => {
  clearInstallationTokens();
  fake.tokenTtlMs = 60 * 60_000;
});

function fakePullFrom(pr: Json, over: Partial<FakePull> = {}): FakePull {
  return { pull: pr, diff: diffFor('first'), commits: [{ sha: pr.head.sha, commit: { message: 'Raise the cart limit.' }, author: { login: pr.user.login, type: pr.user.type } }], ...over };
}

function inRepo(payload: Json, repo: string): Json {
  const p = structuredClone(payload);
  p.repository.full_name = repo;
  p.repository.name = repo.split('/')[1];
  p.installation = { id: INSTALLATION, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNTU1MDE=' };
  if (p.pull_request) {
    p.pull_request.base.repo.full_name = repo;
    p.pull_request.html_url = `https://github.com/${repo}/pull/${p.pull_request.number}`;
  }
  return p;
}

/** A pull request on a repository mapped to the Tier-1 checkout service, delivered and processed. */
async function openPullRequest(db: Db, headSha = 'a1'.repeat(20)) {
  const repo = `acme-test/${uid('enf')}`;
  const [checkout] = await db.select().from(services).where(eq(services.slug, 'checkout'));
  await db.insert(pathMappings).values({ repo, pathGlob: '**', serviceId: checkout!.id });
  const opened = inRepo(exampleOf('pull_request', 'opened'), repo);
  opened.pull_request.head.sha = headSha;
  fake.setPull(repo, fakePullFrom(opened.pull_request));
  expect((await deliver('pull_request', opened)).status).toBe(202);
  await runReadyJobs(db);
  const externalId = `${repo}#${opened.pull_request.number}`;
  const [change] = await db.select().from(changes).where(eq(changes.externalId, externalId));
  expect(change).toMatchObject({ topTier: 1, requiredApprovals: 2, unmapped: false });
  // A pipeline's submission declares its pre-deployment validation (a Tier-1 production rule).
  await db.update(changes).set({ preDeployValidation: true }).where(eq(changes.id, change!.id));
  return { repo, opened, change: change!, headSha };
}

async function currentSha(db: Db, changeId: number): Promise<string> {
  const [row] = await db.select({ sha: revisions.sha }).from(revisions).innerJoin(changes, eq(changes.currentRevisionId, revisions.id)).where(eq(changes.id, changeId));
  return row!.sha;
}

async function signOff(db: Db, changeId: number, handle: string, decision: 'approve' | 'reject' = 'approve') {
  const res = await approve(db, handle, { id: changeId, externalId: '', sha: await currentSha(db, changeId) }, { decision });
  expect(res.status).toBe(201);
  await runReadyJobs(db);
}

function protectionRequest(repo: string, sha: string, runId: number, environment = 'production'): Json {
  return inRepo(
    {
      action: 'requested',
      environment,
      event: 'deployment',
      deployment_callback_url: `${fake.url}/repos/${repo}/actions/runs/${runId}/deployment_protection_rule`,
      deployment: { url: `${fake.url}/repos/${repo}/deployments/${runId}`, id: runId, node_id: 'DE_kwDO', sha, ref: 'main', task: 'deploy', payload: {}, original_environment: environment, environment, description: null, creator: { login: 'octocat', id: 1, type: 'User' }, created_at: '2026-12-05T10:00:00Z', updated_at: '2026-12-05T10:00:00Z' },
      pull_requests: [],
      repository: structuredClone(exampleOf('pull_request', 'opened').repository),
      sender: { login: 'octocat', id: 1, type: 'User' },
    },
    repo,
  );
}

describe('GitHub App authentication', () => {
  it('signs an RS256 JWT the App public key verifies, buys an installation token with it, caches it, and buys again before expiry', async () => {
    const jwt = appJwt(appCredentials()!);
    expect(fake.verifyJwt(jwt)).toMatchObject({ iss: APP_ID });
    // A JWT signed by another key is not the App's.
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(fake.verifyJwt(appJwt({ appId: APP_ID, key: other }))).toBeNull();

    const asked = () => fake.requests.filter((r) => r.path === `/app/installations/${INSTALLATION}/access_tokens`).length;
    const before = asked();
    const t1 = await tokenFor(INSTALLATION);
    expect(t1).toMatch(/^ghs_/);
    expect(await tokenFor(INSTALLATION)).toBe(t1);
    expect(asked()).toBe(before + 1);
    const req = fake.requests.filter((r) => r.path === `/app/installations/${INSTALLATION}/access_tokens`).at(-1)!;
    expect(req.method).toBe('POST');
    expect(fake.verifyJwt(req.authorization!.replace(/^Bearer /, ''))).not.toBeNull();

    // A token close to its expiry is replaced before it is used again.
    clearInstallationTokens();
    fake.tokenTtlMs = 4 * 60_000;
    const t2 = await tokenFor(INSTALLATION);
    const t3 = await tokenFor(INSTALLATION);
    expect(t3).not.toBe(t2);
    expect(asked()).toBe(before + 3);
    // Without an installation, the personal token stays the fallback.
    expect(await tokenFor(null)).toBe(fake.token);
  });
});

describeEachDb('GitHub enforcement', ({ handle }) => {
  it('a pull request gets a completed action_required check on its head, success after two sign-offs, and a new push fails again', async () => {
    const db = handle().db;
    const { repo, opened, change, headSha } = await openPullRequest(db);
    // Reads of the pull request went out with the installation's token.
    const reads = fake.requests.filter((r) => r.path === `/repos/${repo}/pulls/${opened.pull_request.number}`);
    expect(reads.at(-1)!.authorization).toMatch(/^Bearer ghs_/);

    let [check] = fake.checksFor(repo, headSha);
    expect(fake.checksFor(repo, headSha)).toHaveLength(1);
    expect(check).toMatchObject({ name: CHECK_NAME, status: 'completed', conclusion: 'action_required', details_url: `${COUNTERSIGN_URL}/changes/${change.id}` });
    expect(check!.output.title).toBe('Sign-off missing (0 of 2)');
    expect(check!.output.summary).toMatch(/\*\*Risk:\*\*/);
    expect(check!.output.summary).toContain('Not enough valid approvals');
    expect(check!.output.summary).toContain('Review in Countersign');

    await signOff(db, change.id, 'mrossi');
    [check] = fake.checksFor(repo, headSha);
    expect(fake.checksFor(repo, headSha)).toHaveLength(1);
    expect(check).toMatchObject({ conclusion: 'action_required' });
    expect(check!.output.summary).toContain('@mrossi: approved on revision 1');
    expect(check!.history).toHaveLength(2);

    await signOff(db, change.id, 'sahmed');
    [check] = fake.checksFor(repo, headSha);
    expect(check).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(check!.output.title).toBe('Signed off (2 of 2)');
    expect(check!.output.summary).not.toContain('Blocking');

    // Nothing changed: no job posts the same answer twice.
    const writes = fake.requests.filter((r) => r.method !== 'GET').length;
    await db.update(changes).set({ title: change.title }).where(eq(changes.id, change.id));
    await runReadyJobs(db);
    expect(fake.requests.filter((r) => r.method !== 'GET').length).toBe(writes);

    // A new push: a new revision, a new failing check on the new head.
    const newSha = 'b2'.repeat(20);
    const sync = inRepo(exampleOf('pull_request', 'synchronize'), repo);
    sync.pull_request.number = opened.pull_request.number;
    sync.pull_request.head.sha = newSha;
    fake.setPull(repo, fakePullFrom(sync.pull_request, { diff: diffFor('second') }));
    expect((await deliver('pull_request', sync)).status).toBe(202);
    await runReadyJobs(db);
    const fresh = fake.checksFor(repo, newSha);
    expect(fresh).toHaveLength(1);
    expect(fresh[0]).toMatchObject({ status: 'completed', conclusion: 'action_required' });
  });

  it('a GitHub outage while updating the check is retried from the job queue without losing the update', async () => {
    const db = handle().db;
    const { repo, change, headSha } = await openPullRequest(db, 'c3'.repeat(20));
    fake.failNextWrites = 1;
    await signOff(db, change.id, 'mrossi');
    expect(fake.checksFor(repo, headSha)[0]!.history).toHaveLength(1);
    const [waiting] = await db.select().from(jobs).where(and(eq(jobs.dedupeKey, `github-check:${change.id}`), eq(jobs.status, 'queued')));
    expect(waiting!.lastError).toMatch(/502/);
    await runReadyJobs(db, { now: new Date(Date.now() + 10 * 60_000) });
    expect(fake.checksFor(repo, headSha)[0]!.output.summary).toContain('@mrossi');
  });

  it('posts commit statuses instead when GITHUB_STATUS_MODE=statuses', async () => {
    const db = handle().db;
    process.env.GITHUB_STATUS_MODE = 'statuses';
    resetEnvCache();
    try {
      const { repo, headSha } = await openPullRequest(db, 'd4'.repeat(20));
      expect(fake.checksFor(repo, headSha)).toHaveLength(0);
      const status = fake.statuses.filter((s) => s.repo === repo.toLowerCase() && s.sha === headSha).at(-1);
      expect(status).toMatchObject({ state: 'failure', context: CHECK_NAME });
      expect(status!.target_url).toMatch(new RegExp(`^${COUNTERSIGN_URL}/changes/\\d+$`));
    } finally {
      delete process.env.GITHUB_STATUS_MODE;
      resetEnvCache();
    }
  });

  it('holds a deployment protection request for a pending Tier-1 change, then approves it by callback after the second sign-off', async () => {
    const db = handle().db;
    const { repo, change, headSha } = await openPullRequest(db, 'e5'.repeat(20));
    const runId = 700_000 + Math.floor(Math.random() * 100_000);
    expect((await deliver('deployment_protection_rule', protectionRequest(repo, headSha, runId))).status).toBe(202);
    await runReadyJobs(db);
    expect(fake.protectionAnswers.filter((a) => a.runId === runId)).toHaveLength(0);
    let [held] = await db.select().from(githubProtectionRequests).where(eq(githubProtectionRequests.sha, headSha));
    expect(held).toMatchObject({ status: 'pending', environment: 'production' });
    // Asking was a gate decision too.
    const asked = await db.select().from(gateDecisions).where(eq(gateDecisions.changeId, change.id));
    expect(asked.some((d) => !d.allowed && d.reasons.includes('approvals_missing'))).toBe(true);

    await signOff(db, change.id, 'mrossi');
    expect(fake.protectionAnswers.filter((a) => a.runId === runId)).toHaveLength(0);
    await signOff(db, change.id, 'sahmed');
    const answers = fake.protectionAnswers.filter((a) => a.runId === runId);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ state: 'approved', environment_name: 'production' });
    const call = fake.requests.find((r) => r.path === `/repos/${repo}/actions/runs/${runId}/deployment_protection_rule`)!;
    expect(call.authorization).toMatch(/^Bearer ghs_/);
    [held] = await db.select().from(githubProtectionRequests).where(eq(githubProtectionRequests.sha, headSha));
    expect(held).toMatchObject({ status: 'approved', changeId: change.id });
    const [decision] = await db.select().from(gateDecisions).where(eq(gateDecisions.id, held!.decisionId!));
    expect(decision).toMatchObject({ allowed: true, environment: 'production', changeId: change.id });
  });

  it('a held request is rejected after a reject, and one never signed off is rejected when its time is up', async () => {
    const db = handle().db;
    const a = await openPullRequest(db, 'f6'.repeat(20));
    const runA = 800_000 + Math.floor(Math.random() * 100_000);
    await deliver('deployment_protection_rule', protectionRequest(a.repo, a.headSha, runA));
    await runReadyJobs(db);
    await signOff(db, a.change.id, 'mrossi', 'reject');
    const rejected = fake.protectionAnswers.filter((x) => x.runId === runA);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ state: 'rejected' });
    expect(rejected[0]!.comment).toContain('rejected the current revision');

    const b = await openPullRequest(db, '07'.repeat(20));
    const runB = runA + 1;
    await deliver('deployment_protection_rule', protectionRequest(b.repo, b.headSha, runB));
    await runReadyJobs(db);
    expect(fake.protectionAnswers.filter((x) => x.runId === runB)).toHaveLength(0);
    await runReadyJobs(db, { now: new Date(Date.now() + 61 * 60_000) });
    const late = fake.protectionAnswers.filter((x) => x.runId === runB);
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({ state: 'rejected', environment_name: 'production' });
    expect(late[0]!.comment).toContain('no sign-off within 60 minutes');
    const [row] = await db.select().from(githubProtectionRequests).where(eq(githubProtectionRequests.sha, b.headSha));
    const [decision] = await db.select().from(gateDecisions).where(eq(gateDecisions.id, row!.decisionId!));
    expect(decision).toMatchObject({ allowed: false, changeId: b.change.id });
  });

  it('verifies the signature of protection rule deliveries as of any other, and never sends the token to a foreign callback', async () => {
    const db = handle().db;
    const { repo, headSha } = await openPullRequest(db, '18'.repeat(20));
    const tampered = await deliver('deployment_protection_rule', protectionRequest(repo, headSha, 1), { tamper: (b) => b.replace('"production"', '"staging"') });
    expect(tampered.status).toBe(401);
    expect(tampered.json.error.code).toBe('signature_invalid');
    const unsigned = await deliver('deployment_protection_rule', protectionRequest(repo, headSha, 2), { signature: null });
    expect(unsigned.status).toBe(401);
    expect(await db.select().from(githubProtectionRequests).where(eq(githubProtectionRequests.sha, headSha))).toHaveLength(0);

    const foreign = protectionRequest(repo, headSha, 3);
    foreign.deployment_callback_url = 'https://attacker.example/repos/x/y/actions/runs/3/deployment_protection_rule';
    const res = await deliver('deployment_protection_rule', foreign);
    await runReadyJobs(db, { now: new Date(Date.now() + 61 * 60_000) });
    expect(fake.requests.some((r) => r.path.includes('/runs/3/'))).toBe(false);
    expect(await db.select().from(githubProtectionRequests).where(eq(githubProtectionRequests.callbackUrl, foreign.deployment_callback_url))).toHaveLength(0);
    const [delivery] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.deliveryId, res.json.delivery));
    expect(delivery!.outcome).toMatch(/callback .* is not on/);
  });

  it('remembers which installation serves a repository from installation events, and forgets it when the App is uninstalled', async () => {
    const db = handle().db;
    const created = exampleOf('installation', 'created');
    const id = Number(created.installation.id);
    const repos = (created.repositories as { full_name: string }[]).map((r) => r.full_name.toLowerCase());
    expect((await deliver('installation', created)).status).toBe(202);
    await runReadyJobs(db);
    const rows = await db.select().from(githubInstallations).where(eq(githubInstallations.installationId, id));
    expect(rows.map((r) => r.repo).sort()).toEqual(repos.sort());
    expect((await deliver('installation', { ...exampleOf('installation', 'deleted'), installation: created.installation })).status).toBe(202);
    await runReadyJobs(db);
    expect(await db.select().from(githubInstallations).where(eq(githubInstallations.installationId, id))).toHaveLength(0);
  });

  it('a policy change refreshes the checks of open pull requests', async () => {
    const db = handle().db;
    const { repo, change, headSha } = await openPullRequest(db, '29'.repeat(20));
    await signOff(db, change.id, 'mrossi');
    await signOff(db, change.id, 'sahmed');
    expect(fake.checksFor(repo, headSha)[0]).toMatchObject({ conclusion: 'success' });
    const original = await getPolicy(db);
    const [admin] = await db.select({ id: people.id, handle: people.handle }).from(people).where(eq(people.handle, 'admin'));
    try {
      await updatePolicy(db, { approvals: { approvalsByTier: { 1: 3 } } }, admin!);
      await runReadyJobs(db);
      await runReadyJobs(db);
      const [check] = fake.checksFor(repo, headSha);
      expect(check).toMatchObject({ conclusion: 'action_required' });
      expect(check!.output.title).toBe('Sign-off missing (2 of 3)');
    } finally {
      await updatePolicy(db, original, admin!, { actorLabel: 'test cleanup' });
      await runReadyJobs(db);
    }
  });
});
