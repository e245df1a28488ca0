// Triage of what ingestion could not place: map a repository's paths to a service (the open
// unmapped changes of that repository are re-submitted with their services at once), and retry
// fetching a pull request whose diff could not be fetched.
import { globProblem } from '@/lib/glob/glob';
import { and, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/db/client';
import { changeCoauthors, changes, pathMappings, people, revisionFiles, revisions, services } from '@/db/schema';
import { appendAudit } from '@/lib/audit/chain';
import { resolveChangeRef } from '@/lib/changes/ref';
import { SubmitChangeInput } from '@/lib/changes/schema';
import { submitChange, type SubmitActor } from '@/lib/changes/submit';
import { notFound, unprocessable } from '@/lib/errors';
import { REWEIGHABLE_STATUSES } from '@/lib/approvals/refresh';
import { enqueueJob } from '@/lib/jobs/queue';
import { GITHUB_SYNC_JOB } from './events';
import { mapRepoPaths } from './mapping';

export interface TriageItem {
  id: number;
  externalId: string;
  title: string;
  repo: string | null;
  url: string | null;
  source: string;
  unmapped: boolean;
  ingestError: string | null;
  hasRevision: boolean;
  createdAt: Date;
  /** Up to six paths to map: the unmapped ones when the change is partly mapped. */
  paths: string[];
  /** How many of its paths match no service (0 when nothing is mapped yet: all of them). */
  unmappedPaths: number;
  filesChanged: number;
}

/** Open changes that need an admin: unmapped to any service, or whose content could not be fetched. */
export async function listTriage(q: Queryable, limit = 100): Promise<TriageItem[]> {
  const rows = await q
    .select({
      id: changes.id,
      externalId: changes.externalId,
      title: changes.title,
      repo: changes.repo,
      url: changes.url,
      source: changes.source,
      unmapped: changes.unmapped,
      ingestError: changes.ingestError,
      unmappedPaths: changes.unmappedPaths,
      revisionId: changes.currentRevisionId,
      filesChanged: revisions.filesChanged,
      createdAt: changes.createdAt,
    })
    .from(changes)
    .leftJoin(revisions, eq(revisions.id, changes.currentRevisionId))
    .where(and(or(eq(changes.unmapped, true), sql`${changes.ingestError} is not null`), isNull(changes.closedAt), inArray(changes.status, [...REWEIGHABLE_STATUSES])))
    .orderBy(desc(changes.createdAt), desc(changes.id))
    .limit(limit);
  const revIds = rows.map((r) => r.revisionId).filter((x): x is number => x !== null);
  const files = revIds.length
    ? await q.select({ revisionId: revisionFiles.revisionId, path: revisionFiles.path }).from(revisionFiles).where(and(inArray(revisionFiles.revisionId, revIds), sql`${revisionFiles.position} < 6`))
    : [];
  return rows.map(({ revisionId, filesChanged, unmappedPaths, ...r }) => ({
    ...r,
    hasRevision: revisionId !== null,
    filesChanged: filesChanged ?? 0,
    unmappedPaths: unmappedPaths.length,
    paths: unmappedPaths.length ? unmappedPaths.slice(0, 6) : files.filter((f) => f.revisionId === revisionId).map((f) => f.path),
  }));
}

export interface AddMappingInput {
  repo: string;
  pathGlob: string;
  service: string;
}

export interface AddMappingResult {
  mapping: { id: number; repo: string; pathGlob: string; service: string; created: boolean };
  remapped: { id: number; externalId: string; services: string[] }[];
  /** Unmapped changes of the repository with no content yet: a fetch was queued for each. */
  refetching: string[];
}

/** Re-submits a recorded change with new services: same content (no new revision), re-assessed. */
async function resubmit(tx: Db, changeId: number, slugs: string[], actor: SubmitActor) {
  const [c] = await tx.select().from(changes).where(eq(changes.id, changeId));
  if (!c?.currentRevisionId) return null;
  const [rev] = await tx.select({ diff: revisions.diff, plan: revisions.terraformPlan }).from(revisions).where(eq(revisions.id, c.currentRevisionId));
  const [author] = await tx.select({ handle: people.handle }).from(people).where(eq(people.id, c.authorId));
  const co = await tx.select({ handle: people.handle }).from(changeCoauthors).innerJoin(people, eq(people.id, changeCoauthors.personId)).where(eq(changeCoauthors.changeId, c.id));
  const input = SubmitChangeInput.parse({
    externalId: c.externalId,
    repo: c.repo,
    title: c.title,
    description: c.description,
    url: c.url,
    author: author!.handle,
    coAuthors: co.map((p) => p.handle),
    services: slugs,
    kind: c.kind,
    ai: { level: c.aiLevel, tool: c.aiTool },
    environment: c.environment,
    validation: { preDeploy: c.preDeployValidation },
    diff: rev?.diff || null,
    terraformPlan: (rev?.plan as Record<string, unknown> | null) ?? null,
  });
  return submitChange(tx, input, actor, { source: c.source as 'api' | 'cli' | 'github', aiEvidence: c.aiEvidence, allowUnmapped: true });
}

export async function addPathMapping(db: Db, input: AddMappingInput, actor: SubmitActor): Promise<AddMappingResult> {
  const repo = input.repo.trim();
  const pathGlob = input.pathGlob.trim() || '**';
  const problem = globProblem(pathGlob);
  if (problem) throw unprocessable('invalid_glob', `pathGlob: ${problem}.`);
  return db.transaction(async (tx) => {
    const [svc] = await tx.select({ id: services.id, slug: services.slug }).from(services).where(eq(services.slug, input.service));
    if (!svc) throw unprocessable('unknown_service', `Unknown service ${input.service}: import it into the catalog first.`);
    const inserted = await tx.insert(pathMappings).values({ repo, pathGlob, serviceId: svc.id }).onConflictDoNothing().returning({ id: pathMappings.id });
    const [mapping] = inserted.length ? inserted : await tx.select({ id: pathMappings.id }).from(pathMappings).where(and(eq(pathMappings.repo, repo), eq(pathMappings.pathGlob, pathGlob), eq(pathMappings.serviceId, svc.id)));
    if (inserted.length) {
      await appendAudit(tx, { actorId: actor.personId, actor: actor.label, action: 'path_mapping.added', subjectType: 'path_mapping', subjectId: mapping!.id, payload: { repo, pathGlob, service: svc.slug } });
    }
    const result: AddMappingResult = { mapping: { id: mapping!.id, repo, pathGlob, service: svc.slug, created: inserted.length > 0 }, remapped: [], refetching: [] };
    const open = await tx
      .select({ id: changes.id, externalId: changes.externalId, revisionId: changes.currentRevisionId })
      .from(changes)
      .where(and(sql`lower(${changes.repo}) = ${repo.toLowerCase()}`, eq(changes.unmapped, true), isNull(changes.closedAt), inArray(changes.status, [...REWEIGHABLE_STATUSES])));
    for (const c of open) {
      if (!c.revisionId) {
        const m = /^(.+)#(\d+)$/.exec(c.externalId);
        if (m) {
          await enqueueJob(tx, { kind: GITHUB_SYNC_JOB, payload: { repo: m[1]!, number: Number(m[2]) }, dedupeKey: `github:sync:${c.externalId}` });
          result.refetching.push(c.externalId);
        }
        continue;
      }
      const paths = (await tx.select({ path: revisionFiles.path }).from(revisionFiles).where(eq(revisionFiles.revisionId, c.revisionId))).map((r) => r.path);
      const mapped = await mapRepoPaths(tx, repo, paths);
      if (!mapped.services.length) continue;
      await resubmit(tx, c.id, mapped.services, actor);
      result.remapped.push({ id: c.id, externalId: c.externalId, services: mapped.services });
    }
    return result;
  });
}

/** Queues a fresh fetch of a GitHub pull request now (its earlier attempts may be waiting on backoff). */
export async function retryIngest(db: Db, changeRef: string | number, actor: SubmitActor): Promise<{ externalId: string; jobId: number | null }> {
  return db.transaction(async (tx) => {
    const c = await resolveChangeRef(tx, changeRef);
    if (!c) throw notFound(`Change ${String(changeRef).trim().slice(0, 200)}`);
    const m = c.source === 'github' ? /^(.+)#(\d+)$/.exec(c.externalId) : null;
    if (!m) throw unprocessable('not_from_github', `${c.externalId} did not come from GitHub: its pipeline re-submits it (POST /api/v1/changes).`);
    const jobId = await enqueueJob(tx, { kind: GITHUB_SYNC_JOB, payload: { repo: m[1]!, number: Number(m[2]) }, dedupeKey: `github:sync:${c.externalId}` });
    await appendAudit(tx, { actorId: actor.personId, actor: actor.label, action: 'change.triaged', subjectType: 'change', subjectId: c.id, changeId: c.id, payload: { externalId: c.externalId, retry: true, ingestError: c.ingestError } });
    return { externalId: c.externalId, jobId };
  });
}

export async function listPathMappings(q: Queryable) {
  return q
    .select({ id: pathMappings.id, repo: pathMappings.repo, pathGlob: pathMappings.pathGlob, service: services.slug, createdAt: pathMappings.createdAt })
    .from(pathMappings)
    .innerJoin(services, eq(services.id, pathMappings.serviceId))
    .orderBy(pathMappings.repo, pathMappings.pathGlob);
}
