// Re-scoring open changes when their context changes (a catalog import changes the dependency
// graph, an incident is recorded or linked to its cause): the current revision is assessed
// again from its stored files and plan, and the change's risk, blast radius and required
// approvals follow — in the caller's transaction, with an audit event per change that moved.
import { analysisBudgetMs } from './submit';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { changes, changeServices, people, revisionFiles, revisions, type Change } from '@/db/schema';
import type { AiLevel, ChangeKind, FileStatus } from '@/db/schema/enums';
import { refreshSignOff } from '@/lib/approvals/state';
import { appendAudit } from '@/lib/audit/chain';
import { computeBlastRadius } from '@/lib/graph/blast-radius';
import { loadCatalogGraph, type CatalogGraph } from '@/lib/graph/catalog';
import { getPolicy } from '@/lib/policy';
import { parseTerraformPlan } from '@/lib/risk';
import type { BlastRadius, DiffFile, GraphService } from '@/lib/risk/types';
import { assessChange, assessmentColumns } from './assess';
import { countAuthorPriorChanges, loadRecentIncidents } from './context';
import type { SubmitActor } from './submit';

/** Changes still waiting for (or holding) a sign-off: what a new context can still matter to. */
const OPEN_STATUSES = ['pending', 'approved'] as const;

export interface RescoredChange {
  id: number;
  externalId: string;
  before: { score: number; level: string; required: number; blastTotal: number; blastTier1: number };
  after: { score: number; level: string; required: number; blastTotal: number; blastTier1: number };
}

export interface RescoreOptions {
  reason: string;
  actor: SubmitActor;
  /** Only these changes (still only open ones); all open changes when absent. */
  changeIds?: number[];
  /** Only changes whose blast radius or touched tiers differ under the current graph (catalog imports). */
  onlyIfGraphChanged?: boolean;
}

function sameBlast(a: BlastRadius, b: BlastRadius): boolean {
  if (a.total !== b.total || a.tier1 !== b.tier1 || a.services.length !== b.services.length) return false;
  const key = (r: BlastRadius) => r.services.map((s) => `${s.slug}:${s.tier}:${s.depth}`).sort().join(',');
  return key(a) === key(b);
}

/** Open changes touching any of these services. */
export async function openChangesOnServices(tx: Tx, serviceIds: number[]): Promise<number[]> {
  if (!serviceIds.length) return [];
  const rows = await tx
    .selectDistinct({ id: changes.id })
    .from(changes)
    .innerJoin(changeServices, eq(changeServices.changeId, changes.id))
    .where(and(inArray(changeServices.serviceId, serviceIds), inArray(changes.status, [...OPEN_STATUSES]), isNull(changes.closedAt)));
  return rows.map((r) => r.id);
}

async function loadFiles(tx: Tx, revisionIds: number[]): Promise<Map<number, DiffFile[]>> {
  const out = new Map<number, DiffFile[]>();
  for (let i = 0; i < revisionIds.length; i += 500) {
    const rows = await tx.select().from(revisionFiles).where(inArray(revisionFiles.revisionId, revisionIds.slice(i, i + 500))).orderBy(revisionFiles.revisionId, revisionFiles.position);
    for (const r of rows) {
      const list = out.get(r.revisionId) ?? [];
      list.push({ path: r.path, oldPath: r.oldPath, status: r.status as FileStatus, binary: r.binary, additions: r.additions, deletions: r.deletions, language: r.language, hunks: r.hunks });
      out.set(r.revisionId, list);
    }
  }
  return out;
}

export async function rescoreChanges(tx: Tx, opts: RescoreOptions): Promise<RescoredChange[]> {
  if (opts.changeIds && !opts.changeIds.length) return [];
  const open = (ids?: number[]) => and(inArray(changes.status, [...OPEN_STATUSES]), isNull(changes.closedAt), ids ? inArray(changes.id, ids) : undefined);
  // Only the changes that will be re-scored are locked, so sign-offs on the others carry on meanwhile.
  const candidates = opts.onlyIfGraphChanged
    ? await tx.select().from(changes).where(open(opts.changeIds)).orderBy(changes.id)
    : await tx.select().from(changes).where(open(opts.changeIds)).orderBy(changes.id).for('update');
  if (!candidates.length) return [];
  const catalog: CatalogGraph = await loadCatalogGraph(tx);
  const links = await tx.select().from(changeServices).where(inArray(changeServices.changeId, candidates.map((c) => c.id)));
  const serviceIdsOf = new Map<number, number[]>();
  for (const l of links) serviceIdsOf.set(l.changeId, [...(serviceIdsOf.get(l.changeId) ?? []), l.serviceId]);

  const touchedOf = (c: Change): GraphService[] => (serviceIdsOf.get(c.id) ?? []).map((id) => catalog.byId.get(id)).filter((s): s is GraphService => !!s);
  const todo = opts.onlyIfGraphChanged
    ? candidates.filter((c) => {
        const touched = touchedOf(c);
        const topTier = touched.length ? Math.min(...touched.map((s) => s.tier)) : 3;
        return topTier !== c.topTier || !sameBlast(computeBlastRadius(catalog.graph, touched.map((s) => s.id)), c.blastRadius);
      })
    : candidates;
  if (!todo.length) return [];
  if (opts.onlyIfGraphChanged) {
    // Lock what will be written, and work from the rows as they are under the lock.
    const locked = await tx.select().from(changes).where(open(todo.map((c) => c.id))).orderBy(changes.id).for('update');
    todo.splice(0, todo.length, ...locked);
  }

  const revisionIds = todo.map((c) => c.currentRevisionId).filter((id): id is number => id !== null);
  const [policy, files, plans, authors] = await Promise.all([
    getPolicy(tx),
    loadFiles(tx, revisionIds),
    revisionIds.length ? tx.select({ id: revisions.id, plan: revisions.terraformPlan }).from(revisions).where(inArray(revisions.id, revisionIds)) : Promise.resolve([]),
    tx.select({ id: people.id, isBot: people.isBot }).from(people).where(inArray(people.id, [...new Set(todo.map((c) => c.authorId))])),
  ]);
  const planOf = new Map(plans.map((p) => [p.id, p.plan]));
  const botOf = new Map(authors.map((a) => [a.id, a.isBot]));
  const now = new Date();
  const out: RescoredChange[] = [];

  for (const c of todo) {
    const touched = touchedOf(c);
    const ids = touched.map((s) => s.id);
    const [recentIncidents, authorPriorChanges] = await Promise.all([loadRecentIncidents(tx, ids, now), countAuthorPriorChanges(tx, c.authorId, ids, now, c.id)]);
    const planJson = c.currentRevisionId ? planOf.get(c.currentRevisionId) : null;
    const a = assessChange({
      kind: c.kind as ChangeKind,
      aiLevel: c.aiLevel as AiLevel,
      aiTool: c.aiTool,
      environment: c.environment,
      preDeployValidation: c.preDeployValidation,
      files: c.currentRevisionId ? (files.get(c.currentRevisionId) ?? []) : [],
      plan: planJson ? parseTerraformPlan(planJson) : null,
      touched,
      graph: catalog.graph,
      recentIncidents,
      authorPriorChanges,
      authorIsBot: botOf.get(c.authorId) ?? false,
      policy: policy.approvals,
      budgetMs: analysisBudgetMs(),
    });
    const unchanged =
      a.risk.score === c.riskScore && a.risk.level === c.riskLevel && a.risk.destructive === c.destructive && a.topTier === c.topTier && sameBlast(a.blast, c.blastRadius) && JSON.stringify(a.risk.factors) === JSON.stringify(c.riskFactors);
    if (unchanged) continue;
    await tx
      .update(changes)
      .set({
        ...assessmentColumns(a),
        updatedAt: now,
      })
      .where(eq(changes.id, c.id));
    // The current revision shows the risk it has now; older revisions keep theirs.
    if (c.currentRevisionId) {
      await tx.update(revisions).set({ riskScore: a.risk.score, riskLevel: a.risk.level, riskFactors: a.risk.factors }).where(eq(revisions.id, c.currentRevisionId));
    }
    const { change: after } = await refreshSignOff(tx, c.id);
    const entry: RescoredChange = {
      id: c.id,
      externalId: c.externalId,
      before: { score: c.riskScore, level: c.riskLevel, required: c.requiredApprovals, blastTotal: c.blastTotal, blastTier1: c.blastTier1 },
      after: { score: after.riskScore, level: after.riskLevel, required: after.requiredApprovals, blastTotal: after.blastTotal, blastTier1: after.blastTier1 },
    };
    out.push(entry);
    await appendAudit(tx, {
      actorId: opts.actor.personId,
      actor: opts.actor.label,
      action: 'change.rescored',
      subjectType: 'change',
      subjectId: c.id,
      changeId: c.id,
      occurredAt: now,
      payload: { externalId: c.externalId, reason: opts.reason, before: entry.before, after: entry.after, status: after.status },
    });
  }
  return out;
}
