// Brings a pull request into Countersign: its current state, diff and commits from the GitHub
// API (so jobs that run late or out of order still converge on the latest state), its services
// from the path mappings and the catalog, its AI involvement with evidence, then submitChange.
// When the diff cannot be fetched, the change is still recorded with the error and the job retries.
import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { changes, changeServices, people, services, type AiEvidence, type Change, type Person } from '@/db/schema';
import type { AiLevel } from '@/db/schema/enums';
import { recordIngestError } from '@/lib/changes/ingest-error';
import { SubmitChangeInput, SubmitChangeMeta, type SubmitChangeMetaOutput } from '@/lib/changes/schema';
import { submitChange, type SubmitActor, type SubmitResult } from '@/lib/changes/submit';
import { AppError } from '@/lib/errors';
import { RetryLater } from '@/lib/jobs/worker';
import { parseUnifiedDiff } from '@/lib/risk';
import { isRiskInputError } from '@/lib/risk/errors';
import { detectAi, maxAiLevel, trailersOf } from './ai-detect';
import { githubClient, GithubApiError, type GithubClient, type GithubCommit, type GithubPull } from './client';
import { inferKind, mapRepoPaths } from './mapping';
import { ensureGithubPeople, peopleFromTrailers } from './people';
import { getAiDetectionSettings } from './settings';

export const GITHUB_ACTOR: SubmitActor = { personId: null, label: 'github' };

export function externalIdOf(repo: string, number: number): string {
  return `${repo}#${number}`;
}

export interface SyncRequest {
  repo: string;
  number: number;
  /** The pull request as the webhook delivered it: used when the API cannot be reached. */
  fallback?: GithubPull | null;
  client?: GithubClient;
}

export interface SyncOutcome {
  result: SubmitResult;
  services: string[];
  ai: { level: AiLevel; tool: string | null };
}

/** Paths a diff touches, without failing on a diff the risk engine will refuse anyway. */
function pathsOf(diff: string): string[] {
  try {
    return parseUnifiedDiff(diff).map((f) => f.path);
  } catch {
    return [];
  }
}

async function findChange(db: Db, externalId: string): Promise<Change | undefined> {
  return (await db.select().from(changes).where(eq(changes.externalId, externalId)).limit(1))[0];
}

async function serviceSlugsOf(db: Db, changeId: number): Promise<string[]> {
  const rows = await db.select({ slug: services.slug }).from(changeServices).innerJoin(services, eq(services.id, changeServices.serviceId)).where(eq(changeServices.changeId, changeId));
  return rows.map((r) => r.slug).sort();
}

/** What a pipeline declared (CLI/API submission) is kept: GitHub evidence adds to it, never lowers it. */
function declaredAi(existing: Change | undefined): { level: AiLevel; tool: string | null; evidence: AiEvidence[] } {
  const evidence = (existing?.aiEvidence ?? []).filter((e) => e.source === 'submission');
  if (!existing || !evidence.length) return { level: 'none', tool: null, evidence: [] };
  return { level: existing.aiLevel as AiLevel, tool: existing.aiTool, evidence };
}

/** The PR's author (added when first seen) and the known people among its commit authors. */
async function peopleOf(db: Db, pr: GithubPull, commits: GithubCommit[]): Promise<Map<string, Person>> {
  const known = await db.transaction((tx) => ensureGithubPeople(tx, [pr.user]));
  // Commit authors are only looked up, never added: they may be anyone.
  const logins = [...new Set(commits.map((c) => c.author?.login?.toLowerCase()).filter((l): l is string => !!l))];
  if (logins.length) {
    const rows = await db.select().from(people).where(inArray(sql`lower(${people.githubLogin})`, logins));
    for (const p of rows) known.set(p.githubLogin!.toLowerCase(), p);
  }
  return known;
}

interface Built {
  meta: SubmitChangeMetaOutput;
  evidence: AiEvidence[];
  closedAt: Date | null | undefined;
}

async function buildMeta(db: Db, repo: string, pr: GithubPull, paths: string[], commits: GithubCommit[], existing: Change | undefined): Promise<Built> {
  const known = await peopleOf(db, pr, commits);
  const author = known.get(pr.user.login.toLowerCase());
  if (!author) throw new AppError(422, 'unknown_author', `The pull request's author ${pr.user.login} is not a usable GitHub login.`);
  const coAuthors = new Map<number, Person>();
  for (const c of commits) {
    const p = c.author?.login ? known.get(c.author.login.toLowerCase()) : undefined;
    if (p) coAuthors.set(p.id, p);
  }
  const trailerValues = commits.flatMap((c) => trailersOf(c.commit.message).filter((t) => t.key === 'co-authored-by').map((t) => t.value));
  for (const p of await peopleFromTrailers(db, trailerValues)) coAuthors.set(p.id, p);
  coAuthors.delete(author.id);

  const detected = detectAi(
    {
      author: pr.user,
      labels: pr.labels.map((l) => l.name),
      body: pr.body,
      commitMessages: commits.map((c) => c.commit.message),
      commitAuthors: commits.map((c) => c.author?.login).filter((l): l is string => !!l),
    },
    await getAiDetectionSettings(db),
  );
  const declared = declaredAi(existing);
  const level = maxAiLevel(detected.level, declared.level);
  const tool = level === detected.level && detected.tool ? detected.tool : (declared.tool ?? detected.tool);

  // Services from the paths; a change GitHub cannot map keeps what a pipeline or an admin gave it.
  let svc = (await mapRepoPaths(db, repo, paths)).services;
  if (!svc.length && existing && !existing.unmapped) svc = await serviceSlugsOf(db, existing.id);

  const meta = SubmitChangeMeta.parse({
    externalId: externalIdOf(repo, pr.number),
    repo,
    title: (pr.title || `Pull request #${pr.number}`).slice(0, 300),
    description: (pr.body ?? '').slice(0, 50_000),
    url: pr.html_url || null,
    author: author.handle,
    coAuthors: [...coAuthors.values()].map((p) => p.handle).slice(0, 20),
    services: svc,
    // GitHub cannot know these; what a pipeline declared stands.
    kind: existing?.kind ?? inferKind(paths),
    ai: { level, tool: tool?.slice(0, 100) ?? null },
    environment: existing?.environment ?? 'production',
    validation: { preDeploy: existing?.preDeployValidation ?? null },
  });
  const abandoned = pr.state === 'closed' && !pr.merged && !pr.merged_at;
  const closedAt = abandoned ? new Date(pr.closed_at ?? Date.now()) : pr.state === 'open' ? null : undefined;
  return { meta, evidence: [...declared.evidence, ...detected.evidence], closedAt };
}

export async function syncPullRequest(db: Db, req: SyncRequest): Promise<SyncOutcome> {
  const gh = req.client ?? githubClient();
  const externalId = externalIdOf(req.repo, req.number);
  let pr: GithubPull;
  let diff: string;
  let commits: GithubCommit[];
  try {
    pr = await gh.getPull(req.repo, req.number);
    [diff, commits] = await Promise.all([gh.getPullDiff(req.repo, req.number), gh.listPullCommits(req.repo, req.number)]);
  } catch (err) {
    if (!(err instanceof GithubApiError)) throw err;
    if (req.fallback) {
      const built = await buildMeta(db, req.repo, req.fallback, [], [], await findChange(db, externalId));
      await recordIngestError(db, built.meta, `Could not fetch the pull request from GitHub: ${err.message}`, GITHUB_ACTOR, { source: 'github', aiEvidence: built.evidence });
    }
    if (err.permanent) throw new AppError(422, 'ingest_failed', err.message);
    throw new RetryLater(err.message);
  }

  const built = await buildMeta(db, req.repo, pr, pathsOf(diff), commits, await findChange(db, externalId));
  if (!diff.trim()) {
    await recordIngestError(db, built.meta, 'The pull request has no changes yet (empty diff).', GITHUB_ACTOR, { source: 'github', aiEvidence: built.evidence });
    throw new AppError(422, 'ingest_failed', 'The pull request has an empty diff.');
  }
  try {
    const input = SubmitChangeInput.parse({ ...built.meta, diff });
    const result = await submitChange(db, input, GITHUB_ACTOR, { source: 'github', allowUnmapped: true, aiEvidence: built.evidence, closedAt: built.closedAt,
      headCommit: pr.head?.sha ?? null,
      // Merged: the merge commit is what the default branch deploys, with exactly this content.
      mergeCommit: pr.merged || pr.merged_at ? (pr.merge_commit_sha ?? null) : null,
    });
    return { result, services: built.meta.services, ai: { level: built.meta.ai.level, tool: built.meta.ai.tool ?? null } };
  } catch (err) {
    // A diff the risk engine refuses is shown on the change like a fetch failure; retrying will not help.
    if (isRiskInputError(err) || err instanceof AppError || (err as { name?: string }).name === 'ZodError') {
      await recordIngestError(db, built.meta, `The pull request's diff was refused: ${(err as Error).message}`, GITHUB_ACTOR, { source: 'github', aiEvidence: built.evidence });
      throw new AppError(422, 'ingest_failed', (err as Error).message);
    }
    throw err;
  }
}
