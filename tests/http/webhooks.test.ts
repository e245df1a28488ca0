// GitHub deliveries replayed from the example payloads GitHub publishes (@octokit/webhooks-examples),
// signed like GitHub signs them, against a local fake GitHub API: accepted fast, idempotent by
// delivery id, turned into changes, reviews and deployments by the job worker.
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { GET as getChange } from '@/app/api/v1/changes/[id]/route';
import { POST as addMapping } from '@/app/api/v1/path-mappings/route';
import { POST as retryRoute } from '@/app/api/v1/triage/retry/route';
import { POST as webhook } from '@/app/api/webhooks/github/route';
import type { Db } from '@/db/client';
import { changes, changeServices, deployments, externalReviews, jobs, pathMappings, people, revisions, services, webhookDeliveries } from '@/db/schema';
import { recordDecision } from '@/lib/approvals/record';
import { resetEnvCache } from '@/lib/env';
import { decideGate } from '@/lib/gate/decide';
import { listTriage } from '@/lib/github/triage';
import { isHandled } from '@/lib/github/webhook';
import { claimJobs, JOB_LEASE_MS } from '@/lib/jobs/queue';
import { runReadyJobs } from '@/lib/jobs/start';
import { describeEachDb, uid } from '../support/db';
import type { FakePull } from '../support/fake-github';
import { deliverWebhook, exampleOf, examplesOf, signWebhook, withFakeGithub, type DeliverOptions } from '../support/github-webhooks';
import { call, tokenFor, type Json } from '../support/http';

const SECRET = 'it-is-a-secret-to-everybody';
const fake = withFakeGithub(SECRET);
const sign = (body: string, secret = SECRET) => signWebhook(body, secret);
// Each delivery carries a unique field: the same body under a new delivery id is refused as a replay
// (integrity-web.test.ts), and these tests send the published examples more than once.
const deliver = (event: string, payload: unknown, opts: Partial<DeliverOptions> = {}) =>
  deliverWebhook(event, payload && typeof payload === 'object' && !Array.isArray(payload) ? { ...payload, countersign_test_delivery: randomUUID() } : payload, { secret: SECRET, ...opts });

const README_DIFF = (line: string) => `diff --git a/README.md b/README.md
index 8b13789..5d9c1f4 100644
--- a/README.md
+++ b/README.md
@@ -1,2 +1,2 @@
 # Hello-World
-Hello world!
+${line}
`;

/** What the fake GitHub serves for a delivered pull request: its payload's PR plus a diff and commits. */
function fakePullFrom(pr: Json, over: Partial<FakePull> = {}): FakePull {
  return {
    pull: pr,
    diff: README_DIFF('Hello, world, from a pull request.'),
    commits: [{ sha: pr.head.sha, commit: { message: 'Update the README with new information.' }, author: { login: pr.user.login, type: pr.user.type } }],
    ...over,
  };
}

/** An example payload moved to a repository of the test's own, so tests do not share a pull request. */
function inRepo(payload: Json, repo: string): Json {
  const p = structuredClone(payload);
  p.repository.full_name = repo;
  p.repository.name = repo.split('/')[1];
  if (p.pull_request) {
    p.pull_request.base.repo.full_name = repo;
    p.pull_request.html_url = `https://github.com/${repo}/pull/${p.pull_request.number}`;
  }
  return p;
}

async function count(db: Db) {
  const [row] = await db.select({ deliveries: sql<number>`(select count(*) from webhook_deliveries)::int`, jobs: sql<number>`(select count(*) from jobs)::int`, changes: sql<number>`(select count(*) from changes)::int` }).from(sql`(select 1) as one`);
  return row!;
}

async function changeByExternalId(db: Db, externalId: string) {
  return (await db.select().from(changes).where(eq(changes.externalId, externalId)))[0];
}

describeEachDb('POST /api/webhooks/github', ({ handle }) => {
  it('replays the story of the example pull request: opened, labeled, synchronized, reviewed, closed, reopened, deployed', async () => {
    const db = handle().db;
    const opened = exampleOf('pull_request', 'opened');
    const repo = opened.repository.full_name as string;
    const pr = opened.pull_request;
    fake.setPull(repo, fakePullFrom(pr));

    // Warm up the route (module loading, first writes), then time a real delivery: GitHub gives
    // up after 10 s; we answer well within a second or two, even on a busy machine.
    expect((await deliver('ping', exampleOf('ping'))).status).toBe(200);
    expect((await deliver('push', exampleOf('push'))).status).toBe(200);
    const asked = fake.requests.length;
    const started = Date.now();
    const res = await deliver('pull_request', opened);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.status, res.text).toBe(202);
    expect(res.json).toMatchObject({ status: 'queued', event: 'pull_request', action: 'opened' });
    // The answer does not wait for GitHub: nothing was fetched yet.
    expect(fake.requests.length).toBe(asked);
    expect(await runReadyJobs(db)).toMatchObject({ done: 1, failed: 0 });
    expect(fake.requests.every((r) => r.authorization === `Bearer ${fake.token}`)).toBe(true);

    const externalId = `${repo}#${pr.number}`;
    let change = await changeByExternalId(db, externalId);
    expect(change).toMatchObject({ title: pr.title, source: 'github', unmapped: true, aiLevel: 'none', repo, url: pr.html_url, closedAt: null, ingestError: null });
    const [author] = await db.select().from(people).where(eq(people.id, change!.authorId));
    expect(author).toMatchObject({ handle: 'Codertocat', githubLogin: 'Codertocat', isBot: false, role: 'engineer', level: 4 });
    const [delivery] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.deliveryId, res.json.delivery));
    expect(delivery!.outcome).toMatch(/^done: change #\d+ Codertocat\/Hello-World#2 recorded; services: none \(unmapped\)/);

    // A label declaring AI assistance (the API is read at job time, so the label is seen).
    const labeled = exampleOf('pull_request', 'labeled');
    fake.setPull(repo, fakePullFrom({ ...pr, labels: [...labeled.pull_request.labels, { name: 'ai-assisted' }] }));
    expect((await deliver('pull_request', labeled)).status).toBe(202);
    await runReadyJobs(db);
    change = await changeByExternalId(db, externalId);
    expect(change!.aiLevel).toBe('assisted');
    expect(change!.aiEvidence).toContainEqual({ source: 'label', detail: expect.stringContaining('"ai-assisted"') });

    // New commits: a new revision.
    const sync = exampleOf('pull_request', 'synchronize');
    fake.setPull(repo, fakePullFrom({ ...sync.pull_request, labels: [{ name: 'ai-assisted' }], head: { ...sync.pull_request.head, sha: 'a'.repeat(40) } }, { diff: README_DIFF('Hello again, world.') }));
    await deliver('pull_request', sync);
    await runReadyJobs(db);
    const revs = await db.select().from(revisions).where(eq(revisions.changeId, change!.id));
    expect(revs.map((r) => r.number).sort()).toEqual([1, 2]);

    // Reviews are context, never a sign-off.
    const review = exampleOf('pull_request_review', 'submitted');
    expect((await deliver('pull_request_review', review)).status).toBe(202);
    await deliver('pull_request_review', exampleOf('pull_request_review', 'dismissed'));
    await runReadyJobs(db);
    const reviews = await db.select().from(externalReviews).where(eq(externalReviews.changeId, change!.id));
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ source: 'github', externalId: String(review.review.id), reviewer: 'Codertocat', state: 'dismissed', commitId: review.review.commit_id });
    change = await changeByExternalId(db, externalId);
    expect(change!.validApprovals).toBe(0);

    // A known senior approves the new head commit on GitHub: shown on the change, still not a sign-off.
    const approvedOnGithub = structuredClone(review);
    approvedOnGithub.review = {
      ...approvedOnGithub.review,
      id: review.review.id + 1,
      state: 'approved',
      commit_id: 'a'.repeat(40),
      body: 'LGTM, ship it.',
      submitted_at: new Date(Date.parse(review.review.submitted_at) + 3_600_000).toISOString(),
      user: { ...approvedOnGithub.review.user, login: 'mrossi-acme' },
    };
    expect((await deliver('pull_request_review', approvedOnGithub)).status).toBe(202);
    expect(await runReadyJobs(db)).toMatchObject({ done: 1, failed: 0 });
    const reader = await tokenFor(db, 'kchen', ['gate:read']);
    const detail = await call(getChange, `/api/v1/changes/${change!.id}`, { auth: reader, params: { id: String(change!.id) } });
    expect(detail.status, detail.text).toBe(200);
    expect(detail.json.revisions.map((r: Json) => [r.number, r.current])).toEqual([[1, false], [2, true]]);
    // Newest first: the approval on the current revision, then the dismissed comment on revision 1 (stale).
    expect(detail.json.externalReviews).toEqual([
      {
        id: expect.any(Number),
        source: 'github',
        externalId: String(review.review.id + 1),
        reviewer: { login: 'mrossi-acme', person: expect.objectContaining({ handle: 'mrossi', name: 'Marco Rossi', level: 8 }) },
        state: 'approved',
        body: 'LGTM, ship it.',
        commitId: 'a'.repeat(40),
        revision: 2,
        stale: false,
        submittedAt: approvedOnGithub.review.submitted_at,
      },
      {
        id: expect.any(Number),
        source: 'github',
        externalId: String(review.review.id),
        reviewer: { login: 'Codertocat', person: expect.objectContaining({ handle: 'Codertocat' }) },
        state: 'dismissed',
        body: review.review.body ?? '',
        commitId: review.review.commit_id,
        revision: 1,
        stale: true,
        submittedAt: new Date(review.review.submitted_at).toISOString(),
      },
    ]);
    // An approval on GitHub is not a Countersign sign-off: no decision, nothing valid, the gate unchanged.
    expect(detail.json.approvals).toEqual([]);
    expect(detail.json.validApprovals).toBe(0);
    change = await changeByExternalId(db, externalId);
    expect(change!.validApprovals).toBe(0);

    // Closed without merging: abandoned; reopened: back.
    const closed = exampleOf('pull_request', 'closed');
    fake.setPull(repo, fakePullFrom({ ...closed.pull_request, head: { ...closed.pull_request.head, sha: 'a'.repeat(40) } }, { diff: README_DIFF('Hello again, world.') }));
    await deliver('pull_request', closed);
    await runReadyJobs(db);
    change = await changeByExternalId(db, externalId);
    expect(change!.closedAt?.toISOString()).toBe(new Date(closed.pull_request.closed_at).toISOString());
    const reopened = exampleOf('pull_request', 'reopened');
    fake.setPull(repo, fakePullFrom({ ...reopened.pull_request, head: { ...reopened.pull_request.head, sha: 'a'.repeat(40) } }, { diff: README_DIFF('Hello again, world.') }));
    await deliver('pull_request', reopened);
    await runReadyJobs(db);
    change = await changeByExternalId(db, externalId);
    expect(change!.closedAt).toBeNull();
    expect((await db.select().from(revisions).where(eq(revisions.changeId, change!.id))).length).toBe(2);

    // Deployed from its merge commit without asking the gate: recorded, and flagged as a bypass.
    const deployment = examplesOf('deployment').find((d) => d.deployment.environment === 'production')!;
    fake.linkCommit(repo, deployment.deployment.sha, pr.number);
    expect((await deliver('deployment', deployment)).status).toBe(202);
    const status = examplesOf('deployment_status').find((d) => d.deployment_status.state === 'success')!;
    await deliver('deployment_status', status);
    expect(await runReadyJobs(db)).toMatchObject({ failed: 0, retrying: 0 });
    const deps = await db.select().from(deployments).where(eq(deployments.changeId, change!.id));
    expect(deps).toHaveLength(1);
    expect(deps[0]).toMatchObject({ source: 'github', environment: 'production', status: 'succeeded', bypass: true, externalId: `${repo}/deployments/${deployment.deployment.id}` });
  });

  it('accepts every example payload of every event kind it handles, signed, and each produces exactly its record; ignores the others with 202', { timeout: 180_000 }, async () => {
    const db = handle().db;
    const [cost] = await db.select().from(services).where(eq(services.slug, 'cost-explorer'));
    const seen: Record<string, number> = {};
    const checked: Record<string, number> = {};
    let reviewId = 9_000_000_000 + Math.floor(Math.random() * 1e6) * 100;

    const outcomeOf = async (delivery: string) => (await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.deliveryId, delivery)))[0]?.outcome;
    const servicesOf = async (changeId: number) =>
      (await db.select({ slug: services.slug }).from(changeServices).innerJoin(services, eq(services.id, changeServices.serviceId)).where(eq(changeServices.changeId, changeId))).map((r) => r.slug);
    /** A repository of this example's own, mapped to cost-explorer or not, serving the example's pull request. */
    const ownRepo = async (payload: Json, mapped: boolean) => {
      const repo = `acme-test/${uid('ex')}`;
      const moved = inRepo(payload, repo);
      if (mapped) await db.insert(pathMappings).values({ repo, pathGlob: '**', serviceId: cost!.id });
      return { repo, moved };
    };

    for (const name of ['pull_request', 'pull_request_review', 'push', 'deployment', 'deployment_status', 'ping', 'issues', 'star']) {
      for (const [i, example] of examplesOf(name).entries()) {
        const what = `${name}.${example.action ?? ''} #${i}`;
        const handled = isHandled(name, example.action ?? null);

        if (!handled && name !== 'push' && name !== 'ping') {
          // Acknowledged and ignored: nothing stored, not even the delivery.
          const res = await deliver(name, example);
          expect(res.status, `${what}: ${res.text}`).toBe(202);
          expect(res.json.status, what).toBe('ignored');
          expect(await outcomeOf(res.json.delivery), what).toBeUndefined();
          seen.ignored = (seen.ignored ?? 0) + 1;
          continue;
        }
        if (name === 'ping') {
          const res = await deliver(name, example);
          expect(res.json.status, what).toBe('pong');
          continue;
        }
        if (name === 'push') {
          const res = await deliver(name, example);
          expect(res.status, what).toBe(200);
          expect(res.json).toMatchObject({ status: 'recorded', outcome: expect.stringMatching(/^recorded: push to refs\//) });
          expect(await outcomeOf(res.json.delivery), what).toBe(res.json.outcome);
          continue;
        }

        if (name === 'pull_request') {
          // Every other example's repository is mapped to a service; the others go to triage.
          const mapped = i % 2 === 0;
          const { repo, moved } = await ownRepo(example, mapped);
          const pr = moved.pull_request;
          fake.setPull(repo, fakePullFrom(pr));
          const res = await deliver(name, moved);
          expect(res.status, `${what}: ${res.text}`).toBe(202);
          expect(await runReadyJobs(db), what).toMatchObject({ done: 1, failed: 0, retrying: 0 });
          const externalId = `${repo}#${pr.number}`;
          const change = await changeByExternalId(db, externalId);
          const abandoned = pr.state === 'closed' && !pr.merged;
          expect(change, what).toMatchObject({ source: 'github', repo, title: pr.title, unmapped: !mapped, ingestError: null, closedAt: abandoned ? new Date(pr.closed_at) : null });
          const revs = await db.select().from(revisions).where(eq(revisions.changeId, change!.id));
          expect(revs, what).toHaveLength(1);
          // A merged pull request: its merge commit carries exactly this content, so the gate accepts it too.
          const accepted = (pr.merged || pr.merged_at) && pr.merge_commit_sha ? [pr.head.sha, pr.merge_commit_sha] : [pr.head.sha];
          expect(revs[0]).toMatchObject({ id: change!.currentRevisionId, number: 1, headCommits: accepted, filesChanged: 1 });
          expect(await servicesOf(change!.id), what).toEqual(mapped ? ['cost-explorer'] : []);
          const inTriage = (await listTriage(db)).find((t) => t.externalId === externalId);
          // Unmapped and open: listed for triage, with its paths; mapped (or abandoned): not.
          if (!mapped && !abandoned) expect(inTriage, what).toMatchObject({ unmapped: true, hasRevision: true, paths: ['README.md'] });
          else expect(inTriage, what).toBeUndefined();
          expect(await outcomeOf(res.json.delivery), what).toMatch(new RegExp(`^done: change #${change!.id} .*recorded; services: ${mapped ? 'cost-explorer' : 'none \\(unmapped\\)'}`));
        } else if (name === 'pull_request_review') {
          // The review comes first: its pull request is fetched and recorded, then the review kept as context.
          const { repo, moved } = await ownRepo(example, false);
          moved.review.id = ++reviewId;
          fake.setPull(repo, fakePullFrom(moved.pull_request));
          const res = await deliver(name, moved);
          expect(res.status, `${what}: ${res.text}`).toBe(202);
          expect(await runReadyJobs(db), what).toMatchObject({ done: 1, failed: 0, retrying: 0 });
          const change = await changeByExternalId(db, `${repo}#${moved.pull_request.number}`);
          expect(change, what).toMatchObject({ source: 'github', unmapped: true, validApprovals: 0 });
          const reviews = await db.select().from(externalReviews).where(eq(externalReviews.changeId, change!.id));
          const state = example.action === 'dismissed' ? 'dismissed' : String(example.review.state).toLowerCase();
          expect(reviews, what).toEqual([
            expect.objectContaining({ source: 'github', externalId: String(reviewId), reviewer: example.review.user.login, state, commitId: example.review.commit_id, body: example.review.body ?? '' }),
          ]);
          expect(await outcomeOf(res.json.delivery), what).toBe(`done: review ${reviewId} by ${example.review.user.login} (${state}) kept as context on change #${change!.id}`);
        } else {
          // deployment / deployment_status: the pull request of the deployed commit is recorded first.
          const { repo, moved } = await ownRepo(example, false);
          const prPayload = inRepo(exampleOf('pull_request', 'opened'), repo);
          fake.setPull(repo, fakePullFrom(prPayload.pull_request));
          fake.linkCommit(repo, moved.deployment.sha, prPayload.pull_request.number);
          await deliver('pull_request', prPayload);
          expect(await runReadyJobs(db)).toMatchObject({ done: 1, failed: 0 });
          const change = (await changeByExternalId(db, `${repo}#${prPayload.pull_request.number}`))!;
          const [creator] = await db.select().from(people).where(sql`lower(${people.githubLogin}) = ${String(moved.deployment.creator.login).toLowerCase()}`);

          const res = await deliver(name, moved);
          expect(res.status, `${what}: ${res.text}`).toBe(202);
          expect(await runReadyJobs(db), what).toMatchObject({ done: 1, failed: 0, retrying: 0 });
          const state = name === 'deployment' ? 'pending' : String(moved.deployment_status.state);
          const status = ({ pending: 'started', queued: 'started', in_progress: 'started', success: 'succeeded', failure: 'failed', error: 'failed' } as Record<string, string>)[state];
          expect(status, `${what}: an example state the test does not know (${state})`).toBeDefined();
          const environment = String(moved.deployment.environment).toLowerCase();
          const deps = await db.select().from(deployments).where(eq(deployments.changeId, change.id));
          // Production without an allowing gate decision is a bypass; another environment is not.
          expect(deps, what).toEqual([
            expect.objectContaining({ source: 'github', environment, status, bypass: environment === 'production', externalId: `${repo}/deployments/${moved.deployment.id}`, revisionId: change.currentRevisionId, deployedById: creator?.id ?? null }),
          ]);
          const after = (await changeByExternalId(db, change.externalId))!;
          expect(after.status, what).toBe(status === 'succeeded' && environment === 'production' ? 'deployed' : 'pending');
          expect(await outcomeOf(res.json.delivery), what).toMatch(
            new RegExp(`^done: deployment ${moved.deployment.id} of change #${change.id} to ${environment}: ${status}${environment === 'production' ? ' — BYPASS' : ''}`),
          );
        }
        checked[name] = (checked[name] ?? 0) + 1;
      }
    }
    // Every handled example was checked: the package's examples did not silently shrink.
    expect(checked).toEqual({
      pull_request: examplesOf('pull_request').filter((x) => isHandled('pull_request', x.action)).length,
      pull_request_review: examplesOf('pull_request_review').length,
      deployment: examplesOf('deployment').length,
      deployment_status: examplesOf('deployment_status').length,
    });
    expect(checked.pull_request).toBeGreaterThanOrEqual(14);
    expect(seen.ignored).toBeGreaterThan(10);
  });

  it('refuses a tampered body, a wrong secret or a missing signature with 401, and stores nothing', async () => {
    const db = handle().db;
    const payload = inRepo(exampleOf('pull_request', 'opened'), `acme-test/${uid('tamper')}`);
    const before = await count(db);
    const tampered = await deliver('pull_request', payload, { tamper: (b) => b.replace('"opened"', '"closed"') });
    expect(tampered.status).toBe(401);
    expect(tampered.json.error.code).toBe('signature_invalid');
    expect((await deliver('pull_request', payload, { secret: 'not-the-secret' })).status).toBe(401);
    const missing = await deliver('pull_request', payload, { signature: null });
    expect(missing.status).toBe(401);
    expect(missing.json.error.code).toBe('signature_missing');
    expect((await deliver('pull_request', payload, { signature: 'sha1=abc' })).status).toBe(401);
    expect(await count(db)).toEqual(before);
    // Not configured: 503 with what to do, nothing stored.
    delete process.env.GITHUB_WEBHOOK_SECRET;
    resetEnvCache();
    try {
      const off = await deliver('pull_request', payload);
      expect(off.status).toBe(503);
      expect(off.json.error.message).toMatch(/GITHUB_WEBHOOK_SECRET/);
    } finally {
      process.env.GITHUB_WEBHOOK_SECRET = SECRET;
      resetEnvCache();
    }
    expect(await count(db)).toEqual(before);
  });

  it('is idempotent by X-GitHub-Delivery: a redelivery answers "duplicate" and changes nothing', async () => {
    const db = handle().db;
    const repo = `acme-test/${uid('dup')}`;
    const payload = inRepo(exampleOf('pull_request', 'opened'), repo);
    fake.setPull(repo, fakePullFrom(payload.pull_request));
    const delivery = randomUUID();
    const first = await deliver('pull_request', payload, { delivery });
    expect(first.status).toBe(202);
    const before = await count(db);
    const again = await deliver('pull_request', payload, { delivery });
    expect(again.status).toBe(200);
    expect(again.json.status).toBe('duplicate');
    expect(await count(db)).toEqual(before);
    await runReadyJobs(db);
    const after = await count(db);
    const third = await deliver('pull_request', payload, { delivery });
    expect(third.json.status).toBe('duplicate');
    expect(await runReadyJobs(db)).toMatchObject({ claimed: 0 });
    expect(await count(db)).toEqual(after);
    expect(await db.select().from(changes).where(eq(changes.repo, repo))).toHaveLength(1);
  });

  it('a synchronize on an approved pull request adds a revision and the gate blocks again', async () => {
    const db = handle().db;
    const repo = `acme-test/${uid('cost')}`;
    const [cost] = await db.select().from(services).where(eq(services.slug, 'cost-explorer'));
    await db.insert(pathMappings).values({ repo, pathGlob: '**', serviceId: cost!.id });
    const opened = inRepo(exampleOf('pull_request', 'opened'), repo);
    fake.setPull(repo, fakePullFrom(opened.pull_request));
    await deliver('pull_request', opened);
    await runReadyJobs(db);
    const externalId = `${repo}#${opened.pull_request.number}`;
    let change = (await changeByExternalId(db, externalId))!;
    expect(change).toMatchObject({ unmapped: false, topTier: 2, requiredApprovals: 1 });
    const [rev1] = await db.select().from(revisions).where(eq(revisions.id, change.currentRevisionId!));
    const [hberg] = await db.select().from(people).where(eq(people.handle, 'hberg'));
    await recordDecision(db, { changeId: change.id, personId: hberg!.id, decision: 'approve', revisionSha: rev1!.sha, via: 'web' });
    const before = await decideGate(db, { ref: externalId, environment: 'production', actor: { personId: null, tokenId: null, label: 'test' } });
    expect(before.allowed).toBe(true);

    const sync = inRepo(exampleOf('pull_request', 'synchronize'), repo);
    fake.setPull(repo, fakePullFrom({ ...sync.pull_request, head: { ...sync.pull_request.head, sha: 'b'.repeat(40) } }, { diff: README_DIFF('A new commit pushed after the approval.') }));
    expect((await deliver('pull_request', sync)).status).toBe(202);
    await runReadyJobs(db);
    change = (await changeByExternalId(db, externalId))!;
    expect(change.currentRevisionId).not.toBe(rev1!.id);
    expect(change).toMatchObject({ status: 'pending', validApprovals: 0, requiredApprovals: 1 });
    const after = await decideGate(db, { ref: externalId, environment: 'production', actor: { personId: null, tokenId: null, label: 'test' } });
    expect(after.allowed).toBe(false);
    expect(after.reasons).toContain('approvals_missing');
  });

  it('detects an AI agent author, AI commit trailers and a ticked template box, with the evidence kept', async () => {
    const db = handle().db;
    const repo = `acme-test/${uid('ai')}`;
    const opened = inRepo(exampleOf('pull_request', 'opened'), repo);
    opened.pull_request.user = { ...opened.pull_request.user, login: 'copilot-swe-agent[bot]', type: 'Bot' };
    opened.pull_request.body = 'Fixes the flaky retry.\n\n## Checklist\n- [x] This PR was written with AI assistance\n- [ ] Docs updated';
    fake.setPull(repo, fakePullFrom(opened.pull_request, {
      commits: [
        { sha: 'c'.repeat(40), commit: { message: 'Retry the flaky call\n\nCo-authored-by: Claude <noreply@anthropic.com>' }, author: { login: 'copilot-swe-agent[bot]', type: 'Bot' } },
        { sha: 'd'.repeat(40), commit: { message: 'Tidy up\n\nAssisted-by: Cursor' }, author: { login: 'mrossi-acme', type: 'User' } },
      ],
    }));
    await deliver('pull_request', opened);
    await runReadyJobs(db);
    const change = (await changeByExternalId(db, `${repo}#${opened.pull_request.number}`))!;
    expect(change.aiLevel).toBe('agent');
    expect(change.aiTool).toBe('GitHub Copilot coding agent');
    expect(change.aiEvidence.map((e) => e.source).sort()).toEqual(['bot_author', 'template_checkbox', 'trailer', 'trailer']);
    const [author] = await db.select().from(people).where(eq(people.id, change.authorId));
    expect(author!.handle).toBe('copilot-swe-agent[bot]');
    // A known senior who committed to it is a co-author, so they cannot approve it.
    const co = await db.execute(sql`select p.handle from change_coauthors c join people p on p.id = c.person_id where c.change_id = ${change.id}`);
    const rows = (Array.isArray(co) ? co : (co as { rows: unknown[] }).rows) as { handle: string }[];
    expect(rows.map((r) => r.handle)).toEqual(['mrossi']);
    expect(change.requiredApprovals).toBeGreaterThanOrEqual(1);
  });

  it('records the change with the error when GitHub cannot be reached, and the scheduled retry completes it', async () => {
    const db = handle().db;
    const repo = `acme-test/${uid('down')}`;
    const opened = inRepo(exampleOf('pull_request', 'opened'), repo);
    fake.setPull(repo, fakePullFrom(opened.pull_request));
    fake.down = true;
    let res;
    try {
      res = await deliver('pull_request', opened);
      expect(await runReadyJobs(db)).toMatchObject({ retrying: 1 });
    } finally {
      fake.down = false;
    }
    const externalId = `${repo}#${opened.pull_request.number}`;
    let change = (await changeByExternalId(db, externalId))!;
    expect(change.ingestError).toMatch(/Could not fetch the pull request from GitHub: GitHub answered 503/);
    expect(change.currentRevisionId).toBeNull();
    expect(change.title).toBe(opened.pull_request.title);
    const gate = await decideGate(db, { ref: externalId, environment: 'production', actor: { personId: null, tokenId: null, label: 'test' } });
    expect(gate.reasons).toContain('no_revision');
    const [job] = await db.select().from(jobs).where(sql`${jobs.payload}->>'deliveryId' = ${res.json.delivery}`);
    expect(job).toMatchObject({ status: 'queued', attempts: 1, lastError: expect.stringMatching(/503/) });
    expect(job!.runAfter.getTime()).toBeGreaterThan(Date.now() + 5_000);
    const [delivery] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.deliveryId, res.json.delivery));
    expect(delivery!.outcome).toMatch(/^retrying \(attempt 1 of 8\)/);
    // Not before its time…
    expect(await runReadyJobs(db)).toMatchObject({ claimed: 0 });
    // …then it completes.
    await runReadyJobs(db, { now: new Date(job!.runAfter.getTime() + 1000) });
    change = (await changeByExternalId(db, externalId))!;
    expect(change.ingestError).toBeNull();
    expect(change.currentRevisionId).not.toBeNull();
    const [done] = await db.select().from(jobs).where(eq(jobs.id, job!.id));
    expect(done).toMatchObject({ status: 'done', attempts: 2, lastError: expect.stringMatching(/503/) });
  });

  it('loses nothing when a worker dies after claiming a job: the lease expires and another worker runs it', async () => {
    const db = handle().db;
    const repo = `acme-test/${uid('crash')}`;
    const opened = inRepo(exampleOf('pull_request', 'opened'), repo);
    fake.setPull(repo, fakePullFrom(opened.pull_request));
    const res = await deliver('pull_request', opened);
    const [dead] = await claimJobs(db, 'worker-that-crashes');
    expect(dead!.payload).toMatchObject({ deliveryId: res.json.delivery });
    expect(await runReadyJobs(db)).toMatchObject({ claimed: 0 });
    await runReadyJobs(db, { now: new Date(Date.now() + JOB_LEASE_MS + 1000) });
    const change = await changeByExternalId(db, `${repo}#${opened.pull_request.number}`);
    expect(change?.currentRevisionId).not.toBeNull();
    const [job] = await db.select().from(jobs).where(and(eq(jobs.id, dead!.id)));
    expect(job).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('triage: an unmapped pull request is listed; mapping its repository re-submits it with the service, no new revision', async () => {
    const db = handle().db;
    const repo = `acme-test/${uid('triage')}`;
    const opened = inRepo(exampleOf('pull_request', 'opened'), repo);
    fake.setPull(repo, fakePullFrom(opened.pull_request));
    await deliver('pull_request', opened);
    await runReadyJobs(db);
    const externalId = `${repo}#${opened.pull_request.number}`;
    const before = (await changeByExternalId(db, externalId))!;
    expect(before.unmapped).toBe(true);
    const listed = (await listTriage(db)).find((t) => t.externalId === externalId);
    expect(listed).toMatchObject({ unmapped: true, ingestError: null, hasRevision: true, paths: ['README.md'], repo });

    const admin = await tokenFor(db, 'admin', ['admin']);
    const senior = await tokenFor(db, 'mrossi', ['changes:write']);
    expect((await call(addMapping, '/api/v1/path-mappings', { auth: senior, body: { repo, pathGlob: '**', service: 'cost-explorer' } })).status).toBe(403);
    expect((await call(addMapping, '/api/v1/path-mappings', { auth: admin, body: { repo, pathGlob: '**', service: 'nope' } })).status).toBe(422);
    const res = await call(addMapping, '/api/v1/path-mappings', { auth: admin, body: { repo, pathGlob: '**', service: 'cost-explorer' } });
    expect(res.status, res.text).toBe(201);
    expect(res.json.remapped).toEqual([{ id: before.id, externalId, services: ['cost-explorer'] }]);
    const after = (await changeByExternalId(db, externalId))!;
    expect(after).toMatchObject({ unmapped: false, currentRevisionId: before.currentRevisionId, topTier: 2, requiredApprovals: 1 });
    expect((await listTriage(db)).some((t) => t.externalId === externalId)).toBe(false);
    const again = await call(addMapping, '/api/v1/path-mappings', { auth: admin, body: { repo, pathGlob: '**', service: 'cost-explorer' } });
    expect(again.status).toBe(200);
    expect(again.json.remapped).toEqual([]);

    // Retry now: a fresh fetch is queued and runs.
    const retry = await call(retryRoute, '/api/v1/triage/retry', { auth: admin, body: { change: externalId } });
    expect(retry.status).toBe(202);
    expect(await runReadyJobs(db)).toMatchObject({ done: 1, failed: 0 });
  });

  describe('validation', () => {
    it('refuses a signed body that is not JSON (400) and a delivery without its headers (400)', async () => {
      const body = 'not json';
      const headers = { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': sign(body) };
      const res = await call(webhook, '/api/webhooks/github', { method: 'POST', rawBody: body, headers });
      expect(res.status).toBe(400);
      const { 'x-github-delivery': _d, ...noDelivery } = headers;
      expect((await call(webhook, '/api/webhooks/github', { method: 'POST', rawBody: body, headers: noDelivery })).status).toBe(400);
    });
  });
});
