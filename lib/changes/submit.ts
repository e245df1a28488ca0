// Recording a change: create or update it by external id, add a revision when the
// content is new (same content → no new revision, so retries are idempotent), assess
// it, and append the audit events — all in one transaction.
import { and, eq, inArray, max, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { changeCoauthors, changes, changeServices, people, revisionFiles, revisions, services, type AiEvidence, type Change } from '@/db/schema';
import { refreshSignOff, requirementOf } from '@/lib/approvals/state';
import { appendAudit } from '@/lib/audit/chain';
import { getEnv } from '@/lib/env';
import { forbidden, unprocessable } from '@/lib/errors';
import { mapRepoPaths } from '@/lib/github/mapping';
import { getPolicy } from '@/lib/policy';
import { DEFAULT_ANALYSIS_BUDGET_MS } from '@/lib/risk';
import { requirementStrength, weakensRequirement } from '@/lib/policy/approvals';
import { assessChange, assessmentColumns, type Assessment } from './assess';
import { readRevisionContent, type RevisionContent } from './content';
import { loadAssessContext } from './context';
import { resolvePeople } from './people';
import type { SubmitChange } from './schema';

export interface SubmitActor {
  personId: number | null;
  label: string;
}

export interface SubmitOptions {
  source?: 'api' | 'cli' | 'github' | 'seed';
  /** Services may be empty: the change is recorded as unmapped, for triage. */
  allowUnmapped?: boolean;
  aiEvidence?: AiEvidence[];
  /** When it happened (seeding history); defaults to now. */
  at?: Date;
  /**
   * Sets when the change was abandoned (a pull request closed without merging), or null when it
   * was reopened; undefined leaves it as it is.
   */
  closedAt?: Date | null;
  /** The git commit this content is the head of (a pull request's head.sha), kept on its revision. */
  headCommit?: string | null;
  /** A merge commit that contains exactly this content (a merged pull request's merge_commit_sha): accepted for the revision too. */
  mergeCommit?: string | null;
  /**
   * The submission named no author (input.author is the caller): a change already recorded keeps its
   * author — decided under the change's row lock, so a concurrent first submission cannot be taken over.
   */
  authorDefaulted?: boolean;
  /**
   * The person (or pipeline bot account) who sent it through the API or the CLI. Recorded as the
   * submitter of a new change; an existing change may then be updated only by its submitter or its
   * author (403 not_submitter). Absent for trusted paths: GitHub ingestion, triage, the seed.
   */
  submittedBy?: number;
}

export interface SubmitResult {
  id: number;
  externalId: string;
  created: boolean;
  /** The author's handle: as named, or whoever the API defaulted it to. */
  author: string;
  revision: { number: number; sha: string; created: boolean };
  status: string;
  risk: { score: number; level: string };
  approvals: { required: number; valid: number };
}

export async function submitChange(db: Db, input: SubmitChange, actor: SubmitActor, opts: SubmitOptions = {}): Promise<SubmitResult> {
  // Parse outside the transaction: malformed content fails fast with 422 and writes nothing.
  const content = readRevisionContent(input.diff, input.terraformPlan);
  return db.transaction((tx) => submitInTx(tx, input, content, actor, opts));
}

export async function resolveServices(tx: Tx, slugs: string[], allowUnmapped: boolean) {
  const wanted = [...new Set(slugs)];
  if (!wanted.length) {
    if (allowUnmapped) return [];
    throw unprocessable('services_required', 'Name at least one touched service (services: ["checkout"]).');
  }
  const rows = await tx.select({ id: services.id, slug: services.slug }).from(services).where(inArray(services.slug, wanted));
  const missing = wanted.filter((s) => !rows.some((r) => r.slug === s));
  if (missing.length) throw unprocessable('unknown_service', `Unknown service ${missing.join(', ')}: import it into the catalog first.`);
  return rows;
}

async function submitInTx(tx: Tx, input: SubmitChange, content: RevisionContent, actor: SubmitActor, opts: SubmitOptions): Promise<SubmitResult> {
  const at = opts.at ?? new Date();
  const byHandle = await resolvePeople(tx, [input.author, ...input.coAuthors]);
  let author = byHandle.get(input.author)!;
  // Services come from the repository's mappings and the catalog; declared ones may add, never remove.
  const mapping = input.repo ? await mapRepoPaths(tx, input.repo, content.files.map((f) => f.path)) : null;
  // An update through the API keeps every service recorded before: only GitHub's own mapping re-derives them.
  const recorded = opts.submittedBy !== undefined ? await recordedServiceSlugs(tx, input.externalId) : [];
  const svc = await resolveServices(tx, [...(mapping?.services ?? []), ...input.services, ...recorded], opts.allowUnmapped ?? false);
  // Paths of a partly mapped repository that no mapping claims: blocked until triaged (fail closed).
  const unmappedPaths = mapping?.services.length ? mapping.unmappedPaths.slice(0, MAX_UNMAPPED_PATHS) : [];
  const serviceIds = svc.map((s) => s.id).sort((a, b) => a - b);
  const environment = input.environment.toLowerCase();
  const meta = {
    repo: input.repo ?? null,
    title: input.title,
    description: input.description,
    url: input.url ?? null,
    authorId: author.id,
    kind: input.kind,
    aiLevel: input.ai.level,
    aiTool: input.ai.tool ?? null,
    environment,
    preDeployValidation: input.validation?.preDeploy ?? null,
    unmapped: serviceIds.length === 0 || unmappedPaths.length > 0,
    unmappedPaths,
    ...(opts.aiEvidence ? { aiEvidence: opts.aiEvidence } : {}),
  };

  let [change] = await tx.select().from(changes).where(eq(changes.externalId, input.externalId)).for('update');
  let created = false;
  if (!change) {
    const inserted = await tx
      .insert(changes)
      .values({ externalId: input.externalId, ...meta, submitterId: opts.submittedBy ?? null, source: opts.source ?? 'api', createdAt: at, updatedAt: at })
      .onConflictDoNothing()
      .returning();
    if (inserted[0]) {
      change = inserted[0];
      created = true;
    } else {
      // Another request created it a moment ago: continue as an update.
      [change] = await tx.select().from(changes).where(eq(changes.externalId, input.externalId)).for('update');
    }
  }
  if (!change) throw new Error('change could not be created or found');
  if (!created && opts.submittedBy !== undefined) await assertSubmitter(tx, change, opts.submittedBy);
  if (opts.authorDefaulted && !created && change.authorId !== author.id) {
    const [recorded] = await tx.select().from(people).where(eq(people.id, change.authorId));
    if (recorded) author = recorded;
    meta.authorId = change.authorId;
  }
  const coauthorIds = [...new Set(input.coAuthors.map((h) => byHandle.get(h)!.id))].filter((id) => id !== author.id);

  const mappingChanged = change.unmapped !== meta.unmapped || change.unmappedPaths.join('\n') !== unmappedPaths.join('\n');
  const metaChanged = !created && (changedFields(change, meta) || mappingChanged);
  const closedChanged = !created && opts.closedAt !== undefined && (change.closedAt?.getTime() ?? null) !== (opts.closedAt?.getTime() ?? null);
  // Content arrived: an earlier failure to fetch it no longer stands.
  const errorCleared = !created && change.ingestError !== null;
  const oldServiceIds = created ? [] : (await tx.select({ id: changeServices.serviceId }).from(changeServices).where(eq(changeServices.changeId, change.id))).map((r) => r.id).sort((a, b) => a - b);
  const servicesChanged = created || oldServiceIds.join(',') !== serviceIds.join(',');
  if (servicesChanged) {
    await tx.delete(changeServices).where(eq(changeServices.changeId, change.id));
    if (serviceIds.length) await tx.insert(changeServices).values(serviceIds.map((serviceId) => ({ changeId: change.id, serviceId })));
  }
  const oldCoauthors = created ? [] : (await tx.select({ id: changeCoauthors.personId }).from(changeCoauthors).where(eq(changeCoauthors.changeId, change.id))).map((r) => r.id).sort((a, b) => a - b);
  const coauthorsChanged = [...coauthorIds].sort((a, b) => a - b).join(',') !== oldCoauthors.join(',');
  if (coauthorsChanged) {
    await tx.delete(changeCoauthors).where(eq(changeCoauthors.changeId, change.id));
    if (coauthorIds.length) await tx.insert(changeCoauthors).values(coauthorIds.map((personId) => ({ changeId: change.id, personId })));
  }

  const current = change.currentRevisionId
    ? (await tx.select({ id: revisions.id, sha: revisions.sha, number: revisions.number }).from(revisions).where(eq(revisions.id, change.currentRevisionId)))[0]
    : undefined;
  let newRevision = !current || current.sha !== content.sha;
  // Through the API a commit is the submitter's word: a commit the reviewed revision was not seen at
  // makes a new revision (earlier sign-offs stop counting), so nobody can attach another commit to
  // content that is already approved and then deploy that commit through the commit-bound gate.
  const commitAdded = !newRevision && !!current && opts.submittedBy !== undefined && !!opts.headCommit && !(await revisionSeenAt(tx, current.id, opts.headCommit));
  if (commitAdded) newRevision = true;
  const needsAssessment = newRevision || metaChanged || servicesChanged;

  let assessment: Assessment | null = null;
  if (needsAssessment) {
    const ctx = await loadAssessContext(tx, { serviceIds, authorId: author.id, asOf: at, excludeChangeId: change.id });
    assessment = assessChange({ ...ctx, kind: meta.kind, aiLevel: meta.aiLevel, aiTool: meta.aiTool, environment, preDeployValidation: meta.preDeployValidation, files: content.files, plan: content.plan, budgetMs: analysisBudgetMs() });
  }
  // Same content, but the update asks less of sign-off: it is a new revision, so earlier sign-offs stop counting.
  const requirementLowered = !newRevision && !created && assessment !== null && (await lowersRequirement(tx, change, { ...meta, ...assessmentColumns(assessment) }));
  if (requirementLowered) newRevision = true;

  let revision = current ? { id: current.id, number: current.number, sha: current.sha } : null;
  if (newRevision) {
    const [{ n }] = (await tx.select({ n: max(revisions.number) }).from(revisions).where(eq(revisions.changeId, change.id))) as [{ n: number | null }];
    const number = (n ?? 0) + 1;
    const [rev] = await tx
      .insert(revisions)
      .values({
        changeId: change.id,
        number,
        sha: content.sha,
        diff: content.diff,
        terraformPlan: content.planJson,
        additions: content.additions,
        deletions: content.deletions,
        filesChanged: content.files.length,
        riskScore: assessment!.risk.score,
        riskLevel: assessment!.risk.level,
        riskFactors: assessment!.risk.factors,
        headCommits: opts.headCommit ? [opts.headCommit] : [],
        createdAt: at,
      })
      .returning({ id: revisions.id });
    await insertRevisionFiles(tx, rev!.id, content);
    revision = { id: rev!.id, number, sha: content.sha };
  }
  // Same content at another commit (a rebase, an empty commit, the merge): the revision is that commit's too.
  const seenAt = newRevision ? [opts.mergeCommit] : [opts.headCommit, opts.mergeCommit];
  for (const commit of seenAt) {
    if (!commit || !revision) continue;
    await tx
      .update(revisions)
      .set({ headCommits: sql`array_append(${revisions.headCommits}, ${commit}::text)` })
      .where(and(eq(revisions.id, revision.id), sql`not (${commit}::text = any(${revisions.headCommits}))`));
  }

  if (needsAssessment || newRevision) {
    await tx
      .update(changes)
      .set({
        ...meta,
        currentRevisionId: revision!.id,
        ...assessmentColumns(assessment!),
        ingestError: null,
        // New content is not what was deployed or rejected: it waits for review again.
        ...(newRevision && !created ? { status: 'pending' as const, closedAt: null } : {}),
        ...(opts.closedAt !== undefined ? { closedAt: opts.closedAt } : {}),
        updatedAt: at,
      })
      .where(eq(changes.id, change.id));
  } else if (coauthorsChanged || closedChanged || errorCleared) {
    await tx
      .update(changes)
      .set({ ingestError: null, ...(opts.closedAt !== undefined ? { closedAt: opts.closedAt } : {}), updatedAt: at })
      .where(eq(changes.id, change.id));
  }

  const { change: after, signOff } = await refreshSignOff(tx, change.id);

  const events = [];
  const base = { actorId: actor.personId, actor: actor.label, subjectType: 'change', subjectId: change.id, changeId: change.id, occurredAt: at };
  if (created) {
    events.push({
      ...base,
      action: 'change.submitted',
      payload: {
        externalId: input.externalId,
        title: input.title,
        author: author.handle,
        services: svc.map((s) => s.slug),
        kind: meta.kind,
        ai: { level: meta.aiLevel, tool: meta.aiTool },
        environment,
        preDeploy: meta.preDeployValidation,
        revision: { number: revision!.number, sha: revision!.sha },
        risk: { score: after.riskScore, level: after.riskLevel },
        requiredApprovals: signOff.requirement.required,
        source: opts.source ?? 'api',
      },
    });
  } else if (newRevision) {
    events.push({
      ...base,
      action: 'change.revised',
      payload: {
        externalId: input.externalId,
        revision: { number: revision!.number, sha: revision!.sha },
        previousSha: current?.sha ?? null,
        ...(requirementLowered ? { reason: 'requirement_lowered' } : commitAdded ? { reason: 'commit_changed' } : {}),
        risk: { score: after.riskScore, level: after.riskLevel },
        supersededDecisions: signOff.decisions.filter((d) => d.invalidReason === 'superseded' && d.revisionId === current?.id).length,
      },
    });
  }
  if (!created && (metaChanged || servicesChanged || coauthorsChanged || closedChanged || errorCleared)) {
    const fields = describeChanges(change, meta, servicesChanged, coauthorsChanged);
    if (closedChanged) fields.push(opts.closedAt ? 'closed' : 'reopened');
    if (errorCleared) fields.push('ingestError');
    events.push({ ...base, action: 'change.updated', payload: { externalId: input.externalId, fields } });
  }
  if (events.length) await appendAudit(tx, events);

  return {
    id: change.id,
    externalId: change.externalId,
    created,
    author: author.handle,
    revision: { number: revision!.number, sha: revision!.sha, created: newRevision },
    status: after.status,
    risk: { score: after.riskScore, level: after.riskLevel },
    approvals: { required: signOff.requirement.required, valid: signOff.state.valid },
  };
}

export function revisionFileRows(revisionId: number, content: Pick<RevisionContent, 'files'>): (typeof revisionFiles.$inferInsert)[] {
  return content.files.map((f, position) => ({
    revisionId,
    position,
    path: f.path,
    oldPath: f.oldPath,
    status: f.status,
    binary: f.binary,
    language: f.language,
    additions: f.additions,
    deletions: f.deletions,
    flagged: f.hunks.reduce((n, h) => n + h.lines.filter((l) => l.flags?.length).length, 0),
    hunks: f.hunks,
  }));
}

/** Bounded batches: a big diff must not build one giant statement. */
export async function insertRevisionFileRows(tx: Tx, rows: (typeof revisionFiles.$inferInsert)[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) await tx.insert(revisionFiles).values(rows.slice(i, i + 200));
}

export async function insertRevisionFiles(tx: Tx, revisionId: number, content: Pick<RevisionContent, 'files'>): Promise<void> {
  await insertRevisionFileRows(tx, revisionFileRows(revisionId, content));
}

const MAX_UNMAPPED_PATHS = 200;

async function revisionSeenAt(tx: Tx, revisionId: number, commit: string): Promise<boolean> {
  const [r] = await tx.select({ headCommits: revisions.headCommits }).from(revisions).where(eq(revisions.id, revisionId));
  return !!r && r.headCommits.includes(commit);
}

async function recordedServiceSlugs(tx: Tx, externalId: string): Promise<string[]> {
  const rows = await tx
    .select({ slug: services.slug })
    .from(changeServices)
    .innerJoin(changes, eq(changes.id, changeServices.changeId))
    .innerJoin(services, eq(services.id, changeServices.serviceId))
    .where(eq(changes.externalId, externalId));
  return rows.map((r) => r.slug);
}

/** Only the submitter identity of a change (its pipeline account or its author) may update it. */
async function assertSubmitter(tx: Tx, change: Change, personId: number): Promise<void> {
  if (personId === change.authorId || (change.submitterId !== null && personId === change.submitterId)) return;
  const ids = [change.authorId, change.submitterId].filter((x): x is number => x !== null);
  const owners = await tx.select({ id: people.id, handle: people.handle }).from(people).where(inArray(people.id, ids));
  const name = (id: number | null) => owners.find((o) => o.id === id)?.handle;
  const who = [name(change.submitterId), name(change.authorId)].filter((h, i, all): h is string => !!h && all.indexOf(h) === i);
  const by = change.submitterId === null && change.source === 'github' ? 'its GitHub pull request or its author' : who.join(' or ') || 'its submitter';
  throw forbidden('not_submitter', `Change ${change.externalId} was submitted by someone else: only ${by} may update it. Submit your own change under a new externalId.`);
}

/** Whether an update of a change's facts (same content) would ask less of sign-off than what stands. */
async function lowersRequirement(tx: Tx, before: Change, after: Pick<Change, 'authorId' | 'environment' | 'topTier' | 'blastRadius' | 'riskLevel' | 'destructive' | 'aiLevel' | 'preDeployValidation'>): Promise<boolean> {
  const [{ approvals: policy }, authors] = await Promise.all([
    getPolicy(tx),
    tx.select({ id: people.id, isBot: people.isBot }).from(people).where(inArray(people.id, [before.authorId, after.authorId])),
  ]);
  const isBot = (id: number) => authors.find((p) => p.id === id)?.isBot ?? false;
  const strength = (c: typeof after) => requirementStrength(requirementOf(c, isBot(c.authorId), policy), c, policy);
  return weakensRequirement(strength(before), strength(after));
}

const META_FIELDS = ['repo', 'title', 'description', 'url', 'authorId', 'kind', 'aiLevel', 'aiTool', 'environment', 'preDeployValidation'] as const;

function changedFields(change: Change, meta: Partial<Record<(typeof META_FIELDS)[number], unknown>>): boolean {
  return META_FIELDS.some((k) => (change[k] ?? null) !== (meta[k] ?? null));
}

function describeChanges(change: Change, meta: Partial<Record<(typeof META_FIELDS)[number], unknown>>, services: boolean, coauthors: boolean): string[] {
  const fields: string[] = META_FIELDS.filter((k) => (change[k] ?? null) !== (meta[k] ?? null));
  if (services) fields.push('services');
  if (coauthors) fields.push('coAuthors');
  return fields;
}


/** The detectors' time budget for one submission: the gate never waits on a diff longer than this. */
export function analysisBudgetMs(): number {
  return getEnv().COUNTERSIGN_ANALYSIS_BUDGET_MS ?? DEFAULT_ANALYSIS_BUDGET_MS;
}
