// Recording a deployment reported by a pipeline (or GitHub): flagged as a bypass when, with
// sign-off re-evaluated at the moment it is recorded (and the commit, when given, checked
// against the current revision), the gate would not allow it; an earlier allowing gate decision
// does not count. Moves the change to deployed / rolled back. One transaction with its audit event.
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { changes, deployments, gateDecisions, revisions, type Change, type Deployment } from '@/db/schema';
import type { DeploymentStatus } from '@/db/schema/enums';
import { completeBreakGlassFollowUps, markDeployedUnderBreakGlass } from '@/lib/approvals/break-glass';
import { computeSignOff, gateFor, loadSignOffInputs } from '@/lib/approvals/state';
import { appendAudit } from '@/lib/audit/chain';
import { resolveChangeRef } from '@/lib/changes/ref';
import { forbidden, notFound } from '@/lib/errors';
import { getPolicy } from '@/lib/policy';
import { bindToCommit, bypassReasonsFor, isProduction, type BypassReason } from '@/lib/policy/approvals';
import { normalizeRepo, reportRefusal, type DeploymentReporter } from './binding';

export interface RecordDeploymentInput {
  /** The change's id or external id. */
  change: string;
  environment: string;
  status: DeploymentStatus;
  /** The pipeline's own id for this deployment: reporting it again updates the same record. */
  externalId?: string | null;
  /** The commit deployed (full sha), when the pipeline says: checked against the current revision. */
  commit?: string | null;
  /** The repository the report comes from (GitHub deliveries): must be the change's. */
  repo?: string | null;
}

export interface DeploymentActor {
  personId: number | null;
  label: string;
  /** A caller of the API: may report only for changes of the repositories its token is bound to, unless an admin. */
  reporter?: DeploymentReporter;
}

export interface RecordDeploymentResult {
  deployment: Deployment;
  change: Pick<Change, 'id' | 'externalId' | 'status'>;
  bypass: boolean;
  /** Why it is a bypass: the gate's reasons as re-evaluated when it was recorded. */
  bypassReasons: BypassReason[];
  /** True when the same externalId and status were reported before: nothing new was recorded. */
  duplicate: boolean;
}


export async function recordDeployment(db: Db, input: RecordDeploymentInput, actor: DeploymentActor, opts: { source?: 'api' | 'github' | 'cli'; at?: Date } = {}): Promise<RecordDeploymentResult> {
  const source = opts.source ?? 'api';
  const environment = input.environment.trim().toLowerCase();
  const ref = input.change.trim();
  return db.transaction(async (tx) => {
    // The lock orders this deployment with sign-off writes and new revisions of the same change.
    const change = await resolveChangeRef(tx, ref, { forUpdate: true });
    if (!change) throw notFound(`Change ${ref}`);
    if (actor.reporter) {
      const refusal = reportRefusal(actor.reporter, change.repo, change.externalId);
      if (refusal) throw forbidden('repository_not_bound', refusal);
    }
    if (input.repo && (!change.repo || normalizeRepo(change.repo) !== normalizeRepo(input.repo))) {
      throw forbidden('repository_not_bound', `A deployment in ${input.repo} cannot be reported for change ${change.externalId}, which is in ${change.repo ?? 'no recorded repository'}.`);
    }
    const commit = input.commit?.trim().toLowerCase() || null;
    const at = opts.at ?? new Date();
    const { approvals: policy } = await getPolicy(tx);
    const production = isProduction(environment, policy);

    const existing = input.externalId
      ? (await tx.select().from(deployments).where(and(eq(deployments.source, source), eq(deployments.externalId, input.externalId))).limit(1))[0]
      : undefined;
    if (existing && existing.changeId !== change.id) {
      throw notFound(`Deployment ${input.externalId} of change ${ref} (that id belongs to another change's deployment)`);
    }
    if (existing && existing.status === input.status && existing.environment === environment) {
      return { deployment: existing, change: { id: change.id, externalId: change.externalId, status: change.status }, bypass: existing.bypass, bypassReasons: existing.bypassReasons as BypassReason[], duplicate: true };
    }

    let deployment: Deployment;
    let bypass: boolean;
    let bypassReasons: BypassReason[];
    if (existing) {
      // The same deployment moving on (started → succeeded): its bypass flag was decided when first reported.
      [deployment] = (await tx.update(deployments).set({ status: input.status, environment }).where(eq(deployments.id, existing.id)).returning()) as [Deployment];
      bypass = existing.bypass;
      bypassReasons = existing.bypassReasons as BypassReason[];
    } else {
      // Re-evaluated now, in this transaction (the change row is locked): a reject, a withdrawal, a new
      // revision, an expired override or another commit since the gate was asked all make it a bypass.
      const [rev] = change.currentRevisionId ? await tx.select({ headCommits: revisions.headCommits }).from(revisions).where(eq(revisions.id, change.currentRevisionId)) : [];
      const signOff = computeSignOff(change, await loadSignOffInputs(tx, change, at));
      const answer = bindToCommit(gateFor(change, signOff, environment), commit, rev?.headCommits ?? []);
      // The gate's latest answer for this revision and environment (linked; a deploy that never asked, or
      // was last refused, went around the gate even if sign-off would allow it now).
      const [gate] = change.currentRevisionId
        ? await tx
            .select({ id: gateDecisions.id, allowed: gateDecisions.allowed })
            .from(gateDecisions)
            .where(and(eq(gateDecisions.changeId, change.id), eq(gateDecisions.revisionId, change.currentRevisionId), eq(gateDecisions.environment, environment)))
            .orderBy(desc(gateDecisions.id))
            .limit(1)
        : [];
      bypassReasons = production ? bypassReasonsFor(answer, gate ?? null) : [];
      bypass = bypassReasons.length > 0;
      [deployment] = (await tx
        .insert(deployments)
        .values({
          changeId: change.id,
          revisionId: change.currentRevisionId,
          environment,
          status: input.status,
          bypass,
          bypassReasons,
          commit,
          gateDecisionId: gate?.id ?? null,
          deployedById: actor.personId,
          source,
          externalId: input.externalId ?? null,
          createdAt: at,
        })
        .returning()) as [Deployment];
    }

    let status = change.status;
    if (production && input.status === 'succeeded') status = 'deployed';
    if (production && input.status === 'rolled_back') status = 'rolled_back';
    if (status !== change.status) {
      await tx.update(changes).set({ status, closedAt: at, updatedAt: at }).where(eq(changes.id, change.id));
    }
    let underBreakGlass: number[] = [];
    if (production && input.status !== 'failed') underBreakGlass = await markDeployedUnderBreakGlass(tx, change.id, change.currentRevisionId, at);

    const [rev] = change.currentRevisionId ? await tx.select({ number: revisions.number, sha: revisions.sha }).from(revisions).where(eq(revisions.id, change.currentRevisionId)) : [];
    await appendAudit(tx, {
      actorId: actor.personId,
      actor: actor.label,
      action: bypass ? 'deployment.bypassed' : 'deployment.recorded',
      subjectType: 'deployment',
      subjectId: deployment.id,
      changeId: change.id,
      occurredAt: at,
      payload: {
        externalId: change.externalId,
        environment,
        status: input.status,
        previousStatus: existing?.status ?? null,
        bypass,
        ...(bypass ? { bypassReasons } : {}),
        commit: deployment.commit,
        gateDecisionId: deployment.gateDecisionId,
        revision: rev?.number ?? null,
        sha: rev?.sha ?? null,
        deploymentRef: input.externalId ?? null,
        source,
        ...(underBreakGlass.length ? { breakGlass: underBreakGlass } : {}),
      },
    });
    if (underBreakGlass.length) await completeBreakGlassFollowUps(tx, change.id, { id: actor.personId, label: actor.label });
    return { deployment, change: { id: change.id, externalId: change.externalId, status }, bypass, bypassReasons, duplicate: false };
  });
}
