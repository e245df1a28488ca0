// A change whose content could not be fetched (e.g. GitHub was down when a pull request
// arrived) is still recorded, with the error, so it shows for triage and the gate blocks it
// (no revision yet). The retry that fetches the content goes through submitChange, which
// clears the error.
import { eq } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { changeCoauthors, changes, changeServices, type AiEvidence } from '@/db/schema';
import { refreshSignOff } from '@/lib/approvals/state';
import { appendAudit } from '@/lib/audit/chain';
import { assessChange, assessmentColumns } from './assess';
import { loadAssessContext } from './context';
import { resolvePeople } from './people';
import type { SubmitChangeMetaOutput } from './schema';
import { resolveServices, type SubmitActor } from './submit';

export interface IngestErrorResult {
  id: number;
  created: boolean;
}

const MAX_ERROR_CHARS = 2000;

export async function recordIngestError(
  db: Db,
  input: SubmitChangeMetaOutput,
  error: string,
  actor: SubmitActor,
  opts: { source?: 'api' | 'cli' | 'github'; aiEvidence?: AiEvidence[] } = {},
): Promise<IngestErrorResult> {
  const message = error.slice(0, MAX_ERROR_CHARS);
  return db.transaction(async (tx) => {
    const [existing] = await tx.select().from(changes).where(eq(changes.externalId, input.externalId)).for('update');
    if (existing) {
      // Whatever content it has stays; only the failure to refresh it is noted.
      if (existing.ingestError !== message) {
        await tx.update(changes).set({ ingestError: message, updatedAt: new Date() }).where(eq(changes.id, existing.id));
        await appendAudit(tx, {
          actorId: actor.personId,
          actor: actor.label,
          action: 'change.updated',
          subjectType: 'change',
          subjectId: existing.id,
          changeId: existing.id,
          payload: { externalId: existing.externalId, fields: ['ingestError'], ingestError: message },
        });
      }
      return { id: existing.id, created: false };
    }
    return { id: await createWithoutContent(tx, input, message, actor, opts), created: true };
  });
}

async function createWithoutContent(
  tx: Tx,
  input: SubmitChangeMetaOutput,
  message: string,
  actor: SubmitActor,
  opts: { source?: 'api' | 'cli' | 'github'; aiEvidence?: AiEvidence[] },
): Promise<number> {
  const now = new Date();
  const byHandle = await resolvePeople(tx, [input.author, ...input.coAuthors]);
  const author = byHandle.get(input.author)!;
  const coauthorIds = [...new Set(input.coAuthors.map((h) => byHandle.get(h)!.id))].filter((id) => id !== author.id);
  const svc = await resolveServices(tx, input.services, true);
  const serviceIds = svc.map((s) => s.id);
  const environment = input.environment.toLowerCase();
  const preDeployValidation = input.validation?.preDeploy ?? null;
  // Assessed on what is known without the diff (tiers, blast radius, AI), so the queue ranks it.
  const ctx = await loadAssessContext(tx, { serviceIds, authorId: author.id, asOf: now });
  const a = assessChange({ ...ctx, kind: input.kind, aiLevel: input.ai.level, aiTool: input.ai.tool ?? null, environment, preDeployValidation, files: [], plan: null });
  const [row] = await tx
    .insert(changes)
    .values({
      externalId: input.externalId,
      repo: input.repo ?? null,
      title: input.title,
      description: input.description,
      url: input.url ?? null,
      authorId: author.id,
      kind: input.kind,
      aiLevel: input.ai.level,
      aiTool: input.ai.tool ?? null,
      aiEvidence: opts.aiEvidence ?? [],
      environment,
      preDeployValidation,
      source: opts.source ?? 'github',
      unmapped: serviceIds.length === 0,
      ingestError: message,
      ...assessmentColumns(a),
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: changes.id });
  const id = row!.id;
  if (serviceIds.length) await tx.insert(changeServices).values(serviceIds.map((serviceId) => ({ changeId: id, serviceId })));
  if (coauthorIds.length) await tx.insert(changeCoauthors).values(coauthorIds.map((personId) => ({ changeId: id, personId })));
  const { change: after, signOff } = await refreshSignOff(tx, id);
  await appendAudit(tx, {
    actorId: actor.personId,
    actor: actor.label,
    action: 'change.submitted',
    subjectType: 'change',
    subjectId: id,
    changeId: id,
    occurredAt: now,
    payload: {
      externalId: input.externalId,
      title: input.title,
      author: author.handle,
      services: svc.map((s) => s.slug),
      kind: input.kind,
      ai: { level: input.ai.level, tool: input.ai.tool ?? null },
      environment,
      preDeploy: preDeployValidation,
      revision: null,
      ingestError: message,
      risk: { score: after.riskScore, level: after.riskLevel },
      requiredApprovals: signOff.requirement.required,
      source: opts.source ?? 'github',
    },
  });
  return id;
}
