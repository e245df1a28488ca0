// Recording a deployment reported by a pipeline (or GitHub): flagged as a bypass when it
// went to production without an allowing gate decision for the revision now current, and
// moving the change to deployed / rolled back. One transaction with its audit event.
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { changes, deployments, gateDecisions, revisions, type Change, type Deployment } from '@/db/schema';
import type { DeploymentStatus } from '@/db/schema/enums';
import { completeBreakGlassFollowUps, markDeployedUnderBreakGlass } from '@/lib/approvals/break-glass';
import { appendAudit } from '@/lib/audit/chain';
import { resolveChangeRef } from '@/lib/changes/ref';
import { notFound } from '@/lib/errors';
import { getPolicy } from '@/lib/policy';
import { isProduction } from '@/lib/policy/approvals';

export interface RecordDeploymentInput {
  /** The change's id or external id. */
  change: string;
  environment: string;
  status: DeploymentStatus;
  /** The pipeline's own id for this deployment: reporting it again updates the same record. */
  externalId?: string | null;
}

export interface DeploymentActor {
  personId: number | null;
  label: string;
}

export interface RecordDeploymentResult {
  deployment: Deployment;
  change: Pick<Change, 'id' | 'externalId' | 'status'>;
  bypass: boolean;
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
      return { deployment: existing, change: { id: change.id, externalId: change.externalId, status: change.status }, bypass: existing.bypass, duplicate: true };
    }

    let deployment: Deployment;
    let bypass: boolean;
    if (existing) {
      // The same deployment moving on (started → succeeded): its bypass flag was decided when first reported.
      [deployment] = (await tx.update(deployments).set({ status: input.status, environment }).where(eq(deployments.id, existing.id)).returning()) as [Deployment];
      bypass = existing.bypass;
    } else {
      const [gate] = change.currentRevisionId
        ? await tx
            .select({ id: gateDecisions.id, allowed: gateDecisions.allowed })
            .from(gateDecisions)
            .where(and(eq(gateDecisions.changeId, change.id), eq(gateDecisions.revisionId, change.currentRevisionId), eq(gateDecisions.environment, environment)))
            .orderBy(desc(gateDecisions.id))
            .limit(1)
        : [];
      bypass = production && !gate?.allowed;
      [deployment] = (await tx
        .insert(deployments)
        .values({
          changeId: change.id,
          revisionId: change.currentRevisionId,
          environment,
          status: input.status,
          bypass,
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
        gateDecisionId: deployment.gateDecisionId,
        revision: rev?.number ?? null,
        sha: rev?.sha ?? null,
        deploymentRef: input.externalId ?? null,
        source,
        ...(underBreakGlass.length ? { breakGlass: underBreakGlass } : {}),
      },
    });
    if (underBreakGlass.length) await completeBreakGlassFollowUps(tx, change.id, { id: actor.personId, label: actor.label });
    return { deployment, change: { id: change.id, externalId: change.externalId, status }, bypass, duplicate: false };
  });
}
