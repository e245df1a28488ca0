// The demo queue: ~40 changes awaiting sign-off, dated relative to `now`, spanning every
// risk level and AI level — among them an agent's "delete and recreate the environment"
// plan on a Tier-1 service and an unvalidated global config push to config-service.
import { renderDiff } from '../templates/diff';
import { externalId } from '../templates/ids';
import { criticalPending } from '../templates/pending-critical';
import { routinePending } from '../templates/pending-routine';
import { smallPending } from '../templates/pending-small';
import type { PendingSpec } from '../templates/pending-spec';
import { dayNumber, HOUR, MINUTE } from '../templates/random';
import type { SeedChange, SeedRevision } from '../types';
import { getService } from './org';

export const pendingSpecs: PendingSpec[] = [...criticalPending, ...routinePending, ...smallPending];

/**
 * The pending changes as of `now`. Pull-request numbers continue each repository's history
 * on `now`'s UTC day (the history covers the days before it), so they never collide with it.
 */
export function pendingChanges(now: Date): SeedChange[] {
  const day = dayNumber(now);
  const perRepo = new Map<string, number>();
  return pendingSpecs.map((spec) => {
    const primary = spec.services[0];
    if (!primary) throw new Error(`pending change ${spec.key} touches no service`);
    const repo = getService(primary).repo;
    const slot = perRepo.get(repo) ?? 0;
    perRepo.set(repo, slot + 1);
    const createdAt = new Date(now.getTime() - Math.round(spec.hoursAgo * HOUR / MINUTE) * MINUTE);
    const revisions: SeedRevision[] = [{ diff: renderDiff(spec.files), terraformPlan: spec.plan ?? null, createdAt }];
    if (spec.second) {
      const at = new Date(now.getTime() - Math.round(spec.second.hoursAgo * HOUR / MINUTE) * MINUTE);
      revisions.push({ diff: renderDiff(spec.second.files), terraformPlan: spec.second.plan ?? spec.plan ?? null, createdAt: at });
    }
    const approvals = (spec.approvals ?? []).map((a) => {
      const rev = revisions[a.revision];
      if (!rev) throw new Error(`pending change ${spec.key}: approval on missing revision ${a.revision}`);
      return { person: a.person, decision: a.decision, comment: a.comment, at: new Date(rev.createdAt.getTime() + a.minutesAfter * MINUTE), revision: a.revision };
    });
    return {
      externalId: externalId(repo, day, slot),
      repo,
      title: spec.title,
      description: spec.description,
      author: spec.author,
      coAuthors: spec.coAuthors ?? [],
      services: spec.services,
      kind: spec.kind,
      ai: spec.ai,
      environment: 'production',
      preDeploy: spec.preDeploy,
      createdAt,
      revisions,
      approvals,
      deployments: [],
      status: 'pending',
    };
  });
}
