// The deploy gate: what a pipeline asks before every deploy. It must be fast (pipelines
// call it on every deploy, at 1,000 requests/s): one read query gathers everything the
// rules need, the pure policy decides, and the decision with its audit event is committed
// (grouped with concurrent calls) before the answer leaves. No graph work: risk and blast
// radius were computed on arrival.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '@/db/client';
import { changes } from '@/db/schema';
import { CHANGE_REF_PREPARED_CONDITION, changeRefPlaceholders } from '@/lib/changes/ref';
import { computeSignOff, gateFor, type DecisionRow, type SignOffChange } from '@/lib/approvals/state';
import { mergePolicy } from '@/lib/policy';
import { recordGateDecision } from './recorder';
import { bindToCommit, type CommitBoundAnswer, type GateAnswer, type GateReason } from '@/lib/policy/approvals';

export interface GateActor {
  personId: number | null;
  label: string;
  tokenId: number | null;
}

export interface GateDecisionResult extends CommitBoundAnswer {
  /** The head commits of the current revision (what `commit` is checked against). */
  headCommits: string[];
  change: { id: number; externalId: string; revision: { number: number; sha: string } | null } | null;
  environment: string;
  decisionId: number;
}

interface DecisionJson {
  id: number;
  person_id: number;
  decision: string;
  comment: string;
  revision_id: number;
  created_at: string;
  via: string;
  handle: string;
  name: string;
  level: number | null;
  role: string;
  is_bot: boolean;
  deactivated: boolean;
}

export interface GateSnapshot {
  change: SignOffChange & { externalId: string };
  revision: { number: number; sha: string } | null;
  rows: DecisionRow[];
  coauthorIds: number[];
  authorIsBot: boolean;
  breakGlassActive: boolean;
  breakGlassSuperseded: boolean;
  /** The git commits the current revision's content was seen at (its head commits, and the merge commit). */
  headCommits: string[];
  policyValue: unknown;
}

function buildSnapshotQuery(db: Db) {
  return db
    .select({
      id: changes.id,
      externalId: changes.externalId,
      authorId: changes.authorId,
      submitterId: changes.submitterId,
      unmapped: changes.unmapped,
      ingestError: changes.ingestError,
      status: changes.status,
      environment: changes.environment,
      currentRevisionId: changes.currentRevisionId,
      topTier: changes.topTier,
      riskLevel: changes.riskLevel,
      destructive: changes.destructive,
      aiLevel: changes.aiLevel,
      preDeployValidation: changes.preDeployValidation,
      // Only the nearest Tier-1 dependent matters to the rules: the generated column, never the whole blast radius.
      nearestTier1Depth: changes.nearestTier1Depth,
      revNumber: sql<number | null>`(select r.number from revisions r where r.id = changes.current_revision_id)`,
      revSha: sql<string | null>`(select r.sha from revisions r where r.id = changes.current_revision_id)`,
      headCommits: sql<string[] | string | null>`(select r.head_commits from revisions r where r.id = changes.current_revision_id)`,
      authorIsBot: sql<boolean>`coalesce((select p.is_bot from people p where p.id = changes.author_id), false)`,
      coauthorIds: sql<number[] | string | null>`(select array_agg(cc.person_id) from change_coauthors cc where cc.change_id = changes.id)`,
      // Only standing decisions on the current revision can count or block.
      decisions: sql<DecisionJson[] | string | null>`(
        select json_agg(json_build_object(
          'id', a.id, 'person_id', a.person_id, 'decision', a.decision, 'comment', a.comment, 'revision_id', a.revision_id,
          'created_at', a.created_at, 'via', a.via, 'handle', p.handle, 'name', p.name, 'level', p.level, 'role', p.role,
          'is_bot', p.is_bot, 'deactivated', p.deactivated_at is not null))
        from approvals a join people p on p.id = a.person_id
        where a.change_id = changes.id and a.revision_id = changes.current_revision_id and a.withdrawn_at is null)`,
      // An override is bound to the revision it was opened on (same rule as loadSignOffInputs).
      breakGlassActive: sql<boolean>`exists(select 1 from break_glass b where b.change_id = changes.id and b.closed_at is null and b.expires_at > now() and b.revision_id = changes.current_revision_id)`,
      breakGlassSuperseded: sql<boolean>`exists(select 1 from break_glass b where b.change_id = changes.id and b.closed_at is null and b.expires_at > now() and b.revision_id is distinct from changes.current_revision_id)`,
      policy: sql<unknown>`(select s.value from settings s where s.key = 'policy')`,
    })
    .from(changes)
    .where(CHANGE_REF_PREPARED_CONDITION)
    .limit(1)
    .prepare('gate_snapshot');
}

// Prepared once per database: the gate's one read is planned once per connection.
const snapshotQueries = new WeakMap<Db, ReturnType<typeof buildSnapshotQuery>>();

/** A change by numeric id or external id, with everything the gate needs, in one query. */
export async function loadGateSnapshot(db: Db, ref: string): Promise<GateSnapshot | null> {
  let query = snapshotQueries.get(db);
  if (!query) snapshotQueries.set(db, (query = buildSnapshotQuery(db)));
  const [row] = await query.execute(changeRefPlaceholders(ref));
  if (!row) return null;
  const decisions = parseJson<DecisionJson[]>(row.decisions) ?? [];
  const { nearestTier1Depth, revNumber: _n, revSha: _s, headCommits: _h, authorIsBot: _b, coauthorIds: _c, decisions: _d, breakGlassActive: _g, breakGlassSuperseded: _gs, policy: _p, ...columns } = row;
  const depth = nearestTier1Depth === null || nearestTier1Depth === undefined ? null : Number(nearestTier1Depth);
  return {
    change: {
      ...columns,
      // requirementOf reads the first Tier-1 entry; the nearest is the one that counts.
      blastRadius: { services: depth === null ? [] : [{ slug: '', tier: 1, depth, path: [] }], total: 0, tier1: depth === null ? 0 : 1 },
    },
    revision: row.revNumber !== null && row.revSha ? { number: Number(row.revNumber), sha: row.revSha } : null,
    rows: decisions.map((d) => ({
      a: { id: d.id, personId: d.person_id, decision: d.decision, comment: d.comment, revisionId: d.revision_id, createdAt: new Date(d.created_at), withdrawnAt: null, via: d.via },
      p: { handle: d.handle, name: d.name, level: d.level, role: d.role, isBot: d.is_bot, deactivatedAt: d.deactivated ? new Date(0) : null },
    })),
    coauthorIds: parseIntArray(row.coauthorIds),
    authorIsBot: !!row.authorIsBot,
    breakGlassActive: !!row.breakGlassActive,
    breakGlassSuperseded: !row.breakGlassActive && !!row.breakGlassSuperseded,
    headCommits: parseTextArray(row.headCommits),
    policyValue: parseJson(row.policy),
  };
}

/** The gate's answer for a snapshot (pure). */
export function answerFor(s: GateSnapshot, environment: string): GateAnswer {
  const signOff = computeSignOff(s.change, {
    policy: mergePolicy(s.policyValue).approvals,
    authorIsBot: s.authorIsBot,
    coauthorIds: s.coauthorIds,
    rows: s.rows,
    breakGlassActive: s.breakGlassActive,
    breakGlassSuperseded: s.breakGlassSuperseded,
  });
  return gateFor(s.change, signOff, environment);
}

/** The change whose revisions were seen at this commit in this repository: the current revision's first. */
export async function changeForCommit(db: Db, repo: string, commit: string): Promise<number | null> {
  const [row] = await queryRows<{ id: number | string }>(
    db,
    sql`select c.id from changes c join revisions r on r.change_id = c.id
        where lower(c.repo) = lower(${repo}) and ${commit}::text = any(r.head_commits)
        order by (r.id = c.current_revision_id) desc, r.id desc limit 1`,
  );
  return row ? Number(row.id) : null;
}

/** Answers the gate and records the decision (gate_decisions + audit), durably, before returning. */
export async function decideGate(
  db: Db,
  input: { ref?: string | null; repo?: string | null; commit?: string | null; environment: string; actor: GateActor },
): Promise<GateDecisionResult> {
  const environment = input.environment.trim().toLowerCase();
  const commit = input.commit?.trim().toLowerCase() || null;
  let ref = input.ref?.trim() ?? '';
  let unknownCommit = false;
  if (!ref && input.repo && commit) {
    const id = await changeForCommit(db, input.repo.trim(), commit);
    if (id === null) unknownCommit = true;
    else ref = String(id);
  }
  const snap = ref ? await loadGateSnapshot(db, ref) : null;
  const answer: CommitBoundAnswer = snap
    ? bindToCommit(answerFor(snap, environment), commit, snap.headCommits)
    : {
        allowed: false,
        reasons: [(unknownCommit ? 'unknown_commit' : 'unknown_change') satisfies GateReason],
        approvals: { required: 0, valid: 0 },
        commit,
        verified: false,
        warnings: commit ? [] : ['commit_unverified'],
      };
  if (!ref) ref = `${input.repo ?? ''}@${commit ?? ''}`;
  // Recorded and durably committed before the answer leaves (group commit: see recorder.ts).
  const decisionId = await recordGateDecision(db, {
    decision: {
      changeId: snap?.change.id ?? null,
      revisionId: snap?.change.currentRevisionId ?? null,
      changeRef: ref,
      environment,
      allowed: answer.allowed,
      reasons: answer.reasons,
      required: answer.approvals.required,
      valid: answer.approvals.valid,
      actorId: input.actor.personId,
      tokenId: input.actor.tokenId,
      commit,
    },
    audit: {
      actorId: input.actor.personId,
      actor: input.actor.label,
      action: 'gate.decided',
      subjectType: 'gate_decision',
      changeId: snap?.change.id ?? null,
      payload: {
        change: ref,
        externalId: snap?.change.externalId ?? null,
        revision: snap?.revision ?? null,
        commit,
        verified: answer.verified,
        environment,
        allowed: answer.allowed,
        reasons: answer.reasons,
        approvals: answer.approvals,
      },
    },
  });
  return {
    ...answer,
    headCommits: snap?.headCommits ?? [],
    change: snap ? { id: snap.change.id, externalId: snap.change.externalId, revision: snap.revision } : null,
    environment,
    decisionId,
  };
}

function parseJson<T>(v: unknown): T | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') {
    try {
      return JSON.parse(v) as T;
    } catch {
      return null;
    }
  }
  return v as T;
}

/** text[] arrives as an array or, defensively, as a '{a,b}' literal (shas need no quoting). */
function parseTextArray(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string') return v.replace(/[{}"]/g, '').split(',').filter(Boolean);
  return [];
}

/** int[] arrives as an array (both drivers parse it) or, defensively, as a '{1,2}' literal. */
function parseIntArray(v: unknown): number[] {
  if (Array.isArray(v)) return v.map(Number);
  if (typeof v === 'string') return v.replace(/[{}]/g, '').split(',').filter(Boolean).map(Number);
  return [];
}
