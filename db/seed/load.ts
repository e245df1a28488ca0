// Loads the demo organisation, Acme Retail, into an empty database in one transaction:
// the catalog, people, a year of history assessed as it happened, the four incidents,
// watch-outs and the pending queue — with the audit trail that recorded it all.
import { count, eq, inArray, isNull, and, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import {
  approvals,
  changeCoauthors,
  changes,
  changeServices,
  deployments,
  gateDecisions,
  incidents,
  incidentServices,
  people,
  revisions,
  serviceDependencies,
  services,
  settings,
  teams,
  watchouts,
} from '@/db/schema';
import type { Role, Tier } from '@/db/schema/enums';
import { statusFor } from '@/lib/approvals/state';
import { appendAudit, type AuditInput } from '@/lib/audit/chain';
import { hashPassword } from '@/lib/auth/password';
import { assessChange, assessmentColumns } from '@/lib/changes/assess';
import { readRevisionContent, type RevisionContent } from '@/lib/changes/content';
import { INCIDENT_WINDOW_DAYS } from '@/lib/changes/context';
import { insertRevisionFileRows, revisionFileRows } from '@/lib/changes/submit';
import { bumpCatalogVersion } from '@/lib/graph/catalog';
import { buildServiceGraph } from '@/lib/graph/blast-radius';
import { DEFAULT_POLICY } from '@/lib/policy';
import { checkApprover, evaluateGate, tallyApprovals } from '@/lib/policy/approvals';
import type { GraphService, RiskInput } from '@/lib/risk/types';
import { people as seedPeople, services as seedServices, teams as seedTeams } from './data/org';
import { pendingChanges } from './data/pending';
import { watchouts as seedWatchouts } from './data/watchouts';
import { generateHistory } from './history';
import type { SeedChange, SeedIncident } from './types';

export const DEMO_PASSWORD = 'countersign-demo';
export const HISTORY_FROM = new Date('2025-09-29T00:00:00Z');
export const DEMO_SEED = 20251014;
const MARKER_KEY = 'demo_seed';

export interface SeedOptions {
  demoPasswords: boolean;
  force?: boolean;
  now?: Date;
  onProgress?: (message: string) => void;
}

export interface SeedResult {
  seeded: boolean;
  summary: string;
}

export class SeedRefusedError extends Error {}

function startOfUtcDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

export async function seedDemo(db: Db, opts: SeedOptions): Promise<SeedResult> {
  const progress = opts.onProgress ?? (() => {});
  const [marker] = await db.select().from(settings).where(eq(settings.key, MARKER_KEY)).limit(1);
  if (marker) {
    if (opts.demoPasswords) await ensureDemoPasswords(db);
    const at = (marker.value as { at?: string }).at ?? 'an earlier start';
    return { seeded: false, summary: `already seeded (${at})` };
  }
  const [{ n }] = (await db.select({ n: count() }).from(people)) as [{ n: number }];
  if (Number(n) > 0 && !opts.force) {
    throw new SeedRefusedError(`the database already holds ${n} people that are not the demo organisation; pass --force to add the demo anyway.`);
  }
  const now = opts.now ?? new Date();
  progress('Generating a year of change history…');
  const history = generateHistory({ from: HISTORY_FROM, to: startOfUtcDay(now), seed: DEMO_SEED });
  const pending = pendingChanges(now);
  const passwordHash = opts.demoPasswords ? await hashPassword(DEMO_PASSWORD) : null;
  progress(`Loading ${seedServices.length} services, ${seedPeople.length} people, ${history.changes.length + pending.length} changes…`);
  const stats = await db.transaction((tx) => loadAll(tx, { history, pending, passwordHash, now, progress }));
  return { seeded: true, summary: stats };
}

/** The only people who may ever hold the public demo password: the seeded demo humans. */
export const DEMO_HANDLES: readonly string[] = seedPeople.filter((p) => !p.isBot).map((p) => p.handle);

/**
 * Gives the demo people without a password the demo password again; never anyone an
 * administrator added later (a VP created on the demo would otherwise get a public password).
 */
async function ensureDemoPasswords(db: Db): Promise<void> {
  const hash = await hashPassword(DEMO_PASSWORD);
  await db
    .update(people)
    .set({ passwordHash: hash })
    .where(and(isNull(people.passwordHash), eq(people.isBot, false), inArray(people.handle, [...DEMO_HANDLES])));
}

interface LoadInput {
  history: { changes: SeedChange[]; incidents: SeedIncident[] };
  pending: SeedChange[];
  passwordHash: string | null;
  now: Date;
  progress: (m: string) => void;
}

async function loadAll(tx: Tx, input: LoadInput): Promise<string> {
  const { history, pending, passwordHash, now, progress } = input;

  // The organisation.
  await tx.insert(teams).values(seedTeams).onConflictDoNothing();
  const svcRows = await tx
    .insert(services)
    .values(
      seedServices.map((s) => ({
        slug: s.slug,
        name: s.name,
        tier: s.tier,
        team: s.team,
        system: s.system,
        entityKind: s.entityKind,
        type: s.type,
        description: s.description,
        repo: s.repo,
        annotations: { 'countersign.dev/tier': String(s.tier) },
      })),
    )
    .returning({ id: services.id, slug: services.slug, tier: services.tier, team: services.team });
  const svcBySlug = new Map<string, GraphService>(svcRows.map((r) => [r.slug, { ...r, tier: r.tier as Tier }]));
  const edges = seedServices.flatMap((s) => s.dependsOn.map((d) => ({ serviceId: svcBySlug.get(s.slug)!.id, dependsOnId: svcBySlug.get(d)!.id })));
  if (edges.length) await tx.insert(serviceDependencies).values(edges);
  await bumpCatalogVersion(tx);
  const graph = buildServiceGraph({ services: [...svcBySlug.values()], edges });

  const personRows = await tx
    .insert(people)
    .values(
      seedPeople.map((p) => ({
        handle: p.handle,
        name: p.name,
        title: p.title ?? null,
        email: p.email,
        level: p.level,
        role: p.role,
        team: p.team,
        isBot: p.isBot,
        githubLogin: p.githubLogin,
        passwordHash: p.isBot ? null : passwordHash,
        createdAt: HISTORY_FROM,
      })),
    )
    .returning();
  const personBy = new Map(personRows.map((p) => [p.handle, p]));

  // Changes, in the order they happened, each assessed with the context of its day.
  const all = [...history.changes, ...pending].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const incidentsSorted = [...history.incidents].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  const filesByExternalId = new Map<string, string[]>();
  const prior = new Map<string, number>();
  const audit: AuditInput[] = [];
  type Prepared = { seed: SeedChange; contents: RevisionContent[]; row: typeof changes.$inferInsert; risks: { score: number; level: string; factors: unknown }[] };
  const prepared: Prepared[] = [];

  progress('Assessing the history…');
  for (const c of all) {
    const touched = c.services.map((s) => svcBySlug.get(s)!).filter(Boolean);
    const author = personBy.get(c.author)!;
    const contents = c.revisions.map((r) => readRevisionContent(r.diff, r.terraformPlan));
    const priorCount = Math.max(0, ...c.services.map((s) => prior.get(`${c.author}|${s}`) ?? 0));
    const risks = contents.map((content, i) => {
      const asOf = c.revisions[i]!.createdAt;
      const a = assessChange({
        kind: c.kind,
        aiLevel: c.ai.level,
        aiTool: c.ai.tool,
        environment: c.environment,
        preDeployValidation: c.preDeploy,
        files: content.files,
        plan: content.plan,
        touched,
        graph,
        recentIncidents: recentIncidentsFor(incidentsSorted, c.services, asOf, filesByExternalId),
        authorPriorChanges: priorCount,
        authorIsBot: author.isBot,
        policy: DEFAULT_POLICY.approvals,
      });
      return a;
    });
    const last = risks[risks.length - 1]!;
    const lastIdx = c.revisions.length - 1;
    const coauthorIds = c.coAuthors.map((h) => personBy.get(h)!.id);
    const decisions = c.approvals.map((ap) => {
      const p = personBy.get(ap.person)!;
      const refusal = checkApprover(
        { id: p.id, isBot: p.isBot, level: p.level, role: p.role as Role, deactivated: false },
        { authorId: author.id, coauthorIds },
        last.requirement,
        DEFAULT_POLICY.approvals,
      );
      return { personId: p.id, decision: ap.decision, revisionId: ap.revision, withdrawn: false, eligible: refusal === null };
    });
    const state = tallyApprovals(decisions, lastIdx, last.requirement.required);
    const lastDeploy = c.deployments[c.deployments.length - 1];
    const status =
      c.status === 'pending' || c.status === 'approved'
        ? statusFor({ status: 'pending' }, { requirement: last.requirement, state, decisions: [], coauthorIds, breakGlassActive: false })
        : c.status;
    prepared.push({
      seed: c,
      contents,
      risks: risks.map((r) => ({ score: r.risk.score, level: r.risk.level, factors: r.risk.factors })),
      row: {
        externalId: c.externalId,
        repo: c.repo,
        title: c.title,
        description: c.description,
        url: `https://github.example/${c.externalId.replace('#', '/pull/')}`,
        authorId: author.id,
        kind: c.kind,
        aiLevel: c.ai.level,
        aiTool: c.ai.tool,
        aiEvidence: c.ai.level === 'none' ? [] : [{ source: 'submission', detail: `Declared ${c.ai.level}${c.ai.tool ? ` (${c.ai.tool})` : ''} by the pipeline` }],
        environment: c.environment,
        preDeployValidation: c.preDeploy,
        status,
        source: 'seed',
        ...assessmentColumns(last),
        requiredApprovals: last.requirement.required,
        validApprovals: state.valid,
        createdAt: c.createdAt,
        updatedAt: lastDeploy?.at ?? c.revisions[lastIdx]!.createdAt,
        closedAt: c.status === 'deployed' || c.status === 'rolled_back' || c.status === 'rejected' ? (lastDeploy?.at ?? c.approvals.at(-1)?.at ?? null) : null,
      },
    });
    filesByExternalId.set(c.externalId, contents[lastIdx]!.files.map((f) => f.path));
    if (c.status === 'deployed' || c.status === 'rolled_back') for (const s of c.services) prior.set(`${c.author}|${s}`, (prior.get(`${c.author}|${s}`) ?? 0) + 1);
  }

  progress('Writing changes and revisions…');
  const changeIds = new Map<string, number>();
  for (let i = 0; i < prepared.length; i += 300) {
    const rows = await tx.insert(changes).values(prepared.slice(i, i + 300).map((p) => p.row)).returning({ id: changes.id, externalId: changes.externalId });
    for (const r of rows) changeIds.set(r.externalId, r.id);
  }
  const csRows = prepared.flatMap((p) => p.seed.services.map((s) => ({ changeId: changeIds.get(p.seed.externalId)!, serviceId: svcBySlug.get(s)!.id })));
  for (let i = 0; i < csRows.length; i += 2000) await tx.insert(changeServices).values(csRows.slice(i, i + 2000)).onConflictDoNothing();
  const coRows = prepared.flatMap((p) => p.seed.coAuthors.map((h) => ({ changeId: changeIds.get(p.seed.externalId)!, personId: personBy.get(h)!.id })));
  if (coRows.length) await tx.insert(changeCoauthors).values(coRows).onConflictDoNothing();

  const revIds = new Map<string, number[]>();
  const revRows = prepared.flatMap((p) =>
    p.contents.map((content, i) => ({
      changeId: changeIds.get(p.seed.externalId)!,
      number: i + 1,
      sha: content.sha,
      diff: content.diff,
      terraformPlan: content.planJson,
      additions: content.additions,
      deletions: content.deletions,
      filesChanged: content.files.length,
      riskScore: p.risks[i]!.score,
      riskLevel: p.risks[i]!.level,
      riskFactors: p.risks[i]!.factors as never,
      createdAt: p.seed.revisions[i]!.createdAt,
    })),
  );
  const changeById = new Map([...changeIds].map(([ext, id]) => [id, ext]));
  for (let i = 0; i < revRows.length; i += 300) {
    const batch = revRows.slice(i, i + 300);
    const rows = await tx.insert(revisions).values(batch).returning({ id: revisions.id, changeId: revisions.changeId, number: revisions.number });
    for (const r of rows) {
      const ext = changeById.get(r.changeId)!;
      const list = revIds.get(ext) ?? [];
      list[r.number - 1] = r.id;
      revIds.set(ext, list);
    }
  }
  await insertRevisionFileRows(
    tx,
    prepared.flatMap((p) => p.contents.flatMap((content, i) => revisionFileRows(revIds.get(p.seed.externalId)![i]!, content))),
  );

  // Approvals bind to the revision that was current when they were given: step through revisions.
  progress('Recording sign-offs, gate decisions and deployments…');
  const maxRevs = Math.max(...prepared.map((p) => p.contents.length));
  for (let k = 0; k < maxRevs; k++) {
    const current = prepared.filter((p) => p.contents.length > k).map((p) => [changeIds.get(p.seed.externalId)!, revIds.get(p.seed.externalId)![k]!] as const);
    for (let i = 0; i < current.length; i += 1000) {
      const values = sql.join(current.slice(i, i + 1000).map(([c, r]) => sql`(${c}::int, ${r}::int)`), sql`, `);
      await tx.execute(sql`update changes set current_revision_id = v.rev from (values ${values}) as v(id, rev) where changes.id = v.id`);
    }
    const rows = prepared.flatMap((p) =>
      p.seed.approvals
        .filter((a) => a.revision === k)
        .map((a) => ({
          changeId: changeIds.get(p.seed.externalId)!,
          revisionId: revIds.get(p.seed.externalId)![k]!,
          personId: personBy.get(a.person)!.id,
          decision: a.decision,
          comment: a.comment,
          createdAt: a.at,
        })),
    );
    for (let i = 0; i < rows.length; i += 1000) await tx.insert(approvals).values(rows.slice(i, i + 1000));
  }

  const gateRows: (typeof gateDecisions.$inferInsert)[] = [];
  const deployRows: ((typeof deployments.$inferInsert) & { gateIndex: number | null })[] = [];
  for (const p of prepared) {
    const changeId = changeIds.get(p.seed.externalId)!;
    const lastRev = revIds.get(p.seed.externalId)!.at(-1)!;
    const row = p.row;
    for (const d of p.seed.deployments) {
      const by = personBy.get(d.by);
      let gateIndex: number | null = null;
      if (d.viaGate) {
        gateIndex = gateRows.length;
        const answer = evaluateGate({
          status: 'approved',
          environment: p.seed.environment,
          requestedEnvironment: d.environment,
          currentRevisionId: lastRev,
          requirement: { required: row.requiredApprovals ?? 0, minLevel: 7, effectiveTier: (row.topTier ?? 3) as Tier, because: [] },
          state: { required: row.requiredApprovals ?? 0, valid: row.validApprovals ?? 0, rejects: 0, approverIds: [] },
          preDeployValidation: true,
          breakGlassActive: false,
        });
        gateRows.push({
          changeId,
          revisionId: lastRev,
          changeRef: p.seed.externalId,
          environment: d.environment,
          allowed: true,
          reasons: answer.allowed ? answer.reasons : ['approved'],
          required: row.requiredApprovals ?? 0,
          valid: row.validApprovals ?? 0,
          actorId: by?.id ?? null,
          createdAt: new Date(d.at.getTime() - 3 * 60_000),
        });
      }
      deployRows.push({
        changeId,
        revisionId: lastRev,
        environment: d.environment,
        status: d.status,
        bypass: !d.viaGate && d.environment === 'production',
        deployedById: by?.id ?? null,
        source: 'seed',
        createdAt: d.at,
        gateIndex,
      });
    }
  }
  const gateIds: number[] = [];
  for (let i = 0; i < gateRows.length; i += 1000) {
    const rows = await tx.insert(gateDecisions).values(gateRows.slice(i, i + 1000)).returning({ id: gateDecisions.id });
    gateIds.push(...rows.map((r) => r.id));
  }
  const deployIds: number[] = [];
  for (let i = 0; i < deployRows.length; i += 1000) {
    const rows = await tx
      .insert(deployments)
      .values(deployRows.slice(i, i + 1000).map(({ gateIndex, ...d }) => ({ ...d, gateDecisionId: gateIndex === null ? null : gateIds[gateIndex]! })))
      .returning({ id: deployments.id });
    deployIds.push(...rows.map((r) => r.id));
  }

  // Incidents, linked to the changes that caused them.
  const incRows = await tx
    .insert(incidents)
    .values(
      history.incidents.map((i) => ({
        externalId: i.externalId,
        title: i.title,
        severity: i.severity,
        startedAt: i.startedAt,
        resolvedAt: i.resolvedAt,
        causeChangeId: i.causeChangeExternalId ? (changeIds.get(i.causeChangeExternalId) ?? null) : null,
        lostOrders: i.lostOrders,
        ordersDropPct: i.ordersDropPct,
        impact: i.impact,
        summary: i.summary,
        lessons: i.lessons,
        createdAt: i.startedAt,
      })),
    )
    .returning({ id: incidents.id, externalId: incidents.externalId });
  const incId = new Map(incRows.map((r) => [r.externalId, r.id]));
  const isRows = history.incidents.flatMap((i) => i.services.map((s) => ({ incidentId: incId.get(i.externalId)!, serviceId: svcBySlug.get(s)!.id })));
  if (isRows.length) await tx.insert(incidentServices).values(isRows).onConflictDoNothing();

  const woRows = seedWatchouts.map((w) => ({
    authorId: personBy.get(w.author)!.id,
    scope: w.scope,
    serviceId: w.service ? svcBySlug.get(w.service)!.id : null,
    pattern: w.pattern,
    text: w.text,
    createdAt: w.createdAt,
  }));
  const woIds = await tx.insert(watchouts).values(woRows).returning({ id: watchouts.id });

  // The audit trail of all of it, in the order it happened.
  progress('Chaining the audit trail…');
  for (const p of prepared) {
    const changeId = changeIds.get(p.seed.externalId)!;
    const author = p.seed.author;
    const base = { subjectType: 'change', subjectId: changeId, changeId };
    p.seed.revisions.forEach((r, i) => {
      audit.push({
        ...base,
        actorId: personBy.get(author)!.id,
        actor: author,
        action: i === 0 ? 'change.submitted' : 'change.revised',
        occurredAt: r.createdAt,
        payload: {
          externalId: p.seed.externalId,
          title: p.seed.title,
          services: p.seed.services,
          kind: p.seed.kind,
          ai: p.seed.ai,
          environment: p.seed.environment,
          revision: { number: i + 1, sha: p.contents[i]!.sha },
          risk: { score: p.risks[i]!.score, level: p.risks[i]!.level },
          source: 'seed',
        },
      });
    });
    for (const a of p.seed.approvals) {
      audit.push({
        ...base,
        actorId: personBy.get(a.person)!.id,
        actor: a.person,
        action: a.decision === 'approve' ? 'approval.approved' : 'approval.rejected',
        occurredAt: a.at,
        payload: { externalId: p.seed.externalId, revision: a.revision + 1, comment: a.comment },
      });
    }
  }
  gateRows.forEach((g, i) =>
    audit.push({
      actorId: g.actorId ?? null,
      actor: g.actorId ? personRows.find((p) => p.id === g.actorId)!.handle : 'pipeline',
      action: 'gate.decided',
      subjectType: 'gate_decision',
      subjectId: gateIds[i]!,
      changeId: g.changeId!,
      occurredAt: g.createdAt!,
      payload: { change: g.changeRef, environment: g.environment, allowed: g.allowed, reasons: g.reasons, approvals: { required: g.required, valid: g.valid } },
    }),
  );
  deployRows.forEach((d, i) =>
    audit.push({
      actorId: d.deployedById ?? null,
      actor: d.deployedById ? personRows.find((p) => p.id === d.deployedById)!.handle : 'pipeline',
      action: d.bypass ? 'deployment.bypassed' : 'deployment.recorded',
      subjectType: 'deployment',
      subjectId: deployIds[i]!,
      changeId: d.changeId,
      occurredAt: d.createdAt!,
      payload: { environment: d.environment, status: d.status, bypass: d.bypass, gateDecisionId: d.gateIndex === null ? null : gateIds[d.gateIndex]! },
    }),
  );
  history.incidents.forEach((i) =>
    audit.push({
      actorId: null,
      actor: 'incident-tracker',
      action: 'incident.recorded',
      subjectType: 'incident',
      subjectId: incId.get(i.externalId)!,
      changeId: i.causeChangeExternalId ? (changeIds.get(i.causeChangeExternalId) ?? null) : null,
      occurredAt: i.resolvedAt ?? i.startedAt,
      payload: { externalId: i.externalId, title: i.title, severity: i.severity, services: i.services, lostOrders: i.lostOrders, cause: i.causeChangeExternalId },
    }),
  );
  seedWatchouts.forEach((w, i) =>
    audit.push({
      actorId: personBy.get(w.author)!.id,
      actor: w.author,
      action: 'watchout.added',
      subjectType: 'watchout',
      subjectId: woIds[i]!.id,
      occurredAt: w.createdAt,
      payload: { scope: w.scope, service: w.service, pattern: w.pattern },
    }),
  );
  audit.sort((a, b) => a.occurredAt!.getTime() - b.occurredAt!.getTime());
  audit.push({ actorId: null, actor: 'system', action: 'seed.loaded', subjectType: 'organisation', subjectId: 'acme-retail', occurredAt: now, payload: { changes: prepared.length, incidents: history.incidents.length } });
  await appendAudit(tx, audit);

  const summary = `${svcRows.length} services, ${personRows.length} people, ${prepared.length} changes (${pending.length} pending), ${history.incidents.length} incidents, ${audit.length} audit events`;
  await tx.insert(settings).values({ key: MARKER_KEY, value: { at: now.toISOString(), seed: DEMO_SEED, summary } });
  return summary;
}

function recentIncidentsFor(sorted: SeedIncident[], slugs: string[], asOf: Date, filesByExternalId: Map<string, string[]>): RiskInput['recentIncidents'] {
  const since = asOf.getTime() - INCIDENT_WINDOW_DAYS * 86_400_000;
  const out: RiskInput['recentIncidents'] = [];
  for (const i of sorted) {
    const t = i.startedAt.getTime();
    if (t >= asOf.getTime()) break;
    if (t < since) continue;
    const overlap = i.services.filter((s) => slugs.includes(s));
    if (!overlap.length) continue;
    out.push({
      severity: i.severity,
      title: i.title,
      startedAt: i.startedAt,
      serviceSlugs: i.services,
      causedByPaths: i.causeChangeExternalId ? filesByExternalId.get(i.causeChangeExternalId) : undefined,
    });
  }
  return out;
}
