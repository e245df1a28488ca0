// Everything the change page shows, read in one place so the page and GET /api/v1/changes/{id} agree:
// header, revisions, the chosen revision's files with hunks and flags, its Terraform plan, the stored
// risk with every factor, the blast radius with its graph, incident history, matching watch-outs,
// sign-offs, the gate's current answer (not recorded: looking is not asking) and suggested reviewers.
import { resolveChangeRef } from '@/lib/changes/ref';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { changeCoauthors, changeServices, externalReviews, people, revisionFiles, revisions, services, type AiEvidence, type Change } from '@/db/schema';
import type { AiLevel, ChangeKind, ChangeStatus, Decision, FileStatus, RiskLevel, Role, Tier } from '@/db/schema/enums';
import { gateFor, loadSignOff } from '@/lib/approvals/state';
import { suggestReviewers, type SuggestedReviewer } from '@/lib/approvals/reviewers';
import { directDependencies } from '@/lib/graph/blast-radius';
import { loadCatalogGraph } from '@/lib/graph/catalog';
import { getPolicy } from '@/lib/policy';
import { GATE_REASON_TEXT, type GateReason, type Requirement } from '@/lib/policy/approvals';
import { detectDestructive, parseTerraformPlan } from '@/lib/risk';
import type { BlastRadiusEntry, DiffFile, DiffHunk, LineFlag, RiskFactor, RiskFinding, TerraformResourceChange } from '@/lib/risk/types';
import { loadWatchoutsForChange } from '@/lib/watchouts/for-change';
import type { WatchoutMatch } from '@/lib/watchouts/match';
import { listIncidentHistory, type IncidentHistoryItem } from './incident-history';

export interface PersonRef {
  handle: string;
  name: string;
  isBot: boolean;
  level: number | null;
  team: string | null;
}

export interface RevisionSummary {
  number: number;
  sha: string;
  createdAt: string;
  additions: number;
  deletions: number;
  filesChanged: number;
  risk: { score: number; level: RiskLevel };
  current: boolean;
}

export interface ChangeFile {
  position: number;
  path: string;
  oldPath: string | null;
  status: FileStatus;
  binary: boolean;
  language: string | null;
  additions: number;
  deletions: number;
  /** Lines carrying a flag. */
  flagged: number;
  /** Whole-file flags, e.g. a deleted file. */
  flags: LineFlag[];
  hunks: DiffHunk[];
}

export interface ApprovalView {
  id: number;
  person: { handle: string; name: string; level: number | null; role: Role };
  decision: Decision;
  comment: string;
  revision: number;
  revisionSha: string;
  createdAt: string;
  withdrawnAt: string | null;
  via: string;
  /** Counts toward the requirement (an approval) or blocks (a reject) on the current revision. */
  standing: boolean;
  invalidReason: string | null;
  /** Why it does not count, in words. */
  invalidReasonText: string | null;
}

/**
 * A review given outside Countersign (a GitHub pull request review): context for reviewers, never a
 * Countersign sign-off — it does not count toward the required approvals nor open the gate.
 */
export interface ExternalReviewView {
  id: number;
  source: string;
  /** The review's id at its source. */
  externalId: string;
  /** The GitHub login, and the Countersign person with that login when one is known. */
  reviewer: { login: string; person: PersonRef | null };
  /** GitHub's review state, lower-cased: approved, changes_requested, commented or dismissed. */
  state: string;
  body: string;
  /** The commit it was given on, when known. */
  commitId: string | null;
  /** The revision of this change with that commit (or, for reviews without one, current when it was given); null when unknown. */
  revision: number | null;
  /** Not on the current revision: the code changed since, or the commit is not one Countersign has seen. */
  stale: boolean;
  submittedAt: string;
}

export interface ChangeDetail {
  id: number;
  externalId: string;
  title: string;
  description: string;
  url: string | null;
  repo: string | null;
  status: ChangeStatus;
  kind: ChangeKind;
  environment: string;
  source: string;
  unmapped: boolean;
  /** Paths no mapping placed when the change is partly mapped (empty: nothing or everything mapped). */
  unmappedPaths: string[];
  ingestError: string | null;
  preDeployValidation: boolean | null;
  ai: { level: AiLevel; tool: string | null; evidence: AiEvidence[] };
  author: PersonRef;
  coAuthors: PersonRef[];
  services: { slug: string; name: string; tier: Tier; team: string | null }[];
  createdAt: string;
  updatedAt: string;
  revisions: RevisionSummary[];
  /** The revision shown (`?revision=N`, else the current one). */
  revision: RevisionSummary | null;
  files: ChangeFile[];
  terraformPlan: { resources: TerraformResourceChange[]; counts: Record<string, number> } | null;
  risk: { score: number; level: RiskLevel; factors: RiskFactor[]; destructive: boolean; findings: RiskFinding[] };
  blastRadius: {
    services: BlastRadiusEntry[];
    total: number;
    tier1: number;
    /** The changed services (the roots of the graph). */
    changed: { slug: string; tier: Tier }[];
    /** Dependency edges among the changed and listed services: `to` depends on `from`. */
    edges: { from: string; to: string }[];
    /** True when `services` holds only the nearest BLAST_LIST_LIMIT of `total` (ask with blast: 'all' for every one). */
    truncated: boolean;
  };
  incidents: IncidentHistoryItem[];
  incidentsTotal: number;
  watchouts: (Omit<WatchoutMatch, 'watchout'> & WatchoutMatch['watchout'] & { createdAt: string })[];
  approvals: ApprovalView[];
  /** GitHub reviews of the pull request, newest first: context only, never counted as sign-off. */
  externalReviews: ExternalReviewView[];
  requiredApprovals: number;
  validApprovals: number;
  requirement: Requirement;
  gate: { allowed: boolean; reasons: GateReason[]; reasonText: string[] };
  breakGlassActive: boolean;
  suggestedReviewers: SuggestedReviewer[];
}

export class RevisionNotFoundError extends Error {}

/** A change by numeric id or external id (as given, or URL-encoded). */
export async function findChangeByRef(q: Queryable, ref: string | number): Promise<Change | null> {
  return resolveChangeRef(q, ref);
}

const INVALID_REASON_TEXT: Record<string, string> = {
  superseded: 'Given on an earlier revision: a new revision needs a new sign-off.',
  withdrawn: 'Withdrawn.',
  author_cannot_approve: 'The author or a co-author cannot approve their own change.',
  bot_cannot_approve: 'A bot or AI agent cannot approve.',
  level_too_low: 'Below the level this change requires.',
  not_an_approver: 'Not in an approver role (senior, director or VP).',
};

/**
 * The detail lists this many affected services, nearest first (a hub's blast radius can hold thousands:
 * the counts stay exact, and `blast: 'all'` lists every one).
 */
export const BLAST_LIST_LIMIT = 200;

export async function getChangeDetail(q: Queryable, args: { ref: string | number; revision?: number; blast?: 'nearest' | 'all' }): Promise<ChangeDetail | null> {
  const change = await findChangeByRef(q, args.ref);
  if (!change) return null;

  const [authorRows, coauthorRows, serviceRows, revisionRows, reviewRows, signOff, policy, catalog] = await Promise.all([
    q.select({ handle: people.handle, name: people.name, isBot: people.isBot, level: people.level, team: people.team }).from(people).where(eq(people.id, change.authorId)).limit(1),
    q
      .select({ handle: people.handle, name: people.name, isBot: people.isBot, level: people.level, team: people.team })
      .from(changeCoauthors)
      .innerJoin(people, eq(people.id, changeCoauthors.personId))
      .where(eq(changeCoauthors.changeId, change.id))
      .orderBy(asc(people.handle)),
    q
      .select({ id: services.id, slug: services.slug, name: services.name, tier: services.tier, team: services.team })
      .from(changeServices)
      .innerJoin(services, eq(services.id, changeServices.serviceId))
      .where(eq(changeServices.changeId, change.id))
      .orderBy(asc(services.tier), asc(services.slug)),
    q
      .select({
        id: revisions.id,
        number: revisions.number,
        sha: revisions.sha,
        createdAt: revisions.createdAt,
        additions: revisions.additions,
        deletions: revisions.deletions,
        filesChanged: revisions.filesChanged,
        riskScore: revisions.riskScore,
        riskLevel: revisions.riskLevel,
        riskFactors: revisions.riskFactors,
        headCommits: revisions.headCommits,
      })
      .from(revisions)
      .where(eq(revisions.changeId, change.id))
      .orderBy(asc(revisions.number)),
    q
      .select({
        review: externalReviews,
        person: { handle: people.handle, name: people.name, isBot: people.isBot, level: people.level, team: people.team },
      })
      .from(externalReviews)
      .leftJoin(people, sql`lower(${people.githubLogin}) = lower(${externalReviews.reviewer})`)
      .where(eq(externalReviews.changeId, change.id))
      .orderBy(desc(externalReviews.submittedAt), desc(externalReviews.id))
      .limit(MAX_EXTERNAL_REVIEWS),
    loadSignOff(q, change),
    getPolicy(q),
    loadCatalogGraph(q),
  ]);

  const summaries: RevisionSummary[] = revisionRows.map((r) => ({
    number: r.number,
    sha: r.sha,
    createdAt: r.createdAt.toISOString(),
    additions: r.additions,
    deletions: r.deletions,
    filesChanged: r.filesChanged,
    risk: r.id === change.currentRevisionId ? { score: change.riskScore, level: change.riskLevel as RiskLevel } : { score: r.riskScore, level: r.riskLevel as RiskLevel },
    current: r.id === change.currentRevisionId,
  }));
  const chosen = args.revision !== undefined ? revisionRows.find((r) => r.number === args.revision) : revisionRows.find((r) => r.id === change.currentRevisionId);
  if (args.revision !== undefined && !chosen) throw new RevisionNotFoundError(`Change ${change.externalId} has no revision ${args.revision}.`);
  const isCurrent = !!chosen && chosen.id === change.currentRevisionId;

  const [fileRows, planRows] = chosen
    ? await Promise.all([
        q.select().from(revisionFiles).where(eq(revisionFiles.revisionId, chosen.id)).orderBy(asc(revisionFiles.position)),
        q.select({ plan: revisions.terraformPlan }).from(revisions).where(eq(revisions.id, chosen.id)),
      ])
    : [[], []];

  // Re-run the detectors on this copy: they restore the file-level flags (deleted files) the table
  // does not keep, and list the findings for the risk panel. The score itself is the stored one.
  const diffFiles: DiffFile[] = fileRows.map((f) => ({
    path: f.path,
    oldPath: f.oldPath,
    status: f.status as FileStatus,
    binary: f.binary,
    additions: f.additions,
    deletions: f.deletions,
    language: f.language,
    hunks: f.hunks,
  }));
  const planJson = planRows[0]?.plan ?? null;
  const plan = planJson ? safePlan(planJson) : null;
  const findings = detectDestructive(diffFiles, plan, { annotate: true });

  const touched = serviceRows.map((s) => s.slug);
  const [incidentHistory, watchoutMatches, candidates] = await Promise.all([
    listIncidentHistory(q, { touched, paths: diffFiles.map((f) => f.path) }),
    loadWatchoutsForChange(q, { touched, files: diffFiles }),
    reviewerCandidates(q, [...new Set([...serviceRows.map((s) => s.team), ...tier1Teams(change, catalog.bySlug)])].filter((t): t is string => !!t), policy.approvals.approverRoles),
  ]);

  const gate = gateFor(change, signOff, change.environment);
  const revNumberById = new Map(revisionRows.map((r) => [r.id, r]));
  const decidedIds = signOff.decisions.filter((d) => d.revisionId === change.currentRevisionId && !d.withdrawnAt).map((d) => d.personId);
  const suggested = suggestReviewers({
    candidates,
    touched: serviceRows.map((s) => ({ slug: s.slug, team: s.team })),
    tier1InBlast: change.blastRadius.services.filter((s) => s.tier === 1).map((s) => ({ slug: s.slug, team: catalog.bySlug.get(s.slug)?.team ?? null })),
    authorId: change.authorId,
    submitterId: change.submitterId,
    coauthorIds: signOff.coauthorIds,
    decidedIds,
    minLevel: signOff.requirement.minLevel,
    policy: policy.approvals,
  });

  const allAffected = change.blastRadius.services;
  const listed = args.blast === 'all' || allAffected.length <= BLAST_LIST_LIMIT ? allAffected : allAffected.slice(0, BLAST_LIST_LIMIT);
  const inGraph = new Set([...touched, ...listed.map((s) => s.slug)]);
  const edges: { from: string; to: string }[] = [];
  for (const slug of inGraph) {
    for (const dep of directDependencies(catalog.graph, slug)) {
      if (inGraph.has(dep.slug)) edges.push({ from: dep.slug, to: slug });
    }
  }

  const risk = isCurrent || !chosen
    ? { score: change.riskScore, level: change.riskLevel as RiskLevel, factors: change.riskFactors }
    : { score: chosen.riskScore, level: chosen.riskLevel as RiskLevel, factors: chosen.riskFactors };

  return {
    id: change.id,
    externalId: change.externalId,
    title: change.title,
    description: change.description,
    url: change.url,
    repo: change.repo,
    status: change.status as ChangeStatus,
    kind: change.kind as ChangeKind,
    environment: change.environment,
    source: change.source,
    unmapped: change.unmapped,
    unmappedPaths: change.unmappedPaths,
    ingestError: change.ingestError,
    preDeployValidation: change.preDeployValidation,
    ai: { level: change.aiLevel as AiLevel, tool: change.aiTool, evidence: change.aiEvidence },
    author: authorRows[0] ?? { handle: 'unknown', name: 'Unknown', isBot: false, level: null, team: null },
    coAuthors: coauthorRows,
    services: serviceRows.map(({ id: _id, ...s }) => ({ ...s, tier: s.tier as Tier })),
    createdAt: change.createdAt.toISOString(),
    updatedAt: change.updatedAt.toISOString(),
    revisions: summaries,
    revision: chosen ? summaries.find((s) => s.number === chosen.number) ?? null : null,
    files: fileRows.map((f, i) => ({
      position: f.position,
      path: f.path,
      oldPath: f.oldPath,
      status: f.status as FileStatus,
      binary: f.binary,
      language: f.language,
      additions: f.additions,
      deletions: f.deletions,
      flagged: diffFiles[i]!.hunks.reduce((n, h) => n + h.lines.filter((l) => l.flags?.length).length, 0),
      flags: diffFiles[i]!.flags ?? [],
      hunks: diffFiles[i]!.hunks,
    })),
    terraformPlan: plan ? { resources: plan.resources, counts: plan.counts } : null,
    risk: { ...risk, factors: [...risk.factors].sort((a, b) => b.points - a.points), destructive: findings.some((f) => f.severity === 'destructive'), findings },
    blastRadius: {
      services: listed,
      total: change.blastRadius.total,
      tier1: change.blastRadius.tier1,
      changed: serviceRows.map((s) => ({ slug: s.slug, tier: s.tier as Tier })),
      edges: sortEdges(edges),
      truncated: listed.length < allAffected.length,
    },
    incidents: incidentHistory.items,
    incidentsTotal: incidentHistory.total,
    watchouts: watchoutMatches.map(({ watchout, ...m }) => ({ ...watchout, ...m, createdAt: new Date(watchout.createdAt).toISOString() })),
    externalReviews: reviewRows.map(({ review, person }) => {
      const rev = revisionOfReview(review, revisionRows);
      return {
        id: review.id,
        source: review.source,
        externalId: review.externalId,
        reviewer: { login: review.reviewer, person: person ?? null },
        state: review.state,
        body: review.body,
        commitId: review.commitId,
        revision: rev?.number ?? null,
        stale: !rev || rev.id !== change.currentRevisionId,
        submittedAt: review.submittedAt.toISOString(),
      };
    }),
    approvals: signOff.decisions.map((d) => {
      const rev = revNumberById.get(d.revisionId);
      return {
        id: d.id,
        person: { handle: d.handle, name: d.name, level: d.level, role: d.role },
        decision: d.decision,
        comment: d.comment,
        revision: rev?.number ?? 0,
        revisionSha: rev?.sha ?? '',
        createdAt: d.createdAt.toISOString(),
        withdrawnAt: d.withdrawnAt?.toISOString() ?? null,
        via: d.via,
        standing: d.invalidReason === null,
        invalidReason: d.invalidReason,
        invalidReasonText: d.invalidReason
          ? d.invalidReason === 'level_too_low'
            ? `Below L${signOff.requirement.minLevel}, the level this change requires.`
            : INVALID_REASON_TEXT[d.invalidReason] ?? d.invalidReason
          : null,
      };
    }),
    requiredApprovals: signOff.requirement.required,
    validApprovals: signOff.state.valid,
    requirement: signOff.requirement,
    gate: { allowed: gate.allowed, reasons: gate.reasons, reasonText: gate.reasons.map((r) => GATE_REASON_TEXT[r]) },
    breakGlassActive: signOff.breakGlassActive,
    suggestedReviewers: suggested,
  };
}

/** A pull request with more reviews than this shows the newest ones. */
const MAX_EXTERNAL_REVIEWS = 100;

/**
 * The revision a review was given on: the one whose content GitHub had at the review's commit. A
 * review without a commit (recorded before commits were kept), on a change whose revisions carry no
 * commits (submitted by a pipeline), falls back to the revision current when it was given.
 */
function revisionOfReview<R extends { id: number; number: number; createdAt: Date; headCommits: string[] }>(
  review: { commitId: string | null; submittedAt: Date },
  revisionRows: R[],
): R | null {
  if (review.commitId) {
    const byCommit = revisionRows.filter((r) => r.headCommits.includes(review.commitId!)).at(-1);
    if (byCommit) return byCommit;
    // Countersign knows the commits of this change, and not this one: not a revision it has.
    if (revisionRows.some((r) => r.headCommits.length)) return null;
  }
  return revisionRows.filter((r) => r.createdAt.getTime() <= review.submittedAt.getTime()).at(-1) ?? null;
}

/** By from + to, as before, with each key built once (a hub's blast radius has tens of thousands of edges). */
function sortEdges(edges: { from: string; to: string }[]): { from: string; to: string }[] {
  const keyed = edges.map((e) => ({ e, k: e.from + e.to }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : 1));
  return keyed.map((x) => x.e);
}

function safePlan(json: unknown) {
  try {
    return parseTerraformPlan(json);
  } catch {
    return null; // stored plans were parsed on the way in; a plan that no longer parses is shown as absent
  }
}

function tier1Teams(change: Change, bySlug: Map<string, { team: string | null }>): (string | null)[] {
  return change.blastRadius.services.filter((s) => s.tier === 1).map((s) => bySlug.get(s.slug)?.team ?? null);
}

async function reviewerCandidates(q: Queryable, teams: string[], roles: readonly Role[]) {
  if (!teams.length || !roles.length) return [];
  const rows = await q
    .select({ id: people.id, handle: people.handle, name: people.name, level: people.level, role: people.role, team: people.team, isBot: people.isBot, deactivatedAt: people.deactivatedAt })
    .from(people)
    .where(and(inArray(people.team, teams), inArray(people.role, [...roles])));
  return rows.map(({ deactivatedAt, ...p }) => ({ ...p, role: p.role as Role, deactivated: !!deactivatedAt }));
}
