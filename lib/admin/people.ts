// People and levels, as an administrator changes them: level, role, team, deactivation.
// A level or role change can make a standing approval count or stop counting, so the
// sign-off of every open change the person decided on is refreshed in the same transaction.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { approvals, changes, people, sessions, teams, type Person } from '@/db/schema';
import { ROLES } from '@/db/schema/enums';
import { refreshSignOff } from '@/lib/approvals/state';
import { appendAudit } from '@/lib/audit/chain';
import { badRequest, conflict, forbidden, notFound, unprocessable } from '@/lib/errors';

export const PersonPatch = z
  .object({
    level: z.number().int().min(4).max(10).nullable().optional(),
    role: z.enum(ROLES).optional(),
    team: z.string().trim().max(100).nullable().optional(),
    title: z.string().trim().max(200).nullable().optional(),
    deactivated: z.boolean().optional(),
  })
  .strict();
export type PersonPatch = z.infer<typeof PersonPatch>;

const FIELDS = ['level', 'role', 'team', 'title', 'deactivated'] as const;

export async function updatePerson(db: Db, handle: string, patch: PersonPatch, by: Pick<Person, 'id' | 'handle'>, actorLabel?: string): Promise<Person> {
  if (!FIELDS.some((f) => patch[f] !== undefined)) throw badRequest('empty_patch', `Send at least one of ${FIELDS.join(', ')}.`);
  return db.transaction(async (tx) => {
    const [person] = await tx.select().from(people).where(eq(people.handle, handle)).for('update');
    if (!person) throw notFound(`Person ${handle}`);
    if (person.id === by.id && ((patch.role !== undefined && patch.role !== person.role) || patch.deactivated === true)) {
      // Nobody locks the last door behind themselves: another administrator must do it.
      throw forbidden('cannot_change_self', 'You cannot change your own role or deactivate yourself; ask another administrator.');
    }
    if (person.isBot && patch.level !== undefined && patch.level !== null) throw unprocessable('bot_has_no_level', 'Bots and AI agents have no level: they never sign off.');
    if (!person.isBot && patch.level === null) throw unprocessable('level_required', 'A person needs a level (L4–L10).');
    if (patch.team) {
      const [team] = await tx.select({ slug: teams.slug }).from(teams).where(eq(teams.slug, patch.team)).limit(1);
      if (!team) throw unprocessable('unknown_team', `Unknown team ${patch.team}.`);
    }
    const set: Partial<Person> = {};
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const note = (field: string, from: unknown, to: unknown) => {
      if (from === to) return false;
      before[field] = from;
      after[field] = to;
      return true;
    };
    if (patch.level !== undefined && note('level', person.level, patch.level)) set.level = patch.level;
    if (patch.role !== undefined && note('role', person.role, patch.role)) set.role = patch.role;
    if (patch.team !== undefined && note('team', person.team, patch.team || null)) set.team = patch.team || null;
    if (patch.title !== undefined && note('title', person.title, patch.title || null)) set.title = patch.title || null;
    if (patch.deactivated !== undefined && note('deactivated', !!person.deactivatedAt, patch.deactivated)) set.deactivatedAt = patch.deactivated ? new Date() : null;
    if (!Object.keys(set).length) return person;

    const [updated] = await tx.update(people).set(set).where(eq(people.id, person.id)).returning();
    if (patch.deactivated) await tx.delete(sessions).where(eq(sessions.personId, person.id));

    // Standing decisions on current revisions of open changes: their weight may have changed.
    const affected = await tx
      .selectDistinct({ id: changes.id })
      .from(approvals)
      .innerJoin(changes, and(eq(changes.id, approvals.changeId), eq(changes.currentRevisionId, approvals.revisionId)))
      .where(and(eq(approvals.personId, person.id), isNull(approvals.withdrawnAt), inArray(changes.status, ['pending', 'approved', 'rejected'])))
      .orderBy(changes.id);
    const refreshed: number[] = [];
    if (affected.length) {
      await tx.select({ id: changes.id }).from(changes).where(inArray(changes.id, affected.map((a) => a.id))).orderBy(changes.id).for('update');
      for (const { id } of affected) {
        await refreshSignOff(tx, id);
        refreshed.push(id);
      }
    }
    await appendAudit(tx, {
      actorId: by.id,
      actor: actorLabel ?? by.handle,
      action: 'person.updated',
      subjectType: 'person',
      subjectId: person.handle,
      payload: { handle: person.handle, before, after, refreshedChanges: refreshed },
    });
    return updated!;
  });
}

export const NewPipeline = z
  .object({
    handle: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, 'handle: lower-case letters, digits, dots, dashes (e.g. checkout-deploy)'),
    name: z.string().trim().min(1, 'name is required').max(200),
  })
  .strict();
export type NewPipeline = z.infer<typeof NewPipeline>;

/**
 * A pipeline's own account (a bot: no level, no password, never an approver) so its tokens
 * say which pipeline acted, not whose laptop the secret came from.
 */
export async function createPipelineAccount(db: Db, input: NewPipeline, by: Pick<Person, 'id' | 'handle'>, actorLabel?: string): Promise<Person> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(people)
      .values({ handle: input.handle, name: input.name, title: 'Deploy pipeline', role: 'engineer', isBot: true, level: null })
      .onConflictDoNothing()
      .returning();
    if (!row) throw conflict('handle_taken', `Someone already has the handle ${input.handle}.`);
    await appendAudit(tx, {
      actorId: by.id,
      actor: actorLabel ?? by.handle,
      action: 'person.created',
      subjectType: 'person',
      subjectId: row.handle,
      payload: { handle: row.handle, name: row.name, isBot: true, role: row.role },
    });
    return row;
  });
}
