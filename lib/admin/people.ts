// People and levels, as an administrator changes them: level, role, team, deactivation.
// A level or role change can make a standing approval count or stop counting, so the
// sign-off of every open change the person decided on is refreshed in the same transaction.
// Also where accounts begin: a person (with a password to sign in) or a pipeline (a bot),
// and where a person's password is set, ending their sessions.
import { and, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '@/db/client';
import { approvals, changes, people, sessions, teams, type Person } from '@/db/schema';
import { ROLES } from '@/db/schema/enums';
import { REWEIGHABLE_STATUSES } from '@/lib/approvals/refresh';
import { refreshSignOff } from '@/lib/approvals/state';
import { appendAudit } from '@/lib/audit/chain';
import { generatePassword, hashPassword } from '@/lib/auth/password';
import { passwordProblem } from '@/lib/auth/password-rules';
import { DEFAULT_LEVEL_BY_ROLE } from '@/lib/auth/roles';
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
    await assertTeam(tx, patch.team);
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
      .where(and(eq(approvals.personId, person.id), isNull(approvals.withdrawnAt), inArray(changes.status, [...REWEIGHABLE_STATUSES])))
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

const Handle = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, 'handle: 2–63 lower-case letters, digits, dots, dashes (e.g. checkout-deploy)');

export const NewPipeline = z
  .object({
    handle: Handle,
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

export const NewPerson = z
  .object({
    handle: Handle,
    name: z.string().trim().min(1, 'name is required').max(200),
    email: z.string().trim().max(320).pipe(z.email('email: not an e-mail address')),
    role: z.enum(ROLES, `role: one of ${ROLES.join(', ')}`),
    level: z.number().int('level: a whole number').min(4, 'level: 4 to 10').max(10, 'level: 4 to 10').optional(),
    team: z.string().trim().max(100).nullish(),
    title: z.string().trim().max(200).nullish(),
    /** An initial password (checked against the password rules: 400 when too short)… */
    password: z.string().optional(),
    /** …or one generated by the server, answered once. */
    generatePassword: z.boolean().optional(),
  })
  .strict();
export type NewPerson = z.infer<typeof NewPerson>;

type By = Pick<Person, 'id' | 'handle'> | null;

/** The password to store, checked, or a generated one; refuses both or a weak one with 400 before anything is written. */
export function choosePassword(input: { password?: string; generate?: boolean }, required: boolean): { password: string; generated: boolean } | null {
  if (input.password !== undefined && input.generate) throw badRequest('password_or_generate', 'Give a password or ask for a generated one, not both.');
  if (input.generate) return { password: generatePassword(), generated: true };
  if (input.password === undefined) {
    if (required) throw badRequest('password_required', 'Give a password, or ask for a generated one with "generate": true.');
    return null;
  }
  const problem = passwordProblem(input.password);
  if (problem) throw badRequest(problem.code, problem.message);
  return { password: input.password, generated: false };
}

async function assertTeam(tx: Tx, team: string | null | undefined): Promise<void> {
  if (!team) return;
  const [row] = await tx.select({ slug: teams.slug }).from(teams).where(eq(teams.slug, team)).limit(1);
  if (!row) throw unprocessable('unknown_team', `Unknown team ${team}.`);
}

export interface CreatedPerson {
  person: Person;
  /** Only when the server generated it: shown once, stored nowhere but as a hash. */
  generatedPassword: string | null;
}

/**
 * A human account: a person who signs in with their e-mail and, once given one, a password.
 * Audited as person.created (and person.password_set when a password comes with it), never with the password.
 */
export async function createPerson(db: Db, input: NewPerson, by: By, actorLabel?: string, hashed?: string | null): Promise<CreatedPerson> {
  // `hashed`: a typed password already checked and hashed when the account was requested (see confirmations.ts).
  const pw = hashed ? { password: '', generated: false } : choosePassword({ password: input.password, generate: input.generatePassword }, false);
  const passwordHash = hashed ?? (pw ? await hashPassword(pw.password) : null);
  const level = input.level ?? DEFAULT_LEVEL_BY_ROLE[input.role];
  const actor = actorLabel ?? by?.handle ?? 'cli';
  return db.transaction(async (tx) => {
    await assertTeam(tx, input.team);
    const taken = await tx
      .select({ handle: people.handle, email: people.email })
      .from(people)
      .where(or(eq(people.handle, input.handle), sql`lower(${people.email}) = lower(${input.email})`));
    if (taken.some((t) => t.handle === input.handle)) throw conflict('handle_taken', `Someone already has the handle ${input.handle}.`);
    if (taken.length) throw conflict('email_taken', `Someone already has the e-mail ${input.email}.`);
    const [row] = await tx
      .insert(people)
      .values({ handle: input.handle, name: input.name, email: input.email, role: input.role, level, team: input.team || null, title: input.title || null, isBot: false, passwordHash })
      .onConflictDoNothing()
      .returning();
    // Added by someone else a moment ago.
    if (!row) throw conflict('handle_taken', `Someone already has the handle ${input.handle} or the e-mail ${input.email}.`);
    await appendAudit(tx, {
      actorId: by?.id ?? null,
      actor,
      action: 'person.created',
      subjectType: 'person',
      subjectId: row.handle,
      payload: { handle: row.handle, name: row.name, email: row.email, role: row.role, level: row.level, team: row.team, isBot: false, passwordSet: !!pw },
    });
    if (pw) {
      await appendAudit(tx, {
        actorId: by?.id ?? null,
        actor,
        action: 'person.password_set',
        subjectType: 'person',
        subjectId: row.handle,
        payload: { handle: row.handle, generated: pw.generated, sessionsEnded: 0 },
      });
    }
    return { person: row, generatedPassword: pw?.generated ? pw.password : null };
  });
}

export interface PasswordSetResult {
  person: Person;
  generatedPassword: string | null;
  sessionsEnded: number;
}

/**
 * Sets a person's password (typed, or generated and answered once) and signs them out
 * everywhere: their sessions end in the same transaction — all of them, or all but
 * `keepSession` when it is theirs (an administrator setting their own password). Their API tokens are separate credentials
 * and stay. Audited as person.password_set, never with the password or its hash.
 */
export async function setPersonPassword(
  db: Db,
  ref: string,
  input: { password?: string; generate?: boolean; passwordHash?: string },
  by: By,
  opts: { actorLabel?: string; keepSession?: { personId: number; sessionId: string } | null } = {},
): Promise<PasswordSetResult> {
  // A hash typed earlier and confirmed by a second administrator (lib/admin/confirmations.ts), or a password now.
  const pw = input.passwordHash ? { password: '', generated: false } : choosePassword(input, true)!;
  const passwordHash = input.passwordHash ?? (await hashPassword(pw.password));
  const key = ref.trim();
  return db.transaction(async (tx) => {
    const [person] = await tx
      .select()
      .from(people)
      .where(key.includes('@') ? sql`lower(${people.email}) = lower(${key})` : eq(people.handle, key))
      .for('update');
    if (!person) throw notFound(`Person ${key}`);
    if (person.isBot) throw unprocessable('bot_has_no_password', `${person.handle} is a bot or pipeline account: it signs in with API tokens, never a password.`);
    await tx.update(people).set({ passwordHash }).where(eq(people.id, person.id));
    const keep = opts.keepSession?.personId === person.id ? opts.keepSession.sessionId : null;
    const ended = await tx
      .delete(sessions)
      .where(and(eq(sessions.personId, person.id), keep ? ne(sessions.id, keep) : undefined))
      .returning({ id: sessions.id });
    await appendAudit(tx, {
      actorId: by?.id ?? null,
      actor: opts.actorLabel ?? by?.handle ?? 'cli',
      action: 'person.password_set',
      subjectType: 'person',
      subjectId: person.handle,
      payload: { handle: person.handle, generated: pw.generated, sessionsEnded: ended.length, ...(person.deactivatedAt ? { deactivated: true } : {}) },
    });
    return { person, generatedPassword: pw.generated ? pw.password : null, sessionsEnded: ended.length };
  });
}

/** The body of POST /api/v1/people/{handle}/password: a password, or `generate: true`. */
export const PasswordSet = z
  .object({
    password: z.string().optional(),
    generate: z.boolean().optional(),
  })
  .strict();
export type PasswordSet = z.infer<typeof PasswordSet>;
