// Break-glass: during an incident a director or VP may override the gate on one change,
// with a justification, for a bounded time. It leaves a follow-up review: two seniors must
// still sign off the revision that went out under the override.
import { and, asc, desc, eq, gt, gte, inArray, isNull } from 'drizzle-orm';
import type { Db, Queryable, Tx } from '@/db/client';
import { approvals, breakGlass, changeCoauthors, changes, people, revisions, type BreakGlass } from '@/db/schema';
import type { Role } from '@/db/schema/enums';
import { appendAudit } from '@/lib/audit/chain';
import { canBreakGlass } from '@/lib/auth/roles';
import { conflict, forbidden, notFound, unprocessable } from '@/lib/errors';
import { getPolicy } from '@/lib/policy';
import { checkApprover } from '@/lib/policy/approvals';

export const MIN_JUSTIFICATION = 10;
/** A follow-up review is two distinct seniors. */
export const FOLLOW_UP_REVIEWERS = 2;

export interface OpenBreakGlassInput {
  changeId: number;
  personId: number;
  justification: string;
  /** Defaults to the policy's breakGlassDefaultHours; at most breakGlassMaxHours. */
  hours?: number | null;
  incidentRef?: string | null;
  actorLabel?: string;
}

export async function openBreakGlass(db: Db, input: OpenBreakGlassInput): Promise<BreakGlass> {
  const justification = input.justification.trim();
  if (justification.length < MIN_JUSTIFICATION) {
    throw unprocessable('justification_required', `Say why in at least ${MIN_JUSTIFICATION} characters: the incident and what this change fixes.`);
  }
  return db.transaction(async (tx) => {
    const { approvals: policy } = await getPolicy(tx);
    const hours = input.hours ?? policy.breakGlassDefaultHours;
    if (!(hours > 0)) throw unprocessable('invalid_duration', 'The override must last a positive number of hours.');
    if (hours > policy.breakGlassMaxHours) {
      throw unprocessable('duration_too_long', `An override lasts at most ${policy.breakGlassMaxHours} hours by policy; open a new one if the incident goes on.`);
    }
    const [change] = await tx.select().from(changes).where(eq(changes.id, input.changeId)).for('update');
    if (!change) throw notFound('Change');
    const [person] = await tx.select().from(people).where(eq(people.id, input.personId)).limit(1);
    if (!person || person.deactivatedAt || person.isBot || !canBreakGlass(person.role as Role)) {
      throw forbidden('forbidden_role', 'Only a director or a VP can open a break-glass override.');
    }
    const coauthor = await tx.select().from(changeCoauthors).where(and(eq(changeCoauthors.changeId, change.id), eq(changeCoauthors.personId, person.id))).limit(1);
    if (change.authorId === person.id || coauthor.length) {
      throw forbidden('author_cannot_break_glass', 'The author of a change cannot override the gate for it: ask another director or VP.');
    }
    const now = new Date();
    const [active] = await tx.select().from(breakGlass).where(and(eq(breakGlass.changeId, change.id), isNull(breakGlass.closedAt), gt(breakGlass.expiresAt, now))).limit(1);
    if (active && active.revisionId !== change.currentRevisionId) {
      throw conflict('break_glass_active', `An override opened on an earlier revision is still open until ${active.expiresAt.toISOString()}; it does not cover the current revision: close it, then open one for this revision.`);
    }
    if (active) throw conflict('break_glass_active', `An override is already active until ${active.expiresAt.toISOString()}; close it first.`);
    const expiresAt = new Date(now.getTime() + Math.round(hours * 3_600_000));
    const [row] = await tx
      .insert(breakGlass)
      .values({ changeId: change.id, revisionId: change.currentRevisionId, openedById: person.id, justification, incidentRef: input.incidentRef?.trim() || null, openedAt: now, expiresAt })
      .returning();
    const [rev] = change.currentRevisionId ? await tx.select({ number: revisions.number, sha: revisions.sha }).from(revisions).where(eq(revisions.id, change.currentRevisionId)) : [];
    await appendAudit(tx, {
      actorId: person.id,
      actor: input.actorLabel ?? person.handle,
      action: 'break_glass.opened',
      subjectType: 'break_glass',
      subjectId: row!.id,
      changeId: change.id,
      payload: { externalId: change.externalId, justification, incidentRef: row!.incidentRef, hours, expiresAt: expiresAt.toISOString(), revision: rev?.number ?? null, sha: rev?.sha ?? null },
    });
    return row!;
  });
}

export async function closeBreakGlass(db: Db, input: { changeId: number; personId: number; actorLabel?: string }): Promise<BreakGlass> {
  return db.transaction(async (tx) => {
    const [change] = await tx.select({ id: changes.id, externalId: changes.externalId }).from(changes).where(eq(changes.id, input.changeId)).for('update');
    if (!change) throw notFound('Change');
    const [person] = await tx.select().from(people).where(eq(people.id, input.personId)).limit(1);
    if (!person || person.deactivatedAt || !canBreakGlass(person.role as Role)) throw forbidden('forbidden_role', 'Only a director or a VP can close a break-glass override.');
    const now = new Date();
    const [closed] = await tx
      .update(breakGlass)
      .set({ closedAt: now })
      .where(and(eq(breakGlass.changeId, change.id), isNull(breakGlass.closedAt), gt(breakGlass.expiresAt, now)))
      .returning();
    if (!closed) throw conflict('no_active_break_glass', 'No break-glass override is active on this change.');
    await appendAudit(tx, {
      actorId: person.id,
      actor: input.actorLabel ?? person.handle,
      action: 'break_glass.closed',
      subjectType: 'break_glass',
      subjectId: closed.id,
      changeId: change.id,
      payload: { externalId: change.externalId, openedAt: closed.openedAt.toISOString(), closedAt: now.toISOString(), followUpCompleted: !!closed.followUpCompletedAt },
    });
    return closed;
  });
}

/** A production deployment while an override is active: that revision is what the follow-up must review. */
export async function markDeployedUnderBreakGlass(tx: Tx, changeId: number, revisionId: number | null, at: Date): Promise<number[]> {
  if (revisionId === null) return [];
  const rows = await tx
    .update(breakGlass)
    .set({ revisionId })
    // Only an override opened on this revision covers it (issue 10): one from an earlier revision is not moved onto it.
    .where(and(eq(breakGlass.changeId, changeId), eq(breakGlass.revisionId, revisionId), isNull(breakGlass.closedAt), gt(breakGlass.expiresAt, at), isNull(breakGlass.followUpCompletedAt)))
    .returning({ id: breakGlass.id });
  return rows.map((r) => r.id);
}

export interface FollowUpStatus {
  revisionId: number | null;
  reviewers: { personId: number; handle: string }[];
  completed: boolean;
}

/** Who has reviewed, as a follow-up, the revision that went out under an override (or a later one). */
export async function followUpStatus(q: Queryable, glass: Pick<BreakGlass, 'changeId' | 'revisionId' | 'followUpCompletedAt'>): Promise<FollowUpStatus> {
  if (glass.revisionId === null) return { revisionId: null, reviewers: [], completed: !!glass.followUpCompletedAt };
  const [change] = await q.select({ authorId: changes.authorId, submitterId: changes.submitterId }).from(changes).where(eq(changes.id, glass.changeId));
  const [rev] = await q.select({ number: revisions.number }).from(revisions).where(eq(revisions.id, glass.revisionId));
  if (!change || !rev) return { revisionId: glass.revisionId, reviewers: [], completed: !!glass.followUpCompletedAt };
  const { approvals: policy } = await getPolicy(q);
  const coauthorIds = (await q.select({ id: changeCoauthors.personId }).from(changeCoauthors).where(eq(changeCoauthors.changeId, glass.changeId))).map((r) => r.id);
  const later = q.select({ id: revisions.id }).from(revisions).where(and(eq(revisions.changeId, glass.changeId), gte(revisions.number, rev.number)));
  const rows = await q
    .select({ personId: approvals.personId, handle: people.handle, isBot: people.isBot, level: people.level, role: people.role, deactivatedAt: people.deactivatedAt })
    .from(approvals)
    .innerJoin(people, eq(people.id, approvals.personId))
    .where(and(eq(approvals.changeId, glass.changeId), inArray(approvals.revisionId, later), eq(approvals.decision, 'approve'), isNull(approvals.withdrawnAt)))
    .orderBy(asc(approvals.createdAt));
  const seen = new Map<number, { personId: number; handle: string }>();
  for (const r of rows) {
    const refusal = checkApprover(
      { id: r.personId, isBot: r.isBot, level: r.level, role: r.role as Role, deactivated: !!r.deactivatedAt },
      { authorId: change.authorId, submitterId: change.submitterId, coauthorIds },
      { minLevel: policy.minLevelByTier[1] },
      policy,
    );
    if (!refusal && !seen.has(r.personId)) seen.set(r.personId, { personId: r.personId, handle: r.handle });
  }
  const reviewers = [...seen.values()];
  return { revisionId: glass.revisionId, reviewers, completed: !!glass.followUpCompletedAt || reviewers.length >= FOLLOW_UP_REVIEWERS };
}

/**
 * Marks every open follow-up of a change complete once two seniors have approved the
 * revision deployed under its override; returns the ids completed. Runs in the caller's
 * transaction (an approval or a deployment) and appends one audit event per completion.
 */
export async function completeBreakGlassFollowUps(tx: Tx, changeId: number, actor: { id: number | null; label: string }): Promise<number[]> {
  const pending = await tx.select().from(breakGlass).where(and(eq(breakGlass.changeId, changeId), isNull(breakGlass.followUpCompletedAt)));
  const done: number[] = [];
  for (const glass of pending) {
    const status = await followUpStatus(tx, glass);
    if (!status.completed) continue;
    const now = new Date();
    const [row] = await tx.update(breakGlass).set({ followUpCompletedAt: now }).where(and(eq(breakGlass.id, glass.id), isNull(breakGlass.followUpCompletedAt))).returning({ id: breakGlass.id });
    if (!row) continue;
    done.push(row.id);
    await appendAudit(tx, {
      actorId: actor.id,
      actor: actor.label,
      action: 'break_glass.follow_up_completed',
      subjectType: 'break_glass',
      subjectId: glass.id,
      changeId,
      payload: { reviewers: status.reviewers.map((r) => r.handle), revisionId: status.revisionId, openedAt: glass.openedAt.toISOString() },
    });
  }
  return done;
}

export interface BreakGlassView {
  id: number;
  state: 'active' | 'closed' | 'expired';
  openedBy: { handle: string; name: string; role: string };
  justification: string;
  incidentRef: string | null;
  openedAt: Date;
  expiresAt: Date;
  closedAt: Date | null;
  revision: { id: number; number: number } | null;
  followUp: { completedAt: Date | null; reviewers: string[]; required: number };
}

/** Every override on a change, newest first, with its follow-up review. */
export async function listBreakGlass(q: Queryable, changeId: number, now = new Date()): Promise<BreakGlassView[]> {
  const rows = await q
    .select({ g: breakGlass, p: { handle: people.handle, name: people.name, role: people.role }, rev: { id: revisions.id, number: revisions.number } })
    .from(breakGlass)
    .innerJoin(people, eq(people.id, breakGlass.openedById))
    .leftJoin(revisions, eq(revisions.id, breakGlass.revisionId))
    .where(eq(breakGlass.changeId, changeId))
    .orderBy(desc(breakGlass.openedAt), desc(breakGlass.id));
  const out: BreakGlassView[] = [];
  for (const { g, p, rev } of rows) {
    const follow = await followUpStatus(q, g);
    out.push({
      id: g.id,
      state: g.closedAt ? 'closed' : g.expiresAt.getTime() <= now.getTime() ? 'expired' : 'active',
      openedBy: p,
      justification: g.justification,
      incidentRef: g.incidentRef,
      openedAt: g.openedAt,
      expiresAt: g.expiresAt,
      closedAt: g.closedAt,
      revision: rev?.id ? { id: rev.id, number: rev.number } : null,
      followUp: { completedAt: g.followUpCompletedAt, reviewers: follow.reviewers.map((r) => r.handle), required: FOLLOW_UP_REVIEWERS },
    });
  }
  return out;
}
