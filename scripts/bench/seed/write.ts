// Writes the generated organisation with the database's bulk path (COPY through the driver),
// table by table in foreign-key order, and the audit trail last: every event in time order,
// hash-chained in JS with the app's own canonical form, so /api/v1/audit/verify accepts it.
import { sql } from 'drizzle-orm';
import { copyText, type DbHandle } from '@/db/client';
import { GENESIS_HASH, hashEvent, type AuditContent } from '@/lib/audit/chain';
import { bumpCatalogVersion } from '@/lib/graph/catalog';
import type { GenOrg } from './org';
import type { PoolContent } from './pool';
import type { GenChange, History } from './history';

export type Progress = (table: string, done: number, total: number) => void;

const CHUNK_ROWS = 2000;

function* chunks(rows: Iterable<unknown[]>, onRows: (n: number) => void): Generator<string> {
  let buf: string[] = [];
  for (const row of rows) {
    buf.push(`${row.map(copyText).join('\t')}\n`);
    if (buf.length >= CHUNK_ROWS) {
      yield buf.join('');
      onRows(buf.length);
      buf = [];
    }
  }
  if (buf.length) {
    yield buf.join('');
    onRows(buf.length);
  }
}

async function copy(h: DbHandle, target: string, columns: string[], total: number, rows: Iterable<unknown[]>, progress: Progress): Promise<number> {
  // "approvals (revision 2)": the table, and what the progress bar says.
  const table = target.split(' ')[0]!;
  let done = 0;
  progress(target, 0, total);
  await h.copyIn(table, columns, chunks(rows, (n) => progress(target, (done += n), total)));
  return done;
}

const iso = (ms: number) => new Date(ms);

/** revision_files rows of a pooled content, without the revision id (the same for every change using it). */
const fileRowCache = new WeakMap<PoolContent, unknown[][]>();
function fileRows(content: PoolContent): unknown[][] {
  let rows = fileRowCache.get(content);
  if (!rows) {
    rows = content.files.map((f, position) => [
      position, f.path, f.oldPath, f.status, f.binary, f.language, f.additions, f.deletions,
      f.hunks.reduce((n, hk) => n + hk.lines.filter((l) => l.flags?.length).length, 0),
      JSON.stringify(f.hunks),
    ]);
    fileRowCache.set(content, rows);
  }
  return rows;
}

export async function writeOrganisation(h: DbHandle, org: GenOrg, hist: History, progress: Progress): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  // The catalog existed before the history starts.
  const created = new Date(hist.from - 86_400_000);
  counts.teams = await copy(h, 'teams', ['slug', 'name', 'description'], org.teams.length, org.teams.map((t) => [t.slug, t.name, t.description]), progress);
  counts.services = await copy(h, 'services', ['id', 'slug', 'name', 'tier', 'team', 'system', 'entity_kind', 'type', 'description', 'repo', 'annotations', 'created_at', 'updated_at'], org.services.length,
    org.services.map((s) => [s.id, s.slug, s.name, s.tier, s.team, s.system, s.layer === 0 ? 'Resource' : 'Component', s.layer === 0 ? 'platform' : s.layer === 4 ? 'job' : 'service',
      `${s.name}: part of the ${s.system} system.`, s.repo, { 'countersign.dev/tier': String(s.tier), 'backstage.io/source-location': `url:https://github.example/${s.repo}` }, created, created]), progress);
  counts.serviceDependencies = await copy(h, 'service_dependencies', ['service_id', 'depends_on_id', 'source'], org.edges.length, org.edges.map((e) => [e.serviceId, e.dependsOnId, 'catalog']), progress);
  await h.db.transaction((tx) => bumpCatalogVersion(tx));
  counts.people = await copy(h, 'people', ['id', 'handle', 'name', 'title', 'email', 'level', 'role', 'team', 'is_bot', 'password_hash', 'github_login', 'created_at'], org.people.length,
    org.people.map((p) => [p.id, p.handle, p.name, p.title, p.email, p.level, p.role, p.team, p.isBot, null, p.githubLogin, iso(hist.from)]), progress);

  const changes = hist.changes;
  counts.changes = await copy(h, 'changes', [
    'id', 'external_id', 'repo', 'title', 'description', 'url', 'author_id', 'kind', 'ai_level', 'ai_tool', 'ai_evidence', 'environment', 'pre_deploy_validation', 'status', 'source',
    'unmapped', 'risk_score', 'risk_level', 'risk_factors', 'destructive', 'blast_radius', 'blast_total', 'blast_tier1', 'top_tier', 'required_approvals', 'valid_approvals',
    'created_at', 'updated_at', 'closed_at',
  ], changes.length, changes.map((c) => [
    c.id, c.externalId, c.repo, c.title, c.description, `https://github.example/${c.externalId.replace('#', '/pull/')}`, c.author.id, c.kind, c.aiLevel, c.aiTool,
    c.aiLevel === 'none' ? '[]' : JSON.stringify([{ source: 'submission', detail: `Declared ${c.aiLevel}${c.aiTool ? ` (${c.aiTool})` : ''} by the pipeline` }]),
    c.environment, c.preDeploy, c.status, 'seed', false, c.riskScore, c.riskLevel, c.factorsJson, c.destructive, c.blastJson, c.blastTotal, c.blastTier1, c.topTier, c.required, c.valid,
    iso(c.createdAt), iso(c.updatedAt), c.closedAt === null ? null : iso(c.closedAt),
  ]), progress);
  counts.changeServices = await copy(h, 'change_services', ['change_id', 'service_id'], changes.reduce((n, c) => n + c.services.length, 0),
    (function* () { for (const c of changes) for (const s of c.services) yield [c.id, s.id]; })(), progress);
  counts.changeCoauthors = await copy(h, 'change_coauthors', ['change_id', 'person_id'], changes.reduce((n, c) => n + c.coauthorIds.length, 0),
    (function* () { for (const c of changes) for (const p of c.coauthorIds) yield [c.id, p]; })(), progress);

  counts.revisions = await copy(h, 'revisions', ['id', 'change_id', 'number', 'sha', 'diff', 'terraform_plan', 'additions', 'deletions', 'files_changed', 'risk_score', 'risk_level', 'risk_factors', 'created_at'], hist.counts.revisions,
    (function* () {
      for (const c of changes) for (const r of c.revisions) {
        yield [r.id, c.id, r.number, r.content.sha, r.content.diff, r.content.planJson === null ? null : JSON.stringify(r.content.planJson), r.content.additions, r.content.deletions, r.content.files.length, r.score, r.level, r.factorsJson, iso(r.at)];
      }
    })(), progress);
  let fileId = 0;
  counts.revisionFiles = await copy(h, 'revision_files', ['id', 'revision_id', 'position', 'path', 'old_path', 'status', 'binary', 'language', 'additions', 'deletions', 'flagged', 'hunks'], hist.counts.revisionFiles,
    (function* () { for (const c of changes) for (const r of c.revisions) for (const f of fileRows(r.content)) yield [++fileId, r.id, ...f]; })(), progress);

  // Approvals bind to the revision current when they were given (a database guard checks it):
  // step the changes through their revisions and record each revision's decisions in turn.
  const maxRevisions = changes.reduce((m, c) => Math.max(m, c.revisions.length), 0);
  counts.approvals = 0;
  for (let k = 0; k < maxRevisions; k++) {
    progress(`revision ${k + 1} current`, 0, 1);
    await h.db.execute(sql`update changes set current_revision_id = r.id from revisions r where r.change_id = changes.id and r.number = ${k + 1}`);
    progress(`revision ${k + 1} current`, 1, 1);
    const rows = (function* () { for (const c of changes) for (const a of c.approvals) if (a.revIdx === k) yield [a.id, c.id, c.revisions[k]!.id, a.personId, a.decision, a.comment, 'web', iso(a.at)]; })();
    const total = changes.reduce((n, c) => n + c.approvals.filter((a) => a.revIdx === k).length, 0);
    counts.approvals += await copy(h, `approvals (revision ${k + 1})`, ['id', 'change_id', 'revision_id', 'person_id', 'decision', 'comment', 'via', 'created_at'], total, rows, progress);
  }

  counts.gateDecisions = await copy(h, 'gate_decisions', ['id', 'change_id', 'revision_id', 'change_ref', 'environment', 'allowed', 'reasons', 'required', 'valid', 'actor_id', 'created_at'], hist.gates.length,
    hist.gates.map((g) => [g.id, g.change.id, g.change.revisions[g.revIdx]!.id, g.change.externalId, g.environment, g.allowed, JSON.stringify(g.reasons), g.required, g.valid, g.actorId, iso(g.at)]), progress);
  counts.deployments = await copy(h, 'deployments', ['id', 'change_id', 'revision_id', 'environment', 'status', 'bypass', 'gate_decision_id', 'deployed_by_id', 'source', 'created_at'], hist.counts.deployments,
    (function* () { for (const c of changes) for (const d of c.deployments) yield [d.id, c.id, c.revisions.at(-1)!.id, d.environment, d.status, d.bypass, d.gateId, d.byId, 'seed', iso(d.at)]; })(), progress);
  counts.incidents = await copy(h, 'incidents', ['id', 'external_id', 'title', 'severity', 'started_at', 'resolved_at', 'cause_change_id', 'lost_orders', 'orders_drop_pct', 'impact', 'summary', 'lessons', 'created_at'], hist.incidents.length,
    hist.incidents.map((i) => [i.id, i.externalId, i.title, i.severity, iso(i.startedAt), iso(i.resolvedAt), i.cause?.id ?? null, i.lostOrders, i.ordersDropPct, i.impact, i.summary, i.lessons, iso(i.startedAt)]), progress);
  counts.incidentServices = await copy(h, 'incident_services', ['incident_id', 'service_id'], hist.incidents.reduce((n, i) => n + i.serviceIds.length, 0),
    (function* () { for (const i of hist.incidents) for (const s of i.serviceIds) yield [i.id, s]; })(), progress);
  counts.watchouts = await copy(h, 'watchouts', ['id', 'author_id', 'scope', 'service_id', 'pattern', 'text', 'created_at'], hist.watchouts.length,
    hist.watchouts.map((w) => [w.id, w.authorId, w.scope, w.serviceId, w.pattern, w.text, iso(w.at)]), progress);
  counts.reportAttestations = await copy(h, 'report_attestations', ['id', 'iso_week', 'person_id', 'note', 'attested_at'], hist.attestations.length,
    hist.attestations.map((a) => [a.id, a.isoWeek, a.personId, a.note, iso(a.at)]), progress);

  counts.auditEvents = await writeAudit(h, org, hist, progress);
  return counts;
}

interface Ev { t: number; s: number; build: () => Omit<AuditContent, 'occurredAt'> & { subjectId: string } }

/** Every event of the history, in time order, chained as appendAudit would have chained them. */
async function writeAudit(h: DbHandle, org: GenOrg, hist: History, progress: Progress): Promise<number> {
  const handle = new Map(org.people.map((p) => [p.id, p.handle]));
  const slug = new Map(org.services.map((s) => [s.id, s.slug]));
  const events: Ev[] = [];
  let seq = 0;
  const push = (t: number, build: Ev['build']) => events.push({ t, s: seq++, build });
  const person = (id: number | null) => ({ actorId: id, actor: id === null ? 'pipeline' : handle.get(id)! });
  const admin = org.people.find((p) => p.handle === 'admin')!;

  push(hist.from - 60_000, () => ({ actorId: admin.id, actor: 'admin', action: 'catalog.imported', subjectType: 'catalog', subjectId: 'bench', changeId: null,
    payload: { services: org.services.length, dependencies: org.edges.length, teams: org.teams.length, source: 'bench-seed' } }));
  const changeBase = (c: GenChange) => ({ subjectType: 'change', subjectId: String(c.id), changeId: c.id });
  for (const c of hist.changes) {
    c.revisions.forEach((r, i) => push(r.at, () => ({
      ...changeBase(c), ...person(c.author.id), action: i === 0 ? 'change.submitted' : 'change.revised',
      payload: {
        externalId: c.externalId, title: c.title, services: c.services.map((s) => s.slug), kind: c.kind, ai: { level: c.aiLevel, tool: c.aiTool },
        environment: c.environment, revision: { number: r.number, sha: r.content.sha }, risk: { score: r.score, level: r.level }, source: 'seed',
      },
    })));
    for (const a of c.approvals) push(a.at, () => ({ ...changeBase(c), ...person(a.personId), action: a.decision === 'approve' ? 'approval.approved' : 'approval.rejected', payload: { externalId: c.externalId, revision: a.revIdx + 1, comment: a.comment } }));
    for (const d of c.deployments) push(d.at, () => ({
      ...person(d.byId), action: d.bypass ? 'deployment.bypassed' : 'deployment.recorded', subjectType: 'deployment', subjectId: String(d.id), changeId: c.id,
      payload: { environment: d.environment, status: d.status, bypass: d.bypass, gateDecisionId: d.gateId },
    }));
  }
  for (const g of hist.gates) push(g.at, () => ({
    ...person(g.actorId), action: 'gate.decided', subjectType: 'gate_decision', subjectId: String(g.id), changeId: g.change.id,
    payload: { change: g.change.externalId, environment: g.environment, allowed: g.allowed, reasons: g.reasons, approvals: { required: g.required, valid: g.valid } },
  }));
  for (const i of hist.incidents) push(i.resolvedAt, () => ({
    actorId: null, actor: 'incident-tracker', action: 'incident.recorded', subjectType: 'incident', subjectId: String(i.id), changeId: i.cause?.id ?? null,
    payload: { externalId: i.externalId, title: i.title, severity: i.severity, services: i.serviceIds.map((s) => slug.get(s)!), lostOrders: i.lostOrders, cause: i.cause?.externalId ?? null },
  }));
  for (const w of hist.watchouts) push(w.at, () => ({ ...person(w.authorId), action: 'watchout.added', subjectType: 'watchout', subjectId: String(w.id), changeId: null, payload: { scope: w.scope, service: w.serviceId === null ? null : slug.get(w.serviceId)!, pattern: w.pattern } }));
  for (const a of hist.attestations) push(a.at, () => ({ ...person(a.personId), action: 'report.attested', subjectType: 'report', subjectId: a.isoWeek, changeId: null, payload: { isoWeek: a.isoWeek, note: a.note } }));
  let last = hist.until;
  for (const e of events) if (e.t > last) last = e.t;
  push(last + 60_000, () => ({ actorId: null, actor: 'system', action: 'seed.loaded', subjectType: 'organisation', subjectId: 'bench', changeId: null, payload: { changes: hist.changes.length, incidents: hist.incidents.length } }));
  events.sort((a, b) => a.t - b.t || a.s - b.s);

  let prev = GENESIS_HASH;
  let id = 0;
  const rows = (function* () {
    for (const e of events) {
      const b = e.build();
      const content: AuditContent = { occurredAt: new Date(e.t), actorId: b.actorId, actor: b.actor, action: b.action, subjectType: b.subjectType, subjectId: b.subjectId, changeId: b.changeId, payload: b.payload };
      const hash = hashEvent(prev, content);
      yield [++id, content.occurredAt, content.actorId, content.actor, content.action, content.subjectType, content.subjectId, content.changeId, JSON.stringify(content.payload), prev, hash];
      prev = hash;
    }
  })();
  return copy(h, 'audit_events', ['id', 'occurred_at', 'actor_id', 'actor', 'action', 'subject_type', 'subject_id', 'change_id', 'payload', 'prev_hash', 'hash'], events.length, rows, progress);
}

/** Serial columns continue after the explicit ids the seed wrote. */
export async function resetSequences(h: DbHandle): Promise<void> {
  for (const table of ['services', 'people', 'changes', 'revisions', 'revision_files', 'approvals', 'gate_decisions', 'deployments', 'incidents', 'watchouts', 'report_attestations', 'audit_events']) {
    await h.db.execute(sql.raw(`select setval(pg_get_serial_sequence('"${table}"', 'id'), greatest(1, coalesce((select max(id) from "${table}"), 1)))`));
  }
}
