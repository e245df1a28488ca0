// GET /api/v1/changes/{id} — everything the change page shows: revisions and older revisions, files
// with hunks and flags, the Terraform plan, risk factors, the blast radius (checked against an
// independent recursive SQL query), incident history, watch-outs, sign-offs and the gate.
import { count, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { GET as getChange } from '@/app/api/v1/changes/[id]/route';
import { queryRows } from '@/db/client';
import { listIncidentHistory } from '@/db/queries/incident-history';
import { approvals, changes, gateDecisions, people } from '@/db/schema';
import { describeEachDb, uid } from '../support/db';
import { call, tokenFor, type Json } from '../support/http';
import { diffOf, fixture, submit } from './change-helpers';

const ECS_PLAN = JSON.parse(fixture('plans', 'crafted-ecs-cluster-replace.json')) as Record<string, unknown>;
const CONFIG_DIFF = fixture('diffs', 'crafted-config-service-push.diff');

describeEachDb('GET /api/v1/changes/{id}', ({ handle }) => {
  const db = () => handle().db;
  const auth = () => tokenFor(db(), 'mrossi', ['gate:read']);
  const get = async (ref: string, qs = '') => call(getChange, `/api/v1/changes/${ref}${qs}`, { auth: await auth(), params: { id: ref } });

  it('refuses anonymous callers, answers 404 for unknown ids and revisions, 400 for a bad revision parameter', async () => {
    expect((await call(getChange, '/api/v1/changes/1', { params: { id: '1' } })).status).toBe(401);
    for (const ref of ['99999999', encodeURIComponent('nobody/nothing#1'), 'x'.repeat(300)]) {
      const res = await get(ref);
      expect(res.status, ref).toBe(404);
      expect(res.json.error.code).toBe('not_found');
    }
    const [any] = await db().select({ id: changes.id }).from(changes).where(eq(changes.status, 'pending')).limit(1);
    for (const qs of ['?revision=abc', '?revision=0', '?revision=-1', '?revision=1.5']) {
      const res = await get(String(any!.id), qs);
      expect(res.status, qs).toBe(400);
      expect(res.json.error.code).toBe('validation_failed');
    }
    const missing = await get(String(any!.id), '?revision=99');
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('revision_not_found');
    expect(missing.text).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });

  it('accepts the numeric id, the external id and the URL-encoded external id alike', async () => {
    const ext = `acme/checkout#${uid('ref')}`;
    const created = await submit(db(), { externalId: ext, title: 'ref test', author: 'kchen', services: ['checkout'], diff: fixture('diffs', 'crafted-readme-typo.diff') });
    for (const ref of [String(created.id), encodeURIComponent(ext), ext]) {
      const res = await get(ref);
      expect(res.status, ref).toBe(200);
      expect(res.json.id).toBe(created.id);
      expect(res.json.externalId).toBe(ext);
    }
  });

  it('a config change to config-service lists its transitive dependents with depth and path, and the Tier-1 count', async () => {
    const created = await submit(db(), {
      externalId: `acme/config-service#${uid('cfg')}`,
      title: 'config-service: push the new circuit-breaker defaults everywhere',
      author: 'lnguyen',
      services: ['config-service'],
      kind: 'config',
      ai: { level: 'assisted', tool: 'copilot' },
      environment: 'production',
      validation: { preDeploy: false },
      diff: CONFIG_DIFF,
    });
    const res = await get(String(created.id));
    expect(res.status).toBe(200);
    const br = res.json.blastRadius;

    // Independently: every service that transitively depends on config-service, at its shortest depth.
    const expected = await queryRows<{ slug: string; depth: number; tier: number }>(db(), sql`
      with recursive reach(id, depth) as (
        select sd.service_id, 1 from service_dependencies sd join services s on s.id = sd.depends_on_id where s.slug = 'config-service'
        union
        select sd.service_id, reach.depth + 1 from service_dependencies sd join reach on sd.depends_on_id = reach.id where reach.depth < 40
      )
      select s.slug, min(reach.depth)::int as depth, s.tier::int as tier from reach join services s on s.id = reach.id
      where s.slug <> 'config-service' group by s.slug, s.tier`);
    expect(expected.length).toBeGreaterThan(10);
    expect(br.total).toBe(expected.length);
    expect(br.tier1).toBe(expected.filter((e) => e.tier === 1).length);
    expect(br.tier1).toBeGreaterThan(5);
    const bySlug = new Map(br.services.map((s: Json) => [s.slug, s]));
    const edges = new Set((await queryRows<{ e: string }>(db(), sql`select d.slug || '>' || s.slug as e from service_dependencies x join services s on s.id = x.service_id join services d on d.id = x.depends_on_id`)).map((r) => r.e));
    for (const e of expected) {
      const s = bySlug.get(e.slug) as Json;
      expect(s, e.slug).toBeDefined();
      expect(s.depth, e.slug).toBe(e.depth);
      expect(s.tier).toBe(e.tier);
      expect(s.path[0]).toBe('config-service');
      expect(s.path.at(-1)).toBe(e.slug);
      expect(s.path.length).toBe(e.depth + 1);
      for (let i = 1; i < s.path.length; i++) expect(edges.has(`${s.path[i - 1]}>${s.path[i]}`), s.path.join(' → ')).toBe(true);
    }
    expect(br.services.some((s: Json) => s.depth >= 2)).toBe(true);
    // The graph: the changed service and edges toward dependents, all among the listed services.
    expect(br.changed).toEqual([{ slug: 'config-service', tier: 1 }]);
    const nodes = new Set(['config-service', ...expected.map((e) => e.slug)]);
    expect(br.edges.length).toBeGreaterThanOrEqual(expected.length);
    for (const e of br.edges) {
      expect(nodes.has(e.from) && nodes.has(e.to)).toBe(true);
      expect(edges.has(`${e.from}>${e.to}`)).toBe(true);
    }
    // The blast radius is a risk factor, with the same figures in its evidence.
    const factor = res.json.risk.factors.find((f: Json) => f.key === 'blast_radius');
    expect(factor.evidence).toContain(`${br.total} transitive dependents`);
    expect(factor.evidence).toContain(`${br.tier1} of them Tier-1`);
  });

  it('a hub change lists its nearest 200 affected services with exact counts; ?blast=all lists every one', async () => {
    const created = await submit(db(), {
      externalId: `acme/config-service#${uid('hub')}`,
      title: 'config-service: rotate the shared signing key',
      author: 'lnguyen',
      services: ['config-service'],
      kind: 'config',
      environment: 'production',
      validation: { preDeploy: true },
      diff: CONFIG_DIFF,
    });
    // As on a hub of a large organisation: 450 dependents, stored nearest first.
    const services = Array.from({ length: 450 }, (_, i) => {
      const depth = i < 150 ? 1 : i < 300 ? 2 : 3;
      const slug = `hub-dependent-${String(i).padStart(3, '0')}`;
      return { slug, tier: (i % 9 === 0 ? 1 : 2) as 1 | 2, depth, path: ['config-service', ...Array.from({ length: depth - 1 }, (_, k) => `via-${k}`), slug] };
    });
    const blast = { services, total: 450, tier1: services.filter((x) => x.tier === 1).length };
    await db().update(changes).set({ blastRadius: blast }).where(eq(changes.id, created.id));

    const nearest = await get(String(created.id));
    expect(nearest.status).toBe(200);
    expect(nearest.json.blastRadius).toMatchObject({ total: 450, tier1: blast.tier1, truncated: true });
    expect(nearest.json.blastRadius.services).toEqual(services.slice(0, 200));
    const all = await get(String(created.id), '?blast=all');
    expect(all.json.blastRadius).toMatchObject({ total: 450, tier1: blast.tier1, truncated: false });
    expect(all.json.blastRadius.services).toEqual(services);
    expect(all.text.length).toBeGreaterThan(nearest.text.length);
    const bad = await get(String(created.id), '?blast=everything');
    expect([bad.status, bad.json.error.code]).toEqual([400, 'validation_failed']);
    // A small blast radius is listed whole.
    // (any seeded change with a few dependents: the demo's numbering depends on the day it was seeded)
    const [demo] = await db().select({ id: changes.id }).from(changes).where(sql`${changes.blastTotal} between 1 and 200`).orderBy(changes.id).limit(1);
    const small = await get(String(demo!.id));
    expect(small.json.blastRadius.truncated).toBe(false);
    expect(small.json.blastRadius.services).toHaveLength(small.json.blastRadius.total);
  });

  it('shows the Terraform plan as resource actions, the factors highest first and the findings that name the resource', async () => {
    const created = await submit(db(), {
      externalId: `acme/checkout#${uid('tf')}`,
      title: 'checkout: recreate the cluster',
      author: 'kiro-agent[bot]',
      services: ['checkout'],
      kind: 'infra',
      ai: { level: 'agent', tool: 'kiro' },
      terraformPlan: ECS_PLAN,
    });
    const d = (await get(String(created.id))).json;
    expect(d.risk.level).toBe('critical');
    expect(d.risk.destructive).toBe(true);
    const points = d.risk.factors.map((f: Json) => f.points);
    expect(points).toEqual([...points].sort((a: number, b: number) => b - a));
    expect(d.risk.score).toBe(Math.min(100, points.reduce((a: number, b: number) => a + b, 0)));
    const cluster = d.terraformPlan.resources.find((r: Json) => r.address === 'aws_ecs_cluster.prod');
    expect(cluster).toMatchObject({ action: 'replace', destructive: true });
    expect(d.terraformPlan.resources.find((r: Json) => r.address === 'aws_iam_role.legacy_deployer')).toMatchObject({ action: 'delete', destructive: true });
    expect(d.terraformPlan.resources.find((r: Json) => r.address === 'aws_ecs_service.checkout')).toMatchObject({ action: 'update', destructive: false });
    expect(d.risk.findings[0].message).toContain('aws_ecs_cluster.prod');
    expect(d.ai).toMatchObject({ level: 'agent', tool: 'kiro' });
    expect(d.author).toMatchObject({ handle: 'kiro-agent[bot]', isBot: true });
    expect(d.files).toEqual([]);
  });

  it('returns files with hunks, flags destructive lines inline and deleted files as a whole', async () => {
    const diff = diffOf('db/migrations/0042_drop_legacy.sql', { context: ['-- legacy cleanup'], add: ['DROP TABLE legacy_orders;', 'SELECT 1;'] })
      + diffOf('src/legacy/promise.ts', { del: ['export const legacy = true;', 'export const old = 1;'] }, 'deleted');
    const created = await submit(db(), { externalId: `acme/orders-db#${uid('sql')}`, title: 'orders-db: drop legacy', author: 'kchen', services: ['orders-db'], kind: 'schema', diff });
    const d = (await get(String(created.id))).json;
    expect(d.files.map((f: Json) => [f.path, f.status])).toEqual([['db/migrations/0042_drop_legacy.sql', 'modified'], ['src/legacy/promise.ts', 'deleted']]);
    const sqlFile = d.files[0];
    expect(sqlFile.language).toBe('sql');
    expect(sqlFile.flagged).toBe(1);
    const lines = sqlFile.hunks.flatMap((h: Json) => h.lines);
    const drop = lines.find((l: Json) => l.content.startsWith('DROP TABLE'));
    expect(drop.type).toBe('add');
    expect(drop.newNo).toBe(2);
    expect(drop.flags[0]).toMatchObject({ severity: 'destructive', message: expect.stringMatching(/legacy_orders/) });
    expect(lines.find((l: Json) => l.content === 'SELECT 1;').flags).toBeUndefined();
    expect(d.files[1].flags[0]).toMatchObject({ key: 'deleted_file' });
    expect(d.risk.findings.some((f: Json) => f.path === 'db/migrations/0042_drop_legacy.sql' && f.line === 2)).toBe(true);
  });

  it('lists revisions with the current one marked, shows an older one on request, and marks its sign-offs superseded', async () => {
    const ext = `acme/checkout#${uid('rev')}`;
    const base = { externalId: ext, title: 'checkout: tune retries', author: 'kchen', services: ['checkout'], kind: 'config' as const, validation: { preDeploy: true } };
    const r1 = await submit(db(), { ...base, diff: diffOf('config/checkout.yaml', { del: ['retries: 3'], add: ['retries: 4'] }) });
    const [mrossi] = await db().select({ id: people.id }).from(people).where(eq(people.handle, 'mrossi'));
    const [row1] = await db().select({ rev: changes.currentRevisionId }).from(changes).where(eq(changes.id, r1.id));
    await db().insert(approvals).values({ changeId: r1.id, revisionId: row1!.rev!, personId: mrossi!.id, decision: 'approve', comment: 'fine' });
    const before = (await get(String(r1.id))).json;
    expect(before.approvals).toHaveLength(1);
    expect(before.approvals[0]).toMatchObject({ person: { handle: 'mrossi' }, decision: 'approve', revision: 1, standing: true, invalidReason: null });
    expect(before.validApprovals).toBe(1);
    expect(before.suggestedReviewers.map((r: Json) => r.handle)).not.toContain('mrossi');

    await submit(db(), { ...base, diff: diffOf('config/checkout.yaml', { del: ['retries: 3'], add: ['retries: 5'] }) });
    const d = (await get(String(r1.id))).json;
    expect(d.revisions.map((r: Json) => [r.number, r.current])).toEqual([[1, false], [2, true]]);
    expect(d.revision.number).toBe(2);
    expect(d.files[0].hunks[0].lines.some((l: Json) => l.content === 'retries: 5')).toBe(true);
    expect(d.approvals[0]).toMatchObject({ revision: 1, standing: false, invalidReason: 'superseded', invalidReasonText: expect.stringMatching(/earlier revision/) });
    expect(d.validApprovals).toBe(0);
    expect(d.gate.allowed).toBe(false);
    expect(d.gate.reasons).toContain('approvals_missing');
    expect(d.gate.reasonText).toContain('Not enough valid approvals on the current revision.');
    expect(d.suggestedReviewers.map((r: Json) => r.handle)).toContain('mrossi');

    const old = await get(String(r1.id), '?revision=1');
    expect(old.status).toBe(200);
    expect(old.json.revision).toMatchObject({ number: 1, current: false });
    expect(old.json.files[0].hunks[0].lines.some((l: Json) => l.content === 'retries: 4')).toBe(true);
  });

  it('reads the gate without recording a gate decision', async () => {
    const [any] = await db().select({ id: changes.id }).from(changes).where(eq(changes.status, 'pending')).limit(1);
    const countDecisions = async () => Number((await db().select({ n: count() }).from(gateDecisions))[0]!.n);
    const before = await countDecisions();
    const d = (await get(String(any!.id))).json;
    expect(typeof d.gate.allowed).toBe('boolean');
    expect(d.gate.reasons.length).toBe(d.gate.reasonText.length);
    expect(d.requiredApprovals).toBe(d.requirement.required);
    expect(await countDecisions()).toBe(before);
  });

  it('lists incidents on the touched services and their direct dependents, most relevant first, with cause, duration and lessons', async () => {
    const created = await submit(db(), { externalId: `acme/config-service#${uid('inc')}`, title: 'config-service: tidy', author: 'lnguyen', services: ['config-service'], kind: 'config', diff: CONFIG_DIFF });
    const d = (await get(String(created.id))).json;
    expect(d.incidents.length).toBeGreaterThan(3);
    expect(d.incidentsTotal).toBeGreaterThanOrEqual(d.incidents.length);
    const direct = new Set((await queryRows<{ slug: string }>(db(), sql`select s.slug from service_dependencies x join services s on s.id = x.service_id join services d on d.id = x.depends_on_id where d.slug = 'config-service'`)).map((r) => r.slug));
    for (const i of d.incidents) {
      expect(i.services.some((s: string) => s === 'config-service' || direct.has(s)), i.externalId).toBe(true);
      expect(i.relation.touched.length + i.relation.dependents.length).toBeGreaterThan(0);
      if (i.resolvedAt) expect(i.durationMs).toBe(new Date(i.resolvedAt).getTime() - new Date(i.startedAt).getTime());
    }
    // Relevance: same service first, then a cause that touched the same files, then severity, then newest.
    const rank = (i: Json) => [i.relation.touched.length ? 0 : 1, i.relation.sameFiles ? 0 : 1, i.severity, -new Date(i.startedAt).getTime()];
    for (let k = 1; k < d.incidents.length; k++) {
      const [a, b] = [rank(d.incidents[k - 1]), rank(d.incidents[k])];
      const first = a.findIndex((x, j) => x !== b[j]);
      if (first >= 0) expect(a[first]! < b[first]!, `${d.incidents[k - 1].externalId} before ${d.incidents[k].externalId}`).toBe(true);
    }
    // The 5 March config push (further down than the page's first 20): 6 hours, 6.3 million lost orders, caused by a config-service change.
    const history = await listIncidentHistory(db(), { touched: ['config-service'], paths: d.files.map((f: Json) => f.path), limit: 200 });
    expect(history.total).toBe(d.incidentsTotal);
    expect(history.items.slice(0, d.incidents.length).map((i) => i.id)).toEqual(d.incidents.map((i: Json) => i.id));
    const push = history.items.find((i) => i.lostOrders === 6_300_000);
    expect(push?.causeChange?.externalId).toMatch(/^acme\/config-service#/);
    expect(push?.durationMs).toBe(6 * 3600_000);
    expect(push?.ordersDropPct).toBe(99);
    expect(push?.lessons.length).toBeGreaterThan(20);
    expect(d.incidents.some((i: Json) => i.causeChange !== null)).toBe(true);
    expect(history.items.some((i) => i.relation.dependents.length > 0)).toBe(true);
  });

  it('shows the watch-outs that match, with author, date and why: service, neighbour, path glob and config key', async () => {
    const cfg = await submit(db(), { externalId: `acme/config-service#${uid('wo')}`, title: 'config-service: global defaults', author: 'kchen', services: ['config-service'], kind: 'config', diff: CONFIG_DIFF });
    const d = (await get(String(cfg.id))).json;
    const dk = d.watchouts.find((w: Json) => w.author.handle === 'dkowalski' && w.scope === 'service');
    expect(dk).toMatchObject({ service: 'config-service', strength: 'direct', reason: 'This change touches config-service' });
    expect(new Date(dk.createdAt).toISOString()).toBe(dk.createdAt);
    const glob = d.watchouts.find((w: Json) => w.pattern === 'config/global/**');
    expect(glob.reason).toContain('config/global/feature-flags.yaml');
    // dns-resolver is a dependency of config-service: its watch-out surfaces as a neighbour.
    const dns = d.watchouts.find((w: Json) => w.service === 'dns-resolver');
    expect(dns).toMatchObject({ strength: 'neighbour', reason: 'config-service, which this change touches, depends directly on dns-resolver' });
    // Nothing about unrelated services (cost-explorer) or paths.
    expect(d.watchouts.some((w: Json) => w.service === 'cost-explorer')).toBe(false);
    expect(d.watchouts.some((w: Json) => w.pattern === 'zones/**')).toBe(false);

    const tax = await submit(db(), {
      externalId: `acme/checkout#${uid('wo')}`,
      title: 'checkout: shorter timeout',
      author: 'kchen',
      services: ['checkout'],
      kind: 'config',
      diff: diffOf('config/production.yaml', { context: ['checkout:'], del: ['  timeout_ms: 9000'], add: ['  timeout_ms: 6000'] }),
    });
    const t = (await get(String(tax.id))).json;
    const key = t.watchouts.find((w: Json) => w.pattern === 'checkout.timeout_ms');
    expect(key).toMatchObject({ scope: 'config_key', author: { handle: 'mrossi' }, strength: 'direct' });
    expect(key.reason).toContain('config/production.yaml');
    // The removed and the added line are both line 2: one location.
    expect(key.locations).toEqual([{ path: 'config/production.yaml', line: 2 }]);
  });
});
