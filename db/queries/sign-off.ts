// The sign-off of one change as the page and the API show it: what is required, every
// decision with why it does or does not count, what the gate would answer, and whether
// the person looking may sign off (and if not, why).
import { asc, eq } from 'drizzle-orm';
import type { Queryable } from '@/db/client';
import { changes, people, revisions } from '@/db/schema';
import type { Decision, Role } from '@/db/schema/enums';
import { gateFor, loadSignOff } from '@/lib/approvals/state';
import { scopesForRole } from '@/lib/auth/roles';
import { checkApprover, GATE_REASON_TEXT, type ApproverRefusal, type GateReason } from '@/lib/policy/approvals';

export type ViewerBlock = ApproverRefusal | 'already_decided' | 'no_revision';

export interface SignOffDecision {
  id: number;
  handle: string;
  name: string;
  level: number | null;
  role: Role;
  decision: Decision;
  comment: string;
  revision: { id: number; number: number; sha: string };
  createdAt: string;
  withdrawnAt: string | null;
  via: string;
  invalidReason: string | null;
  counts: boolean;
  mine: boolean;
}

export interface SignOffView {
  change: { id: number; externalId: string; title: string; status: string; environment: string; author: string };
  revision: { id: number; number: number; sha: string } | null;
  required: number;
  valid: number;
  rejects: number;
  minLevel: number;
  effectiveTier: number;
  because: string[];
  gate: { environment: string; allowed: boolean; reasons: GateReason[]; text: string[] };
  decisions: SignOffDecision[];
  viewer: { handle: string; canDecide: boolean; block: ViewerBlock | null; message: string | null; ownDecisionId: number | null };
  breakGlassActive: boolean;
}

export interface Viewer {
  id: number;
  handle: string;
  role: string;
  level: number | null;
  isBot: boolean;
  deactivatedAt: Date | null;
}

export async function getSignOffView(q: Queryable, { changeId, viewer }: { changeId: number; viewer: Viewer }): Promise<SignOffView | null> {
  const [change] = await q.select().from(changes).where(eq(changes.id, changeId)).limit(1);
  if (!change) return null;
  const [signOff, revs, [author]] = await Promise.all([
    loadSignOff(q, change),
    q.select({ id: revisions.id, number: revisions.number, sha: revisions.sha }).from(revisions).where(eq(revisions.changeId, change.id)).orderBy(asc(revisions.number)),
    q.select({ handle: people.handle }).from(people).where(eq(people.id, change.authorId)).limit(1),
  ]);
  const revById = new Map(revs.map((r) => [r.id, r]));
  const current = change.currentRevisionId ? (revById.get(change.currentRevisionId) ?? null) : null;
  const gate = gateFor(change, signOff, change.environment);
  const decisions: SignOffDecision[] = signOff.decisions.map((d) => ({
    id: d.id,
    handle: d.handle,
    name: d.name,
    level: d.level,
    role: d.role,
    decision: d.decision,
    comment: d.comment,
    revision: revById.get(d.revisionId) ?? { id: d.revisionId, number: 0, sha: '' },
    createdAt: d.createdAt.toISOString(),
    withdrawnAt: d.withdrawnAt?.toISOString() ?? null,
    via: d.via,
    invalidReason: d.invalidReason,
    counts: d.invalidReason === null && d.decision === 'approve' && d.revisionId === change.currentRevisionId,
    mine: d.personId === viewer.id,
  }));
  const own = signOff.decisions.find((d) => d.personId === viewer.id && d.revisionId === change.currentRevisionId && !d.withdrawnAt);
  let block: ViewerBlock | null = checkApprover(
    { id: viewer.id, isBot: viewer.isBot, level: viewer.level, role: viewer.role as Role, deactivated: !!viewer.deactivatedAt },
    { authorId: change.authorId, coauthorIds: signOff.coauthorIds },
    signOff.requirement,
    signOff.inputs?.policy,
  );
  // A role without the approve scope never signs off, whatever the policy's role list says.
  if (!block && !scopesForRole(viewer.role as Role).includes('approve')) block = 'not_an_approver';
  if (!block && own) block = 'already_decided';
  if (!block && !current) block = 'no_revision';
  return {
    change: { id: change.id, externalId: change.externalId, title: change.title, status: change.status, environment: change.environment, author: author?.handle ?? '' },
    revision: current,
    required: signOff.requirement.required,
    valid: signOff.state.valid,
    rejects: signOff.state.rejects,
    minLevel: signOff.requirement.minLevel,
    effectiveTier: signOff.requirement.effectiveTier,
    because: signOff.requirement.because,
    gate: { environment: change.environment, allowed: gate.allowed, reasons: gate.reasons, text: gate.reasons.map((r) => GATE_REASON_TEXT[r]) },
    decisions,
    viewer: { handle: viewer.handle, canDecide: block === null, block, message: block ? viewerMessage(block, viewer, signOff.requirement.minLevel, own?.decision) : null, ownDecisionId: own?.id ?? null },
    breakGlassActive: signOff.breakGlassActive,
  };
}

function viewerMessage(block: ViewerBlock, viewer: Viewer, minLevel: number, own?: Decision): string {
  switch (block) {
    case 'author_cannot_approve':
      return 'You are an author of this change: two other people must sign it off.';
    case 'submitter_cannot_approve':
      return 'You submitted this change: others must sign it off.';
    case 'bot_cannot_approve':
      return 'Bots and AI agents never sign off a change.';
    case 'level_too_low':
      return `Sign-off here needs L${minLevel} or above; you are L${viewer.level ?? '?'}.`;
    case 'not_an_approver':
      return viewer.deactivatedAt ? 'Your account is deactivated.' : 'Your role does not sign off changes: senior engineers, directors and VPs do.';
    case 'already_decided':
      return own === 'reject' ? 'You rejected this revision; withdraw the reject to change it.' : 'You approved this revision.';
    case 'no_revision':
      return 'There is no diff or plan to sign off yet.';
  }
}
