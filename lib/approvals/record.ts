// Recording a sign-off decision: one transaction that locks the change, checks the
// policy against the locked state, inserts, refreshes the stored sign-off and appends
// the audit event. The lock makes concurrent requests see each other: twenty identical
// approvals record one, and two different seniors at the same instant both count.
import { and, eq, isNull } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { approvals, changes, people, revisions, type Approval, type Change } from '@/db/schema';
import type { Decision, Role } from '@/db/schema/enums';
import { appendAudit } from '@/lib/audit/chain';
import { AppError, conflict, forbidden, notFound, pgErrorOf, unprocessable } from '@/lib/errors';
import { checkApprover, GUARDED_REFUSALS, type ApproverRefusal } from '@/lib/policy/approvals';
import { completeBreakGlassFollowUps } from './break-glass';
import { loadSignOffInputs, computeSignOff, refreshSignOff, type ChangeSignOff } from './state';

export type DecisionVia = 'web' | 'api' | 'cli';

export interface RecordDecisionInput {
  changeId: number;
  personId: number;
  decision: Decision;
  comment?: string | null;
  /** The revision the reviewer looked at: refused when it is no longer the current one. */
  revisionSha: string;
  via: DecisionVia;
  /** How the actor appears in the audit trail (a token's label); the person's handle by default. */
  actorLabel?: string;
}

export interface DecisionResult {
  approval: Approval;
  change: Pick<Change, 'id' | 'externalId' | 'status' | 'requiredApprovals' | 'validApprovals'>;
  approvals: { required: number; valid: number };
}

export const MAX_COMMENT_LENGTH = 10_000;

const REFUSAL_TEXT: Record<ApproverRefusal, string> = {
  bot_cannot_approve: 'A bot or AI agent never signs off a change: a human must.',
  author_cannot_approve: 'The author or a co-author of a change cannot sign it off.',
  submitter_cannot_approve: 'Whoever submitted a change cannot sign it off, whoever it names as author.',
  level_too_low: 'Your level is below what this change requires for sign-off.',
  not_an_approver: 'Only active senior engineers, directors and VPs sign off changes.',
};

export function refusalError(code: ApproverRefusal, detail?: string): AppError {
  return forbidden(code, detail ?? REFUSAL_TEXT[code]);
}

/** Approve or reject the current revision of a change. */
export async function recordDecision(db: Db, input: RecordDecisionInput): Promise<DecisionResult> {
  const comment = (input.comment ?? '').trim();
  if (input.decision === 'reject' && !comment) {
    throw unprocessable('comment_required', 'A reject needs a comment that says what must change.');
  }
  if (comment.length > MAX_COMMENT_LENGTH) throw unprocessable('comment_too_long', `Keep the comment under ${MAX_COMMENT_LENGTH} characters.`);
  try {
    return await db.transaction(async (tx) => {
      const change = await lockChange(tx, input.changeId);
      const [person] = await tx.select().from(people).where(eq(people.id, input.personId)).limit(1);
      if (!person) throw refusalError('not_an_approver', 'Unknown person.');
      const signOff = computeSignOff(change, await loadSignOffInputs(tx, change));
      const refusal = checkApprover(
        { id: person.id, isBot: person.isBot, level: person.level, role: person.role as Role, deactivated: !!person.deactivatedAt },
        { authorId: change.authorId, submitterId: change.submitterId, coauthorIds: signOff.coauthorIds },
        signOff.requirement,
        signOff.inputs!.policy,
      );
      if (refusal) throw refusalError(refusal, refusalDetail(refusal, person, signOff));

      const current = change.currentRevisionId
        ? (await tx.select({ id: revisions.id, sha: revisions.sha, number: revisions.number }).from(revisions).where(eq(revisions.id, change.currentRevisionId)))[0]
        : undefined;
      if (!current) throw conflict('stale_revision', 'The change has no revision to sign off yet.');
      if (current.sha !== input.revisionSha.trim().toLowerCase()) {
        throw conflict('stale_revision', `The change has a newer revision (r${current.number}, ${current.sha.slice(0, 12)}): review it and sign off that one.`);
      }
      const standing = signOff.decisions.find((d) => d.personId === person.id && d.revisionId === current.id && !d.withdrawnAt);
      if (standing) {
        throw conflict('already_approved', `You already ${standing.decision === 'approve' ? 'approved' : 'rejected'} this revision; withdraw that decision first to change it.`);
      }

      const [approval] = await tx
        .insert(approvals)
        .values({ changeId: change.id, revisionId: current.id, personId: person.id, decision: input.decision, comment, via: input.via })
        .returning();
      const { change: after, signOff: now } = await refreshSignOff(tx, change.id);
      const followUps = input.decision === 'approve' ? await completeBreakGlassFollowUps(tx, change.id, { id: person.id, label: input.actorLabel ?? person.handle }) : [];
      await appendAudit(tx, {
        actorId: person.id,
        actor: input.actorLabel ?? person.handle,
        action: input.decision === 'approve' ? 'approval.approved' : 'approval.rejected',
        subjectType: 'approval',
        subjectId: approval!.id,
        changeId: change.id,
        payload: {
          externalId: change.externalId,
          revision: current.number,
          sha: current.sha,
          comment,
          via: input.via,
          approvals: { required: now.requirement.required, valid: now.state.valid },
          status: after.status,
          ...(followUps.length ? { breakGlassFollowUps: followUps } : {}),
        },
      });
      return summary(approval!, after, now);
    });
  } catch (err) {
    throw mapGuardError(err);
  }
}

export interface WithdrawDecisionInput {
  changeId: number;
  approvalId: number;
  personId: number;
  via: DecisionVia;
  actorLabel?: string;
}

/** Withdraw one's own standing decision: it stays visible, marked withdrawn, and stops counting. */
export async function withdrawDecision(db: Db, input: WithdrawDecisionInput): Promise<DecisionResult> {
  try {
    return await db.transaction(async (tx) => {
      const change = await lockChange(tx, input.changeId);
      const [row] = await tx.select().from(approvals).where(and(eq(approvals.id, input.approvalId), eq(approvals.changeId, change.id))).limit(1);
      if (!row) throw notFound('Decision');
      if (row.personId !== input.personId) throw forbidden('not_your_decision', 'Only the person who made a decision can withdraw it.');
      if (row.withdrawnAt) throw conflict('already_withdrawn', 'This decision was already withdrawn.');
      const [updated] = await tx
        .update(approvals)
        .set({ withdrawnAt: new Date() })
        .where(and(eq(approvals.id, row.id), isNull(approvals.withdrawnAt)))
        .returning();
      if (!updated) throw conflict('already_withdrawn', 'This decision was already withdrawn.');
      const [rev] = await tx.select({ number: revisions.number, sha: revisions.sha }).from(revisions).where(eq(revisions.id, row.revisionId));
      const [person] = await tx.select({ handle: people.handle }).from(people).where(eq(people.id, input.personId));
      const { change: after, signOff } = await refreshSignOff(tx, change.id);
      await appendAudit(tx, {
        actorId: input.personId,
        actor: input.actorLabel ?? person?.handle ?? String(input.personId),
        action: 'approval.withdrawn',
        subjectType: 'approval',
        subjectId: row.id,
        changeId: change.id,
        payload: {
          externalId: change.externalId,
          decision: row.decision,
          revision: rev?.number ?? null,
          sha: rev?.sha ?? null,
          superseded: row.revisionId !== change.currentRevisionId,
          via: input.via,
          approvals: { required: signOff.requirement.required, valid: signOff.state.valid },
          status: after.status,
        },
      });
      return summary(updated, after, signOff);
    });
  } catch (err) {
    throw mapGuardError(err);
  }
}

/** The change row, locked until the transaction ends: every sign-off write on it queues here. */
export async function lockChange(tx: Tx, changeId: number): Promise<Change> {
  const [change] = await tx.select().from(changes).where(eq(changes.id, changeId)).for('update');
  if (!change) throw notFound('Change');
  return change;
}

function summary(approval: Approval, change: Change, signOff: ChangeSignOff): DecisionResult {
  return {
    approval,
    change: { id: change.id, externalId: change.externalId, status: change.status, requiredApprovals: change.requiredApprovals, validApprovals: change.validApprovals },
    approvals: { required: signOff.requirement.required, valid: signOff.state.valid },
  };
}

function refusalDetail(code: ApproverRefusal, person: { level: number | null; role: string; deactivatedAt: Date | null }, signOff: ChangeSignOff): string {
  switch (code) {
    case 'level_too_low':
      return `This change needs approvers at L${signOff.requirement.minLevel} or above (Tier-${signOff.requirement.effectiveTier}); you are L${person.level ?? '?'}.`;
    case 'not_an_approver':
      return person.deactivatedAt ? 'This account is deactivated.' : `A ${person.role} does not sign off changes: ask a senior engineer, a director or a VP.`;
    default:
      return REFUSAL_TEXT[code];
  }
}

/** The database's own guards (triggers, unique keys, checks) say the same things in their words: translate them. */
export function mapGuardError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  const pg = pgErrorOf(err);
  if (!pg) return err;
  if (pg.hint === 'countersign') {
    const code = pg.message.trim();
    if ((GUARDED_REFUSALS as readonly string[]).includes(code) || code === 'level_too_low' || code === 'not_an_approver') return refusalError(code as ApproverRefusal);
    if (code === 'stale_revision') return conflict('stale_revision', 'The change has a newer revision: review it and sign off that one.');
    return conflict('refused', `Refused by the database: ${code}.`);
  }
  if (pg.code === '23505' && pg.constraint === 'approvals_one_per_person_revision') {
    return conflict('already_approved', 'You already decided on this revision; withdraw that decision first to change it.');
  }
  if (pg.code === '23514' && pg.constraint === 'approvals_reject_has_comment') {
    return unprocessable('comment_required', 'A reject needs a comment that says what must change.');
  }
  return err;
}
