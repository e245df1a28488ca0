// The AI-detection settings over HTTP: an administrator reads them (defaults merged) and replaces
// them; a save is one settings row and one `settings.ai_detection_updated` audit event, and the
// very next pull-request delivery is detected under it. Anything refused — the wrong role, no
// CSRF token, an invalid body — writes nothing. The setting is put back as it was found.
import { count, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { GET as getRoute, PUT as putRoute } from '@/app/api/v1/settings/ai-detection/route';
import { auditEvents, changes, settings } from '@/db/schema';
import { DEFAULT_AI_DETECTION } from '@/lib/github/ai-detect';
import { AI_DETECTION_SETTING_KEY, getAiDetectionSettings } from '@/lib/github/settings';
import { runReadyJobs } from '@/lib/jobs/start';
import { summarizeAudit } from '@/lib/reports/audit-kinds';
import { describeEachDb, uid } from '../support/db';
import { deliverWebhook, exampleOf, withFakeGithub } from '../support/github-webhooks';
import { call, sessionFor, tokenFor, type CallOptions } from '../support/http';

const SECRET = 'ai-detection-settings-secret';
const ACTION = 'settings.ai_detection_updated';
const fake = withFakeGithub(SECRET);

/** A pull_request delivery, signed as GitHub signs it, for a PR of a repository of the test's own. */
async function deliverPullRequest(repo: string, labels: string[]) {
  const payload = exampleOf('pull_request', 'opened');
  payload.repository.full_name = repo;
  payload.repository.name = repo.split('/')[1];
  const pr = payload.pull_request;
  pr.base.repo.full_name = repo;
  pr.html_url = `https://github.com/${repo}/pull/${pr.number}`;
  pr.labels = labels.map((name) => ({ name }));
  fake.setPull(repo, {
    pull: pr,
    diff: 'diff --git a/README.md b/README.md\nindex 8b13789..5d9c1f4 100644\n--- a/README.md\n+++ b/README.md\n@@ -1 +1 @@\n-Hello world!\n+Hello, labelled world.\n',
    commits: [{ sha: pr.head.sha, commit: { message: 'Update the README.' }, author: { login: pr.user.login, type: pr.user.type } }],
  });
  const res = await deliverWebhook('pull_request', payload, { secret: SECRET });
  return { res, externalId: `${repo}#${pr.number}` };
}

describeEachDb('AI-detection settings API', ({ handle }) => {
  const db = () => handle().db;
  let original: typeof settings.$inferSelect | undefined;

  beforeAll(async () => {
    [original] = await db().select().from(settings).where(eq(settings.key, AI_DETECTION_SETTING_KEY));
  });

  // Every test starts from the defaults; the worker's other test files get the row back as it was.
  beforeEach(async () => {
    await db().delete(settings).where(eq(settings.key, AI_DETECTION_SETTING_KEY));
  });
  afterAll(async () => {
    await db().delete(settings).where(eq(settings.key, AI_DETECTION_SETTING_KEY));
    if (original) await db().insert(settings).values(original);
    const [now] = await db().select().from(settings).where(eq(settings.key, AI_DETECTION_SETTING_KEY));
    expect(now).toEqual(original);
  });

  const put = async (body: unknown, opts: Partial<CallOptions> = {}) => {
    const auth = opts.auth === undefined ? await sessionFor(db(), 'admin') : opts.auth;
    return call(putRoute, '/api/v1/settings/ai-detection', { method: 'PUT', body, ...opts, auth });
  };
  const events = async () => (await db().select({ n: count() }).from(auditEvents).where(eq(auditEvents.action, ACTION)))[0]!.n;
  const row = async () => (await db().select().from(settings).where(eq(settings.key, AI_DETECTION_SETTING_KEY)))[0] ?? null;

  it('shows an administrator the defaults when nothing is configured, by session and by admin token', async () => {
    for (const auth of [await sessionFor(db(), 'admin'), await tokenFor(db(), 'admin', ['admin'])]) {
      const res = await call(getRoute, '/api/v1/settings/ai-detection', { auth });
      expect(res.status, res.text).toBe(200);
      expect(res.json.settings).toEqual(DEFAULT_AI_DETECTION);
      expect(res.json.defaults).toEqual(DEFAULT_AI_DETECTION);
      expect(res.json.levels).toEqual(['assisted', 'generated', 'agent']);
      expect(res.json.version).toMatch(/^"[0-9a-f]{16}"$/);
      expect(res.headers.get('etag')).toBe(res.json.version);
    }
  });

  it('saves a new label with one audit event, and the next pull request carrying it is detected at that level', async () => {
    const label = uid('llm-written');
    const eventsBefore = await events();
    const before = (await call(getRoute, '/api/v1/settings/ai-detection', { auth: await sessionFor(db(), 'admin') })).json;
    const body = { labels: { ...DEFAULT_AI_DETECTION.labels, [label]: 'generated' }, agentBots: DEFAULT_AI_DETECTION.agentBots };

    const res = await put(body, { headers: { 'if-match': before.version } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.settings).toEqual(body);
    expect(res.json.changed).toEqual([{ field: 'labels', key: label, from: null, to: 'generated' }]);
    expect(res.json.version).not.toBe(before.version);
    expect(await getAiDetectionSettings(db())).toEqual(body);
    const read = await call(getRoute, '/api/v1/settings/ai-detection', { auth: await sessionFor(db(), 'admin') });
    expect(read.json).toMatchObject({ settings: body, version: res.json.version });

    // The audit event, in the same transaction as the row.
    expect(await events()).toBe(eventsBefore + 1);
    const [event] = await db().select().from(auditEvents).where(eq(auditEvents.action, ACTION)).orderBy(desc(auditEvents.id)).limit(1);
    expect(event).toMatchObject({ id: res.json.auditEventId, actor: 'admin', subjectType: 'setting', subjectId: AI_DETECTION_SETTING_KEY });
    expect(event!.payload).toMatchObject({ changes: [{ field: 'labels', key: label, from: null, to: 'generated' }], before: DEFAULT_AI_DETECTION, after: body });
    expect(summarizeAudit(ACTION, event!.payload)).toBe(`label "${label}" added (generated)`);
    const stored = await row();
    expect(stored).toMatchObject({ value: { ...body, complete: true } });
    expect(stored!.updatedById).toBe(event!.actorId);

    // The next delivery is detected under the new settings (case does not matter).
    const { res: delivered, externalId } = await deliverPullRequest(`acme-test/${uid('ai-label')}`, ['documentation', label.toUpperCase()]);
    expect(delivered.status, delivered.text).toBe(202);
    expect(await runReadyJobs(db())).toMatchObject({ failed: 0 });
    const [change] = await db().select().from(changes).where(eq(changes.externalId, externalId));
    expect(change).toMatchObject({ aiLevel: 'generated', ingestError: null });
    expect(change!.aiEvidence).toContainEqual({ source: 'label', detail: expect.stringContaining(`"${label.toUpperCase()}" declares AI-generated code`) });

    // Saving the same again writes nothing.
    const again = await put(body);
    expect(again.json).toMatchObject({ changed: [], auditEventId: null });
    expect(await events()).toBe(eventsBefore + 1);
  });

  it('replaces both lists whole: a removed default label or agent stays removed', async () => {
    const labels = Object.fromEntries(Object.entries(DEFAULT_AI_DETECTION.labels).filter(([k]) => k !== 'ai-agent'));
    const agentBots = Object.fromEntries(Object.entries(DEFAULT_AI_DETECTION.agentBots).filter(([k]) => k !== 'claude[bot]'));
    const body = { labels, agentBots: { ...agentBots, 'our-agent[bot]': 'Internal agent' } };
    const res = await put(body);
    expect(res.status, res.text).toBe(200);
    expect(res.json.changed).toEqual(
      expect.arrayContaining([
        { field: 'labels', key: 'ai-agent', from: 'agent', to: null },
        { field: 'agentBots', key: 'claude[bot]', from: 'Claude Code', to: null },
        { field: 'agentBots', key: 'our-agent[bot]', from: null, to: 'Internal agent' },
      ]),
    );
    const now = await getAiDetectionSettings(db());
    expect(now.labels).not.toHaveProperty('ai-agent');
    expect(now.agentBots).not.toHaveProperty('claude[bot]');
    expect(now.agentBots['our-agent[bot]']).toBe('Internal agent');
  });

  it('refuses anyone but an administrator (403), and writes nothing', async () => {
    const eventsBefore = await events();
    for (const handle of ['kchen', 'mrossi', 'cmoore']) {
      const auth = await sessionFor(db(), handle);
      const read = await call(getRoute, '/api/v1/settings/ai-detection', { auth });
      expect(read.status, `${handle} GET`).toBe(403);
      const res = await put({ labels: { 'by-hand': 'agent' }, agentBots: {} }, { auth });
      expect(res.status, `${handle} PUT`).toBe(403);
      expect(['forbidden_role', 'insufficient_scope']).toContain(res.json.error.code);
    }
    expect(await row()).toBeNull();
    expect(await events()).toBe(eventsBefore);
  });

  it('refuses an administrator’s session write without the CSRF token (403), and writes nothing', async () => {
    const eventsBefore = await events();
    const s = await sessionFor(db(), 'admin');
    const res = await put({ labels: { 'no-csrf': 'agent' }, agentBots: {} }, { auth: { cookie: s.cookie } });
    expect([res.status, res.json.error.code]).toEqual([403, 'csrf_failed']);
    expect(await row()).toBeNull();
    expect(await events()).toBe(eventsBefore);
  });

  it('refuses an invalid body with a 400 naming the field, and writes nothing', async () => {
    const eventsBefore = await events();
    const bots = DEFAULT_AI_DETECTION.agentBots;
    const cases: [unknown, RegExp][] = [
      [{ labels: { ['x'.repeat(51)]: 'assisted' }, agentBots: bots }, /labels\.x+: label "x+…" is longer than 50 characters/],
      [{ labels: { '': 'assisted' }, agentBots: bots }, /labels\.: enter a label name/],
      [{ labels: { 'ai-made': 'none' }, agentBots: bots }, /labels\.ai-made: the level must be one of assisted, generated, agent/],
      [{ labels: { 'ai-made': 'mostly' }, agentBots: bots }, /labels\.ai-made: the level must be one of/],
      [{ labels: { 'AI-Made': 'agent', 'ai-made': 'agent' }, agentBots: bots }, /labels\.ai-made: "ai-made" is listed twice/],
      [{ labels: ['ai-made'], agentBots: bots }, /labels must be an object of label → level/],
      [{ labels: {}, agentBots: { 'not a login': 'Tool' } }, /agentBots\.not a login: "not a login" is not a GitHub login/],
      [{ labels: {}, agentBots: { 'our-agent[bot]': '  ' } }, /agentBots\.our-agent\[bot\]: enter the tool’s name/],
      [{ labels: {}, agentBots: { 'our-agent[bot]': 42 } }, /agentBots\.our-agent\[bot\]: enter the tool’s name/],
      [{ labels: {} }, /agentBots must be an object of login → tool/],
      [{ labels: {}, agentBots: {}, extra: true }, /unknown field extra/],
    ];
    for (const [body, message] of cases) {
      const res = await put(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code).toBe('invalid_ai_detection');
      expect(res.json.error.message).toMatch(message);
      expect(res.json.error.details[0]).toMatchObject({ path: expect.any(String), message: expect.any(String) });
    }
    const notJson = await put(undefined, { rawBody: '{"labels":', headers: { 'content-type': 'application/json' } });
    expect([notJson.status, notJson.json.error.code]).toEqual([400, 'invalid_json']);
    expect(await row()).toBeNull();
    expect(await events()).toBe(eventsBefore);
    expect(await getAiDetectionSettings(db())).toEqual(DEFAULT_AI_DETECTION);
  });

  it('refuses a save over settings that changed since they were read (409), and writes nothing', async () => {
    const read = (await call(getRoute, '/api/v1/settings/ai-detection', { auth: await sessionFor(db(), 'admin') })).json;
    expect((await put({ labels: { first: 'assisted' }, agentBots: {} })).status).toBe(200);
    const eventsBefore = await events();
    const stale = await put({ labels: { second: 'agent' }, agentBots: {} }, { headers: { 'if-match': read.version } });
    expect([stale.status, stale.json.error.code]).toEqual([409, 'settings_changed']);
    expect((await getAiDetectionSettings(db())).labels).toEqual({ first: 'assisted' });
    expect(await events()).toBe(eventsBefore);
  });
});
