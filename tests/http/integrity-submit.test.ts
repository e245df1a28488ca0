// Issue 10, as an insider would try it: each test is an exploit that succeeded on the code
// before the fix (rewriting another person's change, id confusion, a spoofed author, an
// unmapped repository failing open, a failed ingestion left allowed) and must now be refused.
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { POST as submitRoute } from '@/app/api/v1/changes/route';
import { POST as deploymentsRoute } from '@/app/api/v1/deployments/route';
import { changes, changeServices, pathMappings, services } from '@/db/schema';
import { addPathMapping, listTriage } from '@/lib/github/triage';
import { recordIngestError } from '@/lib/changes/ingest-error';
import { SubmitChangeMeta } from '@/lib/changes/schema';
import { resolveChangeRef } from '@/lib/changes/ref';
import { describeEachDb, uid } from '../support/db';
import { call } from '../support/http';
import { approve, askGate, diffFor, getChange, newChange, tokenOf } from './sign-off-fixtures';

function body(externalId: string, over: Record<string, unknown> = {}) {
  return {
    externalId,
    title: 'Raise the cart limit',
    services: ['checkout'],
    kind: 'code',
    environment: 'production',
    validation: { preDeploy: true },
    diff: diffFor(externalId),
    ...over,
  };
}

async function servicesOf(db: Parameters<typeof getChange>[0], changeId: number) {
  const rows = await db.select({ slug: services.slug }).from(changeServices).innerJoin(services, eq(services.id, changeServices.serviceId)).where(eq(changeServices.changeId, changeId));
  return rows.map((r) => r.slug).sort();
}

describeEachDb('issue 10: one person cannot get a change past the gate through its submission', ({ handle }) => {
  const db = () => handle().db;
  const submitAs = async (who: string, b: Record<string, unknown>) => call(submitRoute, '/api/v1/changes', { auth: await tokenOf(db(), who, ['changes:write']), body: b });

  describe('1. rewriting someone else\'s change', () => {
    it('another engineer re-sending a pending Tier-1 change with a Tier-3 service gets 403 not_submitter and changes nothing', async () => {
      const id = `acme/checkout#${uid('rw')}`;
      const created = await submitAs('kchen', body(id));
      expect(created.status, created.text).toBe(201);
      expect(created.json.approvals.required).toBe(2);
      const before = await getChange(db(), created.json.id);

      const hijack = await submitAs('ebrandt', body(id, { services: ['store-locator'] }));
      expect(hijack.status, hijack.text).toBe(403);
      expect(hijack.json.error.code).toBe('not_submitter');
      expect(hijack.json.error.message).toMatch(/kchen/);

      const after = await getChange(db(), created.json.id);
      expect(after).toMatchObject({ topTier: before.topTier, requiredApprovals: 2, currentRevisionId: before.currentRevisionId, updatedAt: before.updatedAt });
      expect(await servicesOf(db(), created.json.id)).toEqual(['checkout']);
      const gate = await askGate(db(), created.json.id);
      expect(gate.allowed).toBe(false);
      expect(gate.reasons).toContain('approvals_missing');
    });

    it('the submitter may update, but an update never removes a service: not the ones the repository maps to, nor ones recorded before', async () => {
      const id = `acme/checkout#${uid('rm')}`;
      const created = await submitAs('kchen', body(id, { repo: 'acme/checkout', services: [] }));
      expect(created.status, created.text).toBe(201);
      expect(await servicesOf(db(), created.json.id)).toEqual(['checkout']);
      const again = await submitAs('kchen', body(id, { repo: 'acme/checkout', services: ['store-locator'] }));
      expect(again.status, again.text).toBe(200);
      // store-locator is added; checkout, which the catalog maps acme/checkout to, stays.
      expect(await servicesOf(db(), created.json.id)).toEqual(['checkout', 'store-locator']);
      expect(again.json.approvals.required).toBe(2);
      const other = `acme/checkout#${uid('keep')}`;
      expect((await submitAs('kchen', body(other))).status).toBe(201);
      const narrowed = await submitAs('kchen', body(other, { services: ['store-locator'] }));
      expect(narrowed.status, narrowed.text).toBe(200);
      expect(narrowed.json.approvals.required).toBe(2);
    });

    it('an update that lowers what sign-off requires makes a new revision, so earlier approvals no longer count', async () => {
      const id = `acme/checkout#${uid('low')}`;
      const created = await submitAs('kchen', body(id));
      const c = { id: created.json.id as number, externalId: id, sha: created.json.revision.sha as string };
      expect((await approve(db(), 'mrossi', c)).status).toBe(201);
      expect((await approve(db(), 'sahmed', c)).status).toBe(201);
      expect((await askGate(db(), c.id)).allowed).toBe(true);

      // Same diff, but now said to go to staging-like "qa" and touch only a Tier-3 service.
      const lowered = await submitAs('kchen', body(id, { services: ['store-locator'], environment: 'qa' }));
      expect(lowered.status, lowered.text).toBe(200);
      expect(lowered.json.revision).toMatchObject({ number: 2, created: true, sha: c.sha });
      expect(lowered.json.approvals.valid).toBe(0);
      const gate = await askGate(db(), c.id);
      expect(gate.approvals.valid).toBe(0);
      expect(gate.allowed).toBe(false);
    });

    it('an update that raises or keeps the requirement keeps the revision (no needless re-review)', async () => {
      const id = `acme/checkout#${uid('raise')}`;
      const created = await submitAs('kchen', body(id, { services: ['store-locator'] }));
      expect(created.json.revision.number).toBe(1);
      const raised = await submitAs('kchen', body(id, { services: ['store-locator', 'checkout'] }));
      expect(raised.status, raised.text).toBe(200);
      expect(raised.json.revision).toMatchObject({ number: 1, created: false });
      expect(raised.json.approvals.required).toBe(2);
    });
  });

  describe('2. id confusion', () => {
    it('an all-digit external id is refused with 400 naming the field, and nothing is stored', async () => {
      const target = await newChange(db(), { preDeploy: false });
      const decoy = await submitAs('kchen', body(String(target.id), { services: ['store-locator'] }));
      expect(decoy.status, decoy.text).toBe(400);
      expect(decoy.json.error.message).toMatch(/externalId/);
      const [row] = await db().select({ n: sql<number>`count(*)::int` }).from(changes).where(eq(changes.externalId, String(target.id)));
      expect(row!.n).toBe(0);
      expect(() => SubmitChangeMeta.parse({ externalId: '3080', title: 't', author: 'kchen' })).toThrow(/externalId/);
    });

    it('a number always means the change id: the gate and deployments resolve it to that change, even if a digits-only external id exists', async () => {
      const target = await newChange(db(), { preDeploy: false });
      // A row written before the rule (or by hand): an external id spelling the target's id.
      const decoy = await newChange(db(), { services: ['store-locator'] });
      await db().update(changes).set({ externalId: `${target.id}` }).where(eq(changes.id, decoy.id)).catch(() => undefined);
      const resolved = await resolveChangeRef(db(), String(target.id));
      expect(resolved?.id).toBe(target.id);
      const gate = await askGate(db(), target.id);
      expect(gate.change.id).toBe(target.id);
      expect(gate.allowed).toBe(false);
      const dep = await call(deploymentsRoute, '/api/v1/deployments', { auth: await tokenOf(db(), 'admin', ['deployments:write']), body: { change: String(target.id), environment: 'production', status: 'succeeded' } });
      expect(dep.status, dep.text).toBe(201);
      expect(dep.json.change.id).toBe(target.id);
      expect(dep.json.bypass).toBe(true);
    });
  });

  describe('3. spoofed author', () => {
    it('a person cannot name someone else as author: 403, nothing stored', async () => {
      const id = `acme/checkout#${uid('spoof')}`;
      const res = await submitAs('mrossi', body(id, { author: 'kchen' }));
      expect(res.status, res.text).toBe(403);
      expect(res.json.error.code).toBe('author_not_caller');
      const [row] = await db().select({ n: sql<number>`count(*)::int` }).from(changes).where(eq(changes.externalId, id));
      expect(row!.n).toBe(0);
    });

    it('naming yourself is fine, and a bot (pipeline) account may act for a named author', async () => {
      const mine = await submitAs('kchen', body(`acme/checkout#${uid('self')}`, { author: 'kchen' }));
      expect(mine.status, mine.text).toBe(201);
      const forOther = await submitAs('kiro-agent[bot]', body(`acme/checkout#${uid('bot')}`, { author: 'kchen' }));
      expect(forOther.status, forOther.text).toBe(201);
      expect(forOther.json.author).toBe('kchen');
    });

    it('the submitter is recorded and may not approve, even when the change names another author', async () => {
      // The CLI and other trusted paths can still record a change for a named author: the submitter is kept.
      const c = await newChange(db(), { author: 'kchen', submitter: 'mrossi' });
      expect((await getChange(db(), c.id)).submitterId).not.toBeNull();
      const res = await approve(db(), 'mrossi', c);
      expect(res.status, res.text).toBe(403);
      expect(res.json.error.code).toBe('submitter_cannot_approve');
      // And the database refuses it too, whatever the application does.
      const [mrossi] = await db().execute(sql`select id from people where handle = 'mrossi'`).then((r) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as { id: number }[]);
      const ch = await getChange(db(), c.id);
      const err = await db().execute(sql`insert into approvals (change_id, revision_id, person_id, decision, comment) values (${c.id}, ${ch.currentRevisionId}, ${mrossi!.id}, 'approve', 'ok')`).then(() => null, (e: Error & { cause?: Error }) => e);
      expect(String(err?.cause?.message ?? err?.message)).toMatch(/submitter_cannot_approve/);
    });
  });

  describe('5 and 7. fail closed', () => {
    it('a change marked unmapped (no service, or paths no mapping claims) is blocked with `unmapped` until triaged', async () => {
      const c = await newChange(db(), { services: ['store-locator'] });
      expect((await askGate(db(), c.id)).allowed).toBe(true);
      await db().update(changes).set({ unmapped: true }).where(eq(changes.id, c.id));
      const gate = await askGate(db(), c.id);
      expect(gate.allowed).toBe(false);
      expect(gate.reasons).toContain('unmapped');
    });

    it('a partly mapped change lists the paths no mapping claims, is blocked with `unmapped` and shown in triage; mapping them unblocks it', async () => {
      const repo = `acme/partly-${uid()}`.toLowerCase();
      const [checkout] = await db().select({ id: services.id }).from(services).where(eq(services.slug, 'checkout'));
      await db().insert(pathMappings).values({ repo, pathGlob: 'svc/**', serviceId: checkout!.id });
      const file = (path: string) => `diff --git a/${path} b/${path}\nindex 3b18e51..a9c4f2d 100644\n--- a/${path}\n+++ b/${path}\n@@ -1,2 +1,2 @@\n // limits\n-export const MAX = 1;\n+export const MAX = 2;\n`;
      const res = await submitAs('dependabot[bot]', body(`${repo}#${uid('pr')}`, { repo, author: 'kchen', services: undefined, diff: file('svc/cart.ts') + file('payments/ledger.ts') }));
      expect(res.status, res.text).toBe(201);
      const row = await getChange(db(), res.json.id);
      expect([row.unmapped, row.unmappedPaths]).toEqual([true, ['payments/ledger.ts']]);
      expect(await servicesOf(db(), row.id)).toEqual(['checkout']);
      const gate = await askGate(db(), row.id);
      expect(gate.allowed).toBe(false);
      expect(gate.reasons).toContain('unmapped');
      const item = (await listTriage(db())).find((i) => i.id === row.id);
      expect(item).toMatchObject({ unmapped: true, unmappedPaths: 1, paths: ['payments/ledger.ts'] });

      const mapped = await addPathMapping(db(), { repo, pathGlob: 'payments/**', service: 'payments' }, { personId: null, label: 'test' });
      expect(mapped.remapped.map((r) => r.id)).toEqual([row.id]);
      const after = await getChange(db(), row.id);
      expect([after.unmapped, after.unmappedPaths]).toEqual([false, []]);
      expect(await servicesOf(db(), row.id)).toEqual(['checkout', 'payments']);
      expect((await askGate(db(), row.id)).reasons).not.toContain('unmapped');
    });

    it('a change whose latest content could not be ingested is blocked with `ingest_pending`, whatever its approvals', async () => {
      const c = await newChange(db());
      expect((await approve(db(), 'mrossi', c)).status).toBe(201);
      expect((await approve(db(), 'sahmed', c)).status).toBe(201);
      expect((await askGate(db(), c.id)).allowed).toBe(true);
      const row = await getChange(db(), c.id);
      const meta = SubmitChangeMeta.parse({ externalId: row.externalId, title: row.title, author: 'kchen', services: ['checkout'] });
      await recordIngestError(db(), meta, 'diff is larger than 3145728 bytes', { personId: null, label: 'github' });
      const gate = await askGate(db(), c.id);
      expect(gate.allowed).toBe(false);
      expect(gate.reasons).toContain('ingest_pending');
    });
  });
});
