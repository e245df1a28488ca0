// GET /api/v1/changes — the review queue: ordering, keyset pagination, every filter, `reviewer=me`,
// bad parameters refused with 400, and the issue-3 scenario: an agent's Terraform plan replacing a
// production cluster on a Tier-1 service outranks a one-line README fix on a Tier-3 service.
import { and, eq, inArray } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { GET as listChanges, POST as submitChange } from '@/app/api/v1/changes/route';
import { GET as getChange } from '@/app/api/v1/changes/[id]/route';
import { changes, changeServices, revisions, services } from '@/db/schema';
import { describeEachDb, uid } from '../support/db';
import { call, sessionFor, tokenFor, type Json } from '../support/http';
import { fixture, submit } from './change-helpers';
import { approve, type TestChange } from './sign-off-fixtures';

const ECS_PLAN = JSON.parse(fixture('plans', 'crafted-ecs-cluster-replace.json')) as Record<string, unknown>;
const README_DIFF = fixture('diffs', 'crafted-readme-typo.diff');

async function allPages(auth: { token: string }, query: string, limit: number): Promise<Json[]> {
  const items: Json[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 100; i++) {
    const res = await call(listChanges, `/api/v1/changes?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { auth });
    expect(res.status, res.text).toBe(200);
    items.push(...res.json.items);
    cursor = res.json.nextCursor;
    if (!cursor) return items;
  }
  throw new Error('pagination did not end');
}

describeEachDb('GET /api/v1/changes (the queue)', ({ handle }) => {
  const db = () => handle().db;

  it('refuses anonymous callers with 401 and never leaks a stack trace', async () => {
    const res = await call(listChanges, '/api/v1/changes');
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('unauthorized');
  });

  it('lists pending changes, highest risk first, with the contract fields', async () => {
    const auth = await tokenFor(db(), 'mrossi', ['gate:read']);
    const res = await call(listChanges, '/api/v1/changes?limit=200', { auth });
    expect(res.status).toBe(200);
    const items = res.json.items as Json[];
    expect(items.length).toBeGreaterThanOrEqual(40);
    for (const c of items) {
      expect(c.status).toBe('pending');
      expect(c).toMatchObject({
        id: expect.any(Number),
        externalId: expect.any(String),
        title: expect.any(String),
        riskScore: expect.any(Number),
        riskLevel: expect.stringMatching(/^(low|medium|high|critical)$/),
        tier: expect.any(Number),
        aiLevel: expect.any(String),
        blastRadius: { total: expect.any(Number), tier1: expect.any(Number) },
        approvals: { required: expect.any(Number), valid: expect.any(Number) },
        author: { handle: expect.any(String) },
      });
      expect(Array.isArray(c.services)).toBe(true);
      expect(Array.isArray(c.suggestedReviewers)).toBe(true);
    }
    for (let i = 1; i < items.length; i++) {
      const [a, b] = [items[i - 1], items[i]];
      expect(a.riskScore > b.riskScore || (a.riskScore === b.riskScore && a.id > b.id)).toBe(true);
    }
    // The seeded story: an agent's "recreate the environment" plan is at the top, critical.
    expect(items[0].riskLevel).toBe('critical');
  });

  it('pages with an opaque cursor: small pages add up to the same list, no duplicates, no gaps', async () => {
    const auth = await tokenFor(db(), 'mrossi', ['gate:read']);
    const whole = (await call(listChanges, '/api/v1/changes?limit=200', { auth })).json.items as Json[];
    const paged = await allPages(auth, '', 7);
    expect(paged.map((c) => c.id)).toEqual(whole.map((c) => c.id));
    const last = await call(listChanges, `/api/v1/changes?limit=${whole.length}`, { auth });
    expect(last.json.nextCursor).toBeNull();
  });

  it('filters by tier, risk level, AI level, service, team and text, and combines them', async () => {
    const auth = await tokenFor(db(), 'mrossi', ['gate:read']);
    const get = async (qs: string) => {
      const res = await call(listChanges, `/api/v1/changes?limit=200&${qs}`, { auth });
      expect(res.status, res.text).toBe(200);
      return res.json.items as Json[];
    };
    const all = await get('');
    const t1 = await get('tier=1');
    expect(t1.length).toBeGreaterThan(0);
    expect(t1.every((c) => c.tier === 1)).toBe(true);
    expect(t1.length).toBe(all.filter((c) => c.tier === 1).length);
    const critical = await get('risk=critical');
    expect(critical.length).toBe(all.filter((c) => c.riskLevel === 'critical').length);
    expect(critical.length).toBeGreaterThan(0);
    const agent = await get('ai=agent');
    expect(agent.length).toBe(all.filter((c) => c.aiLevel === 'agent').length);
    const cfg = await get('service=config-service');
    expect(cfg.length).toBeGreaterThan(0);
    expect(cfg.every((c) => c.services.some((s: Json) => s.slug === 'config-service'))).toBe(true);
    expect(cfg.length).toBe(all.filter((c) => c.services.some((s: Json) => s.slug === 'config-service')).length);

    // team: changes touching any service that team owns, checked against the catalog.
    const owned = (await db().select({ slug: services.slug }).from(services).where(eq(services.team, 'core-platform'))).map((s) => s.slug);
    const team = await get('team=core-platform');
    expect(team.length).toBe(all.filter((c) => c.services.some((s: Json) => owned.includes(s.slug))).length);

    const readme = await get('q=readme');
    expect(readme.length).toBeGreaterThan(0);
    expect(readme.every((c) => /readme/i.test(c.title) || /readme/i.test(c.externalId) || /readme/i.test(c.author.handle))).toBe(true);
    const combo = await get('tier=1&risk=critical&ai=agent');
    expect(combo.length).toBe(all.filter((c) => c.tier === 1 && c.riskLevel === 'critical' && c.aiLevel === 'agent').length);
    // `%` and `_` in the search box are literal characters, not wildcards.
    expect(await get('q=%25%25%25')).toEqual([]);
    // An empty field means "no filter", as in a form.
    expect((await get('tier=&risk=')).length).toBe(all.length);
  });

  it('answers 400 with a clear message for bad query parameters', async () => {
    const auth = await tokenFor(db(), 'mrossi', ['gate:read']);
    for (const qs of ['tier=4', 'risk=extreme', 'ai=robot', 'limit=0', 'limit=500', 'limit=ten', 'cursor=not-a-cursor', 'reviewer=bob', 'status=merged', 'service=Not%20A%20Slug', `q=${'x'.repeat(201)}`]) {
      const res = await call(listChanges, `/api/v1/changes?${qs}`, { auth });
      expect(res.status, qs).toBe(400);
      expect(res.json.error.code).toBe('validation_failed');
      expect(res.json.error.message).toMatch(/^Invalid query: /);
      expect(res.text).not.toMatch(/\bat .*\.(ts|js):\d+/);
    }
  });

  it('ranks an agent-authored Terraform plan replacing a Tier-1 production cluster above a one-line README fix on a Tier-3 service', async () => {
    const tag = uid('rank');
    // Submitted via the API, as a pipeline does (POST /api/v1/changes with a changes:write token).
    const pipeline = await tokenFor(db(), 'dependabot[bot]', ['changes:write']);
    const post = async (body: Json) => {
      const res = await call(submitChange, '/api/v1/changes', { auth: pipeline, body });
      expect(res.status, res.text).toBe(201);
      return res.json;
    };
    const tf = await post({
      externalId: `acme/checkout#${tag}-tf`,
      title: `checkout: recreate the ECS cluster to clear drift (${tag})`,
      author: 'kiro-agent[bot]',
      services: ['checkout'],
      kind: 'infra',
      ai: { level: 'agent', tool: 'kiro' },
      environment: 'production',
      validation: { preDeploy: true },
      terraformPlan: ECS_PLAN,
    });
    const readme = await post({
      externalId: `acme/store-locator#${tag}-readme`,
      title: `store-locator: fix typo in README (${tag})`,
      author: 'tbrooks',
      services: ['store-locator'],
      kind: 'code',
      environment: 'production',
      validation: { preDeploy: true },
      diff: README_DIFF,
    });
    expect(tf.risk.level).toBe('critical');
    expect(readme.risk.level).toBe('low');

    const auth = await tokenFor(db(), 'mrossi', ['gate:read']);
    const res = await call(listChanges, `/api/v1/changes?q=${encodeURIComponent(tag)}`, { auth });
    expect(res.json.items.map((c: Json) => c.id)).toEqual([tf.id, readme.id]);
    const [first, second] = res.json.items;
    expect(first).toMatchObject({ riskLevel: 'critical', tier: 1, aiLevel: 'agent', aiTool: 'kiro', destructive: true });
    expect(second).toMatchObject({ riskLevel: 'low', tier: 3 });

    // In the whole queue too, every position of the Terraform change is above the README fix.
    const whole = (await call(listChanges, '/api/v1/changes?limit=200', { auth })).json.items as Json[];
    expect(whole.findIndex((c) => c.id === tf.id)).toBeLessThan(whole.findIndex((c) => c.id === readme.id));

    // The factors name the replaced resource.
    const detail = await call(getChange, `/api/v1/changes/${tf.id}`, { auth, params: { id: String(tf.id) } });
    const destructive = detail.json.risk.factors.find((f: Json) => f.key === 'destructive');
    expect(destructive.evidence).toContain('aws_ecs_cluster.prod');
    expect(destructive.evidence).toMatch(/replace/);
  });

  it('`reviewer=me` lists the pending changes waiting for the caller, and stops once they decided', async () => {
    const tag = uid('mine');
    const created = await submit(db(), {
      externalId: `acme/checkout#${tag}`,
      title: `checkout: tidy the basket summary (${tag})`,
      author: 'kchen',
      services: ['checkout'],
      kind: 'code',
      environment: 'production',
      validation: { preDeploy: true },
      diff: README_DIFF,
    });
    const mrossi = await sessionFor(db(), 'mrossi'); // senior, checkout team
    const mine = async (auth: Json) => (await call(listChanges, `/api/v1/changes?reviewer=me&limit=200`, { auth })).json.items as Json[];

    const before = await mine(mrossi);
    expect(before.some((c) => c.id === created.id)).toBe(true);
    expect(before.every((c) => c.needsMyReview)).toBe(true);
    const row = before.find((c) => c.id === created.id);
    expect(row.suggestedReviewers.map((r: Json) => r.handle)).toContain('mrossi');
    expect(row.suggestedReviewers[0].kind).toBe('owner');
    // The author and an engineer are never asked to review.
    expect((await mine(await sessionFor(db(), 'kchen'))).some((c) => c.id === created.id)).toBe(false);
    expect(await mine(await sessionFor(db(), 'tbrooks'))).toEqual([]);
    // Someone on an unrelated team with no Tier-1 service in the blast radius is not asked either.
    expect((await mine(await sessionFor(db(), 'hberg'))).some((c) => c.id === created.id)).toBe(false);

    // mrossi approves the current revision: the change no longer waits for them.
    // Through the API, so the stored tally stays true for the other tests sharing this database.
    const [c] = await db().select({ sha: revisions.sha }).from(changes).innerJoin(revisions, eq(revisions.id, changes.currentRevisionId)).where(eq(changes.id, created.id));
    expect((await approve(db(), 'mrossi', { id: created.id, externalId: created.externalId, sha: c!.sha } satisfies TestChange)).status).toBe(201);
    expect((await mine(mrossi)).some((x) => x.id === created.id)).toBe(false);
    const again = await call(listChanges, `/api/v1/changes?q=${tag}`, { auth: mrossi });
    expect(again.json.items[0].needsMyReview).toBe(false);
    expect(again.json.items[0].suggestedReviewers.map((r: Json) => r.handle)).not.toContain('mrossi');
  });

  it('suggests the same reviewers in the queue (SQL) as on the change page (the pure rule), for every pending change', async () => {
    const auth = await tokenFor(db(), 'admin', ['gate:read']);
    const items = (await call(listChanges, '/api/v1/changes?limit=200', { auth })).json.items as Json[];
    expect(items.length).toBeGreaterThan(40);
    let nonEmpty = 0;
    for (const c of items) {
      const d = await call(getChange, `/api/v1/changes/${c.id}`, { auth, params: { id: String(c.id) } });
      expect(d.status).toBe(200);
      const fromPage = d.json.suggestedReviewers.map((r: Json) => `${r.handle}:${r.kind}`);
      // The queue carries the first five and the count.
      expect(c.suggestedReviewers.map((r: Json) => `${r.handle}:${r.kind}`), c.externalId).toEqual(fromPage.slice(0, 5));
      expect(c.suggestedReviewerCount, c.externalId).toBe(fromPage.length);
      if (fromPage.length) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(30);
  });

  it('"Needs my review" agrees with the suggested reviewers for several seniors', async () => {
    const adminAuth = await tokenFor(db(), 'admin', ['gate:read']);
    const all = (await call(listChanges, '/api/v1/changes?limit=200', { auth: adminAuth })).json.items as Json[];
    const reviewersOf = new Map<number, string[]>();
    for (const c of all) {
      const d = await call(getChange, `/api/v1/changes/${c.id}`, { auth: adminAuth, params: { id: String(c.id) } });
      reviewersOf.set(c.id, d.json.suggestedReviewers.map((r: Json) => r.handle));
    }
    for (const h of ['dkowalski', 'vpetrova', 'praman', 'cmoore']) {
      const auth = await sessionFor(db(), h);
      const mine = (await call(listChanges, '/api/v1/changes?reviewer=me&limit=200', { auth })).json.items as Json[];
      const expected = all.filter((c) => reviewersOf.get(c.id)!.includes(h)).map((c) => c.id);
      expect(expected.length, h).toBeGreaterThan(0);
      expect(mine.map((c) => c.id), h).toEqual(expected);
    }
  });

  it('the team filter follows the catalog: a change on a service is listed under its owning team only', async () => {
    const auth = await tokenFor(db(), 'mrossi', ['gate:read']);
    const rows = await db()
      .select({ id: changes.id, team: services.team })
      .from(changes)
      .innerJoin(changeServices, eq(changeServices.changeId, changes.id))
      .innerJoin(services, eq(services.id, changeServices.serviceId))
      .where(and(eq(changes.status, 'pending'), inArray(services.team, ['payments'])));
    const res = await call(listChanges, '/api/v1/changes?team=payments&limit=200', { auth });
    expect(new Set(res.json.items.map((c: Json) => c.id))).toEqual(new Set(rows.map((r) => r.id)));
  });
});
