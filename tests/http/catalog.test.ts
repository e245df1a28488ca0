// Importing a Backstage catalog: a real-world-shaped multi-document YAML builds the dependency
// graph (dependsOn, providesApis/consumesApis, owners, systems, tiers); the blast radius of a
// change follows it; invalid entities are listed with line and reason while valid ones import;
// a re-import updates in place, reports what changed and re-scores the open changes it affects.
import fs from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { POST as importRoute } from '@/app/api/v1/catalog/import/route';
import { POST as confirmRoute } from '@/app/api/v1/confirmations/[id]/confirm/route';
import { POST as submit } from '@/app/api/v1/changes/route';
import type { Db } from '@/db/client';
import { auditEvents, changes, confirmationRequests, services, settings, teams } from '@/db/schema';
import { parseCatalog } from '@/lib/catalog/parse';
import { CATALOG_VERSION_KEY } from '@/lib/graph/catalog';
import { describeEachDb, uid } from '../support/db';
import { call, sessionFor, tokenFor } from '../support/http';
import { newPerson } from './sign-off-fixtures';

const TEMPLATE = fs.readFileSync(path.resolve(__dirname, '../fixtures/catalog/wallets.yaml'), 'utf8');
const catalogFor = (s: string) => TEMPLATE.replaceAll('{{s}}', s);
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

const DB_DIFF = `diff --git a/migrations/0007_ledger_index.sql b/migrations/0007_ledger_index.sql
new file mode 100644
--- /dev/null
+++ b/migrations/0007_ledger_index.sql
@@ -0,0 +1,1 @@
+CREATE INDEX CONCURRENTLY ledger_wallet_idx ON ledger (wallet_id);
`;

async function version(db: Db): Promise<unknown> {
  return (await db.select().from(settings).where(eq(settings.key, CATALOG_VERSION_KEY)))[0]?.value;
}

describe('parseCatalog', () => {
  it('reads every entity with its line, lists invalid ones with line and reason, ignores other kinds', () => {
    const text = catalogFor('x');
    const parsed = parseCatalog(text);
    expect(parsed.entities.map((e) => `${e.kind}:${e.name}@${e.line}`)).toEqual([
      // An entity's line is its document's first line (apiVersion).
      `Group:wallets-team-x@${lineOf(text, 'kind: Group') - 1}`,
      `System:wallets-x@${lineOf(text, 'kind: System') - 1}`,
      `Component:wallet-service-x@${lineOf(text, 'name: wallet-service-x') - 3}`,
      `Resource:wallet-db-x@${lineOf(text, 'kind: Resource') - 1}`,
      `API:wallet-api-x@${lineOf(text, 'kind: API') - 1}`,
      `Component:loyalty-points-x@${lineOf(text, 'name: loyalty-points-x') - 3}`,
      `Component:gift-cards-x@${lineOf(text, 'name: gift-cards-x') - 3}`,
    ]);
    const svc = parsed.entities.find((e) => e.name === 'wallet-service-x')!;
    expect(svc).toMatchObject({ tier: 1, system: 'wallets-x', owner: { kind: 'group', name: 'wallets-team-x' }, annotations: { 'github.com/project-slug': 'acme/wallet-service-x' } });
    expect(svc.dependsOn).toEqual([{ kind: 'resource', namespace: 'default', name: 'wallet-db-x' }, { kind: 'component', namespace: 'default', name: 'ledger-core-x' }]);
    expect(parsed.entities.find((e) => e.name === 'wallet-db-x')!.tier).toBe(1);
    expect(parsed.invalid).toEqual([
      { line: lineOf(text, 'countersign.dev/tier: "5"'), entity: 'component:broken-tier-x', reason: 'annotation countersign.dev/tier must be 1, 2 or 3, not "5"' },
      { line: lineOf(text, 'description: Someone forgot the name.') - 1, entity: null, reason: 'metadata.name is missing' },
    ]);
    expect(parsed.ignored.map((i) => i.entity)).toEqual(['location:default/wallets-x-location', 'user:default/jdoe-x']);
  });

  it('reports YAML syntax errors per document with their line and keeps the other documents', () => {
    const text = 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ok\n---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: [unclosed\n---\nkind: Component\nmetadata: {name: "x"}\n';
    const parsed = parseCatalog(text);
    expect(parsed.entities.map((e) => e.name)).toEqual(['ok']);
    expect(parsed.invalid[0]).toMatchObject({ line: expect.any(Number), reason: expect.stringMatching(/^YAML syntax error/) });
    expect(parsed.invalid[0]!.line).toBeGreaterThanOrEqual(9);
    expect(parsed.invalid[1]).toMatchObject({ line: 11, reason: expect.stringMatching(/apiVersion must be backstage.io\/v1alpha1/) });
  });

  it('reads the tier from a configured annotation', () => {
    const text = 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\n  annotations:\n    acme.io/criticality: "2"\n';
    expect(parseCatalog(text, { tierAnnotation: 'acme.io/criticality' }).entities[0]!.tier).toBe(2);
    expect(parseCatalog(text).entities[0]!.tier).toBeNull();
  });
});

describeEachDb('POST /api/v1/catalog/import', ({ handle }) => {
  it('builds the graph from the catalog, and a change’s blast radius follows it', async () => {
    const db = handle().db;
    const s = uid('w');
    const text = catalogFor(s);
    const admin = await tokenFor(db, 'admin', ['admin']);
    // A service Countersign already knows (not in the file): the catalog's references to it resolve.
    await db.insert(services).values({ slug: `ledger-core-${s}`, name: 'Ledger core', tier: 1 });
    const v0 = await version(db);
    const res = await call(importRoute, `/api/v1/catalog/import?source=wallets-${s}`, { method: 'POST', rawBody: text, headers: { 'content-type': 'application/yaml' }, auth: admin });
    expect(res.status, res.text).toBe(200);
    const r = res.json;
    expect(r.services.added.sort()).toEqual([`gift-cards-${s}`, `loyalty-points-${s}`, `wallet-db-${s}`, `wallet-service-${s}`]);
    expect(r.teams.added).toEqual([`wallets-team-${s}`]);
    expect(r.systems).toEqual([`wallets-${s}`]);
    expect(r.apis).toEqual([`wallet-api-${s}`]);
    expect(r.edges.added.sort()).toEqual(
      [
        [`gift-cards-${s}`, `loyalty-points-${s}`],
        [`loyalty-points-${s}`, `wallet-service-${s}`],
        [`wallet-service-${s}`, `ledger-core-${s}`],
        [`wallet-service-${s}`, `wallet-db-${s}`],
      ].sort(),
    );
    expect(r.invalid.map((i: { line: number; reason: string }) => [i.line, i.reason])).toEqual([
      [lineOf(text, 'countersign.dev/tier: "5"'), 'annotation countersign.dev/tier must be 1, 2 or 3, not "5"'],
      [lineOf(text, 'description: Someone forgot the name.') - 1, 'metadata.name is missing'],
    ]);
    expect(r.ignored).toHaveLength(2);
    expect(await version(db)).not.toEqual(v0);
    const [svc] = await db.select().from(services).where(eq(services.slug, `wallet-service-${s}`));
    expect(svc).toMatchObject({ name: 'Wallet service', tier: 1, team: `wallets-team-${s}`, system: `wallets-${s}`, entityKind: 'Component', type: 'service', repo: `acme/wallet-service-${s}` });
    const [team] = await db.select().from(teams).where(eq(teams.slug, `wallets-team-${s}`));
    expect(team!.name).toBe(`Wallets ${s}`);
    const [audit] = await db.select().from(auditEvents).where(sql`${auditEvents.action} = 'catalog.imported' and ${auditEvents.subjectId} = ${`wallets-${s}`}`);
    expect(audit!.payload).toMatchObject({ source: `wallets-${s}`, invalid: 2 });

    // A change to the database: its blast radius is the graph just imported.
    const token = await tokenFor(db, 'ebrandt', ['changes:write']);
    const sub = await call(submit, '/api/v1/changes', {
      auth: token,
      body: { externalId: `acme/wallet-db-${s}#1`, title: 'Index the ledger', author: 'ebrandt', services: [`wallet-db-${s}`], kind: 'schema', validation: { preDeploy: true }, diff: DB_DIFF },
    });
    expect(sub.status, sub.text).toBe(201);
    const [change] = await db.select().from(changes).where(eq(changes.id, sub.json.id));
    expect(change!.blastRadius.services.map((b) => [b.slug, b.depth, b.tier])).toEqual([
      [`wallet-service-${s}`, 1, 1],
      [`loyalty-points-${s}`, 2, 2],
      [`gift-cards-${s}`, 3, 3],
    ]);
    expect(change!.blastRadius.services[2]!.path).toEqual([`wallet-db-${s}`, `wallet-service-${s}`, `loyalty-points-${s}`, `gift-cards-${s}`]);
    expect(change!).toMatchObject({ blastTotal: 3, blastTier1: 1, topTier: 1, requiredApprovals: 2 });

    // Re-import: one service dropped, one edge gone, a tier lowered — reported, in place, and re-scored.
    const next = text
      .replace(/---\napiVersion: backstage.io\/v1alpha1\nkind: Component\nmetadata:\n  name: gift-cards-[\s\S]*?(?=---)/, '')
      .replace(`  consumesApis:\n    - api:wallet-api-${s}\n`, '')
      .replace('countersign.dev/tier: "1"', 'countersign.dev/tier: "2"');
    const again = await call(importRoute, '/api/v1/catalog/import', { method: 'POST', body: { yaml: next, source: `wallets-${s}` }, auth: admin });
    expect(again.status, again.text).toBe(200);
    // The lower tier waits for a second administrator (issue 10): Tier 1 is kept until then.
    expect(again.json.services).toMatchObject({ added: [], removed: [`gift-cards-${s}`], changed: [], unchanged: 3 });
    expect(again.json.warnings.map((w: { reason: string }) => w.reason).join('\n')).toMatch(/tier 1 → 2 waits for a second administrator/);
    expect(again.json.edges.added).toEqual([]);
    expect(again.json.edges.removed.sort()).toEqual([[`gift-cards-${s}`, `loyalty-points-${s}`], [`loyalty-points-${s}`, `wallet-service-${s}`]].sort());
    expect(again.json.rescored.map((x: { id: number }) => x.id)).toContain(change!.id);
    const rescored = again.json.rescored.find((x: { id: number }) => x.id === change!.id);
    expect(rescored.before).toMatchObject({ blastTotal: 3, blastTier1: 1 });
    expect(rescored.after).toMatchObject({ blastTotal: 1, blastTier1: 1 });
    const [pending] = await db.select().from(confirmationRequests).where(eq(confirmationRequests.subject, `wallet-service-${s}`));
    expect(pending).toMatchObject({ kind: 'service.tier', status: 'pending', payload: { tier: 2, before: 1 } });
    const second = await newPerson(db, { level: 8, role: 'admin' });
    const ok = await call(confirmRoute, '/x', { method: 'POST', auth: await sessionFor(db, second.handle), params: { id: String(pending!.id) } });
    expect(ok.status, ok.text).toBe(200);
    const [after] = await db.select().from(changes).where(eq(changes.id, change!.id));
    expect(after!.blastRadius.services.map((b) => [b.slug, b.tier])).toEqual([[`wallet-service-${s}`, 2]]);
    const [removed] = await db.select().from(services).where(eq(services.slug, `gift-cards-${s}`));
    expect(removed!.annotations['countersign.dev/removed-from-catalog']).toBeTruthy();
    const rescoreEvents = await db.select().from(auditEvents).where(sql`${auditEvents.action} = 'change.rescored' and ${auditEvents.changeId} = ${change!.id}`);
    expect(rescoreEvents).toHaveLength(2);

    // The same file again: nothing changes, nothing is re-scored, the graph version stays.
    const v2 = await version(db);
    const same = await call(importRoute, '/api/v1/catalog/import', { method: 'POST', body: { yaml: next, source: `wallets-${s}` }, auth: admin });
    expect(same.json.services).toMatchObject({ added: [], changed: [], removed: [], unchanged: 3 });
    expect(same.json.edges).toEqual({ added: [], removed: [] });
    expect(same.json.rescored).toEqual([]);
    expect(await version(db)).toEqual(v2);
  });

  it('refuses non-admins (403), other content types (415), an empty body (400) and a catalog with no entities (422)', async () => {
    const db = handle().db;
    const admin = await tokenFor(db, 'admin', ['admin']);
    const senior = await tokenFor(db, 'mrossi', ['changes:write']);
    const yaml = catalogFor(uid('n'));
    expect((await call(importRoute, '/api/v1/catalog/import', { method: 'POST', body: { yaml }, auth: senior })).status).toBe(403);
    expect((await call(importRoute, '/api/v1/catalog/import', { method: 'POST', rawBody: yaml, headers: { 'content-type': 'application/octet-stream' }, auth: admin })).status).toBe(415);
    expect((await call(importRoute, '/api/v1/catalog/import', { method: 'POST', rawBody: '   ', headers: { 'content-type': 'application/yaml' }, auth: admin })).status).toBe(400);
    const none = await call(importRoute, '/api/v1/catalog/import', { method: 'POST', rawBody: '# nothing here\n', headers: { 'content-type': 'application/yaml' }, auth: admin });
    expect(none.status).toBe(422);
    expect(none.json.error.code).toBe('empty_catalog');
    const noYaml = await call(importRoute, '/api/v1/catalog/import', { method: 'POST', body: { source: 'x' }, auth: admin });
    expect(noYaml.status).toBe(422);
    expect(noYaml.json.error.message).toMatch(/yaml/);
  });
});
