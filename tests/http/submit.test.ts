// POST /api/v1/changes as pipelines call it: create, idempotent retries, new revisions, and
// every kind of bad request refused with a clear 4xx that stores nothing at all.
import fs from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { POST as submit } from '@/app/api/v1/changes/route';
import type { Db } from '@/db/client';
import { changes, people } from '@/db/schema';
import { LIMITS } from '@/lib/changes/schema';
import { describeEachDb, uid } from '../support/db';
import { call, sessionFor, tokenFor, type Json } from '../support/http';

const fixture = (name: string) => fs.readFileSync(path.resolve(__dirname, '../fixtures/diffs', name), 'utf8');
const CONFIG_DIFF = fixture('crafted-config-service-push.diff');
const README_DIFF = fixture('crafted-readme-typo.diff');

async function counts(db: Db) {
  const rows = await db.execute(sql`select
    (select count(*) from changes)::int as changes,
    (select count(*) from revisions)::int as revisions,
    (select count(*) from revision_files)::int as files,
    (select count(*) from change_services)::int as services,
    (select count(*) from change_coauthors)::int as coauthors,
    (select count(*) from audit_events)::int as audit`);
  return (Array.isArray(rows) ? rows[0] : (rows as { rows: unknown[] }).rows[0]) as Record<string, number>;
}

function body(externalId: string, over: Record<string, unknown> = {}) {
  return {
    externalId,
    repo: 'acme/config-service',
    title: 'Lower the checkout circuit-breaker timeout',
    author: 'ebrandt',
    coAuthors: ['kiro-agent[bot]'],
    services: ['config-service'],
    kind: 'config',
    ai: { level: 'agent', tool: 'kiro' },
    environment: 'production',
    validation: { preDeploy: false },
    diff: CONFIG_DIFF,
    ...over,
  };
}

describeEachDb('POST /api/v1/changes', ({ handle }) => {
  const auth = async () => tokenFor(handle().db, 'ebrandt', ['changes:write']);

  it('creates a change with its first revision, scored on arrival, and answers 201 with the contract', async () => {
    const id = `acme/config-service#${uid('pr')}`;
    const res = await call(submit, '/api/v1/changes', { auth: await auth(), body: body(id) });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({
      externalId: id,
      created: true,
      revision: { number: 1, created: true },
      status: 'pending',
      approvals: { valid: 0 },
    });
    expect(res.json.id).toEqual(expect.any(Number));
    expect(res.json.revision.sha).toMatch(/^[0-9a-f]{64}$/);
    expect(['high', 'critical']).toContain(res.json.risk.level);
    expect(res.json.approvals.required).toBe(2);
    const [row] = await handle().db.select().from(changes).where(eq(changes.id, res.json.id));
    expect(row).toMatchObject({ aiLevel: 'agent', aiTool: 'kiro', kind: 'config', source: 'api', preDeployValidation: false, unmapped: false });
    expect(row!.aiEvidence[0]).toMatchObject({ source: 'submission' });
  });

  it('is idempotent: the same content again is a 200 with no new revision and nothing written', async () => {
    const db = handle().db;
    const token = await auth();
    const id = `acme/config-service#${uid('pr')}`;
    const first = await call(submit, '/api/v1/changes', { auth: token, body: body(id) });
    expect(first.status).toBe(201);
    const before = await counts(db);
    const again = await call(submit, '/api/v1/changes', { auth: token, body: body(id) });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ id: first.json.id, created: false, revision: { number: 1, sha: first.json.revision.sha, created: false } });
    expect(await counts(db)).toEqual(before);
    // CRLF line endings are the same content.
    const crlf = await call(submit, '/api/v1/changes', { auth: token, body: body(id, { diff: CONFIG_DIFF.replace(/\n/g, '\r\n') }) });
    expect(crlf.json.revision).toMatchObject({ number: 1, created: false });
  });

  it('new content is a new revision (200), and metadata-only edits update without one', async () => {
    const token = await auth();
    const id = `acme/config-service#${uid('pr')}`;
    const diff2 = `${CONFIG_DIFF.trimEnd()}\n+  retries: 0\n`.replace('@@ -1,8 +1,8 @@', '@@ -1,8 +1,9 @@');
    const first = await call(submit, '/api/v1/changes', { auth: token, body: body(id) });
    const second = await call(submit, '/api/v1/changes', { auth: token, body: body(id, { diff: diff2 }) });
    expect(second.status, second.text).toBe(200);
    expect(second.json.revision).toMatchObject({ number: 2, created: true });
    expect(second.json.revision.sha).not.toBe(first.json.revision.sha);
    const retitled = await call(submit, '/api/v1/changes', { auth: token, body: body(id, { title: 'A better title', diff: diff2 }) });
    expect(retitled.status).toBe(200);
    expect(retitled.json.revision).toMatchObject({ number: 2, created: false });
    const [row] = await handle().db.select({ title: changes.title }).from(changes).where(eq(changes.id, first.json.id));
    expect(row!.title).toBe('A better title');
  });

  it('without `author` the caller is the author (token owner or signed-in person); only the submitter sends new revisions and the author stays', async () => {
    const db = handle().db;
    const { author: _omit, ...noAuthor } = body('');
    const id = `acme/config-service#${uid('noauthor')}`;
    const byToken = await call(submit, '/api/v1/changes', { auth: await auth(), body: { ...noAuthor, externalId: id } });
    expect(byToken.status, byToken.text).toBe(201);
    expect(byToken.json.author).toBe('ebrandt');
    const authorOf = async (changeId: number) =>
      (await db.select({ handle: people.handle }).from(changes).innerJoin(people, eq(people.id, changes.authorId)).where(eq(changes.id, changeId)))[0]!.handle;
    expect(await authorOf(byToken.json.id)).toBe('ebrandt');

    // Another caller may not send a revision of it: 403, nothing written.
    const diff2 = `${CONFIG_DIFF.trimEnd()}\n+  retries: 0\n`.replace('@@ -1,8 +1,8 @@', '@@ -1,8 +1,9 @@');
    const kchen = await tokenFor(db, 'kchen', ['changes:write']);
    const before = await counts(db);
    const other = await call(submit, '/api/v1/changes', { auth: kchen, body: { ...noAuthor, externalId: id, diff: diff2 } });
    expect([other.status, other.json.error?.code]).toEqual([403, 'not_submitter']);
    expect(other.json.error.message).toContain('ebrandt');
    expect(await counts(db)).toEqual(before);

    // The submitter sends a new revision without naming the author: the author stays.
    const later = await call(submit, '/api/v1/changes', { auth: await auth(), body: { ...noAuthor, externalId: id, diff: diff2 } });
    expect(later.status, later.text).toBe(200);
    expect(later.json).toMatchObject({ author: 'ebrandt', revision: { number: 2, created: true } });
    expect(await authorOf(byToken.json.id)).toBe('ebrandt');
    // A person cannot name someone else as the author.
    const named = await call(submit, '/api/v1/changes', { auth: await auth(), body: { ...noAuthor, externalId: id, diff: diff2, author: 'kchen' } });
    expect([named.status, named.json.error?.code]).toEqual([403, 'author_not_caller']);
    expect(await authorOf(byToken.json.id)).toBe('ebrandt');

    // From the browser (a session): the signed-in person.
    const session = await sessionFor(db, 'mrossi');
    const byPerson = await call(submit, '/api/v1/changes', { auth: session, body: { ...noAuthor, externalId: `acme/config-service#${uid('session')}` } });
    expect(byPerson.status, byPerson.text).toBe(201);
    expect(await authorOf(byPerson.json.id)).toBe('mrossi');

    // An empty author is still refused, not defaulted.
    const empty = await call(submit, '/api/v1/changes', { auth: await auth(), body: { ...noAuthor, externalId: `acme/x#${uid()}`, author: ' ' } });
    expect([empty.status, empty.json.error.code]).toEqual([422, 'validation_failed']);
    expect(empty.json.error.message).toMatch(/^Invalid body: author: /);
  });

  it('two first submissions of one change at once: the same caller gets 201 and 200; two callers: the first recorded owns it, the other gets 403 not_submitter', async () => {
    const db = handle().db;
    const { author: _omit, ...noAuthor } = body('');
    const authorOf = async (id: string) =>
      (await db.select({ handle: people.handle }).from(changes).innerJoin(people, eq(people.id, changes.authorId)).where(eq(changes.externalId, id)))[0]!.handle;
    for (let round = 0; round < 3; round++) {
      const same = `acme/config-service#${uid('race-same')}`;
      const [a, b] = await Promise.all([
        call(submit, '/api/v1/changes', { auth: await auth(), body: { ...noAuthor, externalId: same } }),
        call(submit, '/api/v1/changes', { auth: await auth(), body: { ...noAuthor, externalId: same } }),
      ]);
      expect([a.status, b.status].sort(), `${a.text} ${b.text}`).toEqual([200, 201]);
      expect([a.json.author, b.json.author, await authorOf(same)]).toEqual(['ebrandt', 'ebrandt', 'ebrandt']);

      const contested = `acme/config-service#${uid('race')}`;
      const [c, d] = await Promise.all([
        call(submit, '/api/v1/changes', { auth: await auth(), body: { ...noAuthor, externalId: contested } }),
        call(submit, '/api/v1/changes', { auth: await tokenFor(db, 'kchen', ['changes:write']), body: { ...noAuthor, externalId: contested } }),
      ]);
      expect([c.status, d.status].sort(), `${c.text} ${d.text}`).toEqual([201, 403]);
      const winner = c.status === 201 ? c : d;
      const loser = c.status === 201 ? d : c;
      expect(loser.json.error.code).toBe('not_submitter');
      expect(await authorOf(contested)).toBe(winner.json.author);
    }
  });

  describe('refusals store nothing', () => {
    async function expectRefused(res: { status: number; json: Json }, status: number, code: RegExp | string) {
      expect(res.status).toBe(status);
      expect(res.json.error.code).toMatch(code);
      expect(res.json.error.message.length).toBeGreaterThan(10);
    }

    it('malformed JSON → 400, wrong content type → 415', async () => {
      const db = handle().db;
      const token = await auth();
      const before = await counts(db);
      await expectRefused(await call(submit, '/api/v1/changes', { auth: token, rawBody: '{"externalId": "x", ', headers: { 'content-type': 'application/json' } }), 400, 'invalid_json');
      await expectRefused(await call(submit, '/api/v1/changes', { auth: token, rawBody: 'externalId=x&title=y', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type');
      await expectRefused(await call(submit, '/api/v1/changes', { auth: token, rawBody: JSON.stringify(body('x')), headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type');
      expect(await counts(db)).toEqual(before);
    });

    it('a 5 MB diff → 413 naming the limit, quickly, whether or not Content-Length is sent', async () => {
      const db = handle().db;
      const token = await auth();
      const before = await counts(db);
      const line = `+${'x'.repeat(99)}\n`;
      const big = `diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -0,0 +1,50000 @@\n${line.repeat(50_000)}`;
      expect(big.length).toBeGreaterThan(5_000_000);
      const started = Date.now();
      const declared = JSON.stringify(body(`acme/x#${uid()}`, { diff: big }));
      const res = await call(submit, '/api/v1/changes', { auth: token, rawBody: declared, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(declared)) } });
      await expectRefused(res, 413, 'payload_too_large');
      expect(res.json.error.message).toContain(String(LIMITS.maxBodyBytes));
      // Streamed without a declared length: cut off at the limit, not buffered whole.
      const streamed = await call(submit, '/api/v1/changes', { auth: token, rawBody: declared, headers: { 'content-type': 'application/json' } });
      await expectRefused(streamed, 413, 'payload_too_large');
      expect(Date.now() - started).toBeLessThan(3000);
      expect(await counts(db)).toEqual(before);
    });

    it('a diff over its own limit inside an acceptable body → 422 on the diff field', async () => {
      const token = await auth();
      const diff = `diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -0,0 +1,1 @@\n+${'y'.repeat(LIMITS.maxDiffBytes)}\n`;
      const res = await call(submit, '/api/v1/changes', { auth: token, body: body(`acme/x#${uid()}`, { diff }) });
      await expectRefused(res, 422, 'validation_failed');
      expect(res.json.error.message).toMatch(/^Invalid body: diff: diff is larger than/);
    });

    it('unknown service, unknown person, missing field, bad enum and a malformed diff → 422 naming the problem', async () => {
      const db = handle().db;
      const token = await auth();
      const before = await counts(db);
      const unknownService = await call(submit, '/api/v1/changes', { auth: token, body: body(`acme/x#${uid()}`, { services: ['config-service', 'no-such-service'] }) });
      await expectRefused(unknownService, 422, 'unknown_service');
      expect(unknownService.json.error.message).toContain('no-such-service');
      const unknownPerson = await call(submit, '/api/v1/changes', { auth: token, body: body(`acme/x#${uid()}`, { coAuthors: ['nobody-here'] }) });
      await expectRefused(unknownPerson, 422, 'unknown_person');
      expect(unknownPerson.json.error.message).toContain('nobody-here');
      const { title: _t, ...noTitle } = body(`acme/x#${uid()}`);
      const missing = await call(submit, '/api/v1/changes', { auth: token, body: noTitle });
      await expectRefused(missing, 422, 'validation_failed');
      expect(missing.json.error.message).toMatch(/title/);
      expect(missing.json.error.details[0].path).toBe('title');
      const noContent = await call(submit, '/api/v1/changes', { auth: token, body: body(`acme/x#${uid()}`, { diff: '' }) });
      await expectRefused(noContent, 422, 'validation_failed');
      expect(noContent.json.error.message).toMatch(/diff/);
      const badKind = await call(submit, '/api/v1/changes', { auth: token, body: body(`acme/x#${uid()}`, { kind: 'yolo' }) });
      await expectRefused(badKind, 422, 'validation_failed');
      expect(badKind.json.error.details[0].path).toBe('kind');
      const badDiff = await call(submit, '/api/v1/changes', { auth: token, body: body(`acme/x#${uid()}`, { diff: 'this is not a diff at all' }) });
      await expectRefused(badDiff, 422, 'invalid_diff');
      const badPlan = await call(submit, '/api/v1/changes', { auth: token, body: body(`acme/x#${uid()}`, { diff: null, terraformPlan: '{"resource_changes": ' }) });
      expect(badPlan.status).toBe(422);
      expect(await counts(db)).toEqual(before);
    });

    it('an update that fails leaves the existing change exactly as it was', async () => {
      const db = handle().db;
      const token = await auth();
      const id = `acme/config-service#${uid('pr')}`;
      await call(submit, '/api/v1/changes', { auth: token, body: body(id) });
      const before = await counts(db);
      const [was] = await db.select().from(changes).where(eq(changes.externalId, id));
      const res = await call(submit, '/api/v1/changes', { auth: token, body: body(id, { title: 'Changed', services: ['nope'], diff: README_DIFF }) });
      expect(res.status).toBe(422);
      expect(await counts(db)).toEqual(before);
      const [is] = await db.select().from(changes).where(eq(changes.externalId, id));
      expect(is).toEqual(was);
    });

    it('no token → 401, a token without changes:write → 403', async () => {
      const db = handle().db;
      const readOnly = await tokenFor(db, 'ebrandt', ['gate:read']);
      const before = await counts(db);
      expect((await call(submit, '/api/v1/changes', { body: body(`acme/x#${uid()}`) })).status).toBe(401);
      const res = await call(submit, '/api/v1/changes', { auth: readOnly, body: body(`acme/x#${uid()}`) });
      await expectRefused(res, 403, 'insufficient_scope');
      expect(await counts(db)).toEqual(before);
    });
  });
});
