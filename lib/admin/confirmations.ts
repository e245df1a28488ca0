// Two-administrator confirmation (issue 10): raising a person's role or level and creating an
// approver account are asked for by one administrator and take effect only when a second,
// different administrator confirms. Every request and decision is in the audit trail.
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { confirmationRequests, people, services, type ConfirmationRequest, type Person } from '@/db/schema';
import type { ConfirmationKind, Role } from '@/db/schema/enums';
import { appendAudit } from '@/lib/audit/chain';
import { rescoreChanges } from '@/lib/changes/rescore';
import { bumpCatalogVersion } from '@/lib/graph/catalog';
import { badRequest, conflict, forbidden, notFound } from '@/lib/errors';
import { isApproverAccount, isRaise } from './confirmation-rules';
import { hashPassword } from '@/lib/auth/password';
import { choosePassword, createPerson, setPersonPassword, updatePerson, type NewPerson, type PasswordSetResult, type PersonPatch } from './people';

type By = Pick<Person, 'id' | 'handle'>;

export interface ConfirmationView {
  id: number;
  kind: string;
  subject: string;
  payload: Record<string, unknown>;
  status: string;
  requestedBy: string;
  decidedBy: string | null;
  requestedAt: string;
  decidedAt: string | null;
}

/** Records a pending request in the caller's transaction, audited as confirmation.requested. */
export async function insertConfirmationRequest(tx: Tx, kind: ConfirmationKind, subject: string, payload: Record<string, unknown>, by: { id: number; label: string }): Promise<number> {
  const [row] = await tx.insert(confirmationRequests).values({ kind, subject, payload, requestedById: by.id }).returning();
  await appendAudit(tx, {
    actorId: by.id,
    actor: by.label,
    action: 'confirmation.requested',
    subjectType: 'confirmation',
    subjectId: String(row!.id),
    payload: { kind, subject, payload: Object.fromEntries(Object.entries(payload).filter(([k]) => k !== 'passwordHash')) },
  });
  return row!.id;
}

async function request(db: Db, kind: ConfirmationKind, subject: string, payload: Record<string, unknown>, by: By, actorLabel?: string): Promise<ConfirmationView> {
  const id = await db.transaction((tx) => insertConfirmationRequest(tx, kind, subject, payload, { id: by.id, label: actorLabel ?? by.handle }));
  return (await getConfirmation(db, id))!;
}

/** PATCH a person: a raise waits for a second administrator (answer: the pending request), anything else applies now. */
export async function requestOrUpdatePerson(db: Db, handle: string, patch: PersonPatch, by: By, actorLabel?: string): Promise<{ pending: ConfirmationView } | { person: Person }> {
  const [person] = await db.select().from(people).where(eq(people.handle, handle)).limit(1);
  if (!person) throw notFound(`Person ${handle}`);
  if (isRaise(person, patch)) return { pending: await request(db, 'person.update', person.handle, { ...patch, before: { role: person.role, level: person.level } }, by, actorLabel) };
  return { person: await updatePerson(db, handle, patch, by, actorLabel) };
}

/** Adding an approver account waits for a second administrator; its password is set once it exists. */
export async function requestApproverAccount(db: Db, input: NewPerson, by: By, actorLabel?: string): Promise<ConfirmationView | null> {
  if (!isApproverAccount(input)) return null;
  const pw = choosePassword({ password: input.password, generate: input.generatePassword }, false);
  if (pw?.generated) throw badRequest('password_after_confirmation', 'An approver account waits for a second administrator: type a password for it, or set one once it is confirmed.');
  const { password: _p, generatePassword: _g, ...rest } = input;
  if (pw) Object.assign(rest, { passwordHash: await hashPassword(pw.password) });
  const [taken] = await db.select({ handle: people.handle }).from(people).where(eq(people.handle, input.handle)).limit(1);
  if (taken) throw conflict('handle_taken', `Someone already has the handle ${input.handle}.`);
  return request(db, 'person.create', input.handle, rest, by, actorLabel);
}

/**
 * Setting the password of someone else who signs off or administers waits for a second
 * administrator: otherwise one administrator could sign in as two seniors (or as the other
 * administrator) and be two approvers. Engineers' passwords, and one's own, are set at once.
 */
export async function requestOrSetPassword(
  db: Db,
  ref: string,
  input: { password?: string; generate?: boolean },
  by: By,
  opts: { actorLabel?: string; keepSession?: { personId: number; sessionId: string } | null } = {},
): Promise<{ pending: ConfirmationView } | PasswordSetResult> {
  const key = ref.trim();
  const [person] = await db.select().from(people).where(key.includes('@') ? sql`lower(${people.email}) = lower(${key})` : eq(people.handle, key)).limit(1);
  if (!person) throw notFound(`Person ${key}`);
  if (person.id === by.id || person.isBot || !isApproverAccount({ role: person.role as Role, level: person.level })) return setPersonPassword(db, key, input, by, opts);
  const pw = choosePassword(input, true)!;
  if (pw.generated) throw badRequest('password_after_confirmation', `${person.handle} signs off or administers: their new password waits for a second administrator, so type it (a generated one would be shown before it is confirmed).`);
  return { pending: await request(db, 'person.password', person.handle, { passwordHash: await hashPassword(pw.password) }, by, opts.actorLabel) };
}

export async function listConfirmations(db: Db, status?: string): Promise<ConfirmationView[]> {
  const rows = await db
    .select({ c: confirmationRequests, requester: people.handle })
    .from(confirmationRequests)
    .innerJoin(people, eq(people.id, confirmationRequests.requestedById))
    .where(status ? eq(confirmationRequests.status, status) : undefined)
    .orderBy(desc(confirmationRequests.requestedAt), desc(confirmationRequests.id))
    .limit(200);
  const deciders = new Map<number, string>();
  for (const id of new Set(rows.map((r) => r.c.decidedById).filter((x): x is number => x != null))) {
    const [p] = await db.select({ handle: people.handle }).from(people).where(eq(people.id, id)).limit(1);
    if (p) deciders.set(id, p.handle);
  }
  return rows.map((r) => view(r.c, r.requester, r.c.decidedById ? (deciders.get(r.c.decidedById) ?? null) : null));
}

export async function getConfirmation(db: Db, id: number): Promise<ConfirmationView | null> {
  return (await listConfirmationsById(db, id)) ?? null;
}

async function listConfirmationsById(db: Db, id: number): Promise<ConfirmationView | undefined> {
  const [r] = await db.select({ c: confirmationRequests, requester: people.handle }).from(confirmationRequests).innerJoin(people, eq(people.id, confirmationRequests.requestedById)).where(eq(confirmationRequests.id, id)).limit(1);
  if (!r) return undefined;
  const [decider] = r.c.decidedById ? await db.select({ handle: people.handle }).from(people).where(eq(people.id, r.c.decidedById)).limit(1) : [];
  return view(r.c, r.requester, decider?.handle ?? null);
}

function view(c: ConfirmationRequest, requestedBy: string, decidedBy: string | null): ConfirmationView {
  return {
    id: c.id,
    kind: c.kind,
    subject: c.subject,
    payload: Object.fromEntries(Object.entries(c.payload).filter(([k]) => k !== 'passwordHash')),
    status: c.status,
    requestedBy,
    decidedBy,
    requestedAt: c.requestedAt.toISOString(),
    decidedAt: c.decidedAt ? c.decidedAt.toISOString() : null,
  };
}

/**
 * A second administrator confirms (the change is applied, in the same transaction) or rejects.
 * The requester can do neither to their own request: 403 same_administrator.
 */
export async function decideConfirmation(db: Db, id: number, decision: 'confirm' | 'reject', by: By, actorLabel?: string): Promise<ConfirmationView> {
  await db.transaction(async (tx) => {
    const [c] = await tx.select().from(confirmationRequests).where(eq(confirmationRequests.id, id)).for('update');
    if (!c) throw notFound(`Confirmation request ${id}`);
    if (c.requestedById === by.id) throw forbidden('same_administrator', 'You asked for this change: a second, different administrator must confirm or reject it.');
    if (c.status !== 'pending') throw conflict('already_decided', `This request was already ${c.status}.`);
    const status = decision === 'confirm' ? 'confirmed' : 'rejected';
    await tx.update(confirmationRequests).set({ status, decidedById: by.id, decidedAt: new Date() }).where(and(eq(confirmationRequests.id, id), eq(confirmationRequests.status, 'pending')));
    const [requester] = await tx.select({ id: people.id, handle: people.handle }).from(people).where(eq(people.id, c.requestedById)).limit(1);
    await appendAudit(tx, {
      actorId: by.id,
      actor: actorLabel ?? by.handle,
      action: `confirmation.${status}`,
      subjectType: 'confirmation',
      subjectId: String(c.id),
      payload: { kind: c.kind, subject: c.subject, requestedBy: requester!.handle, payload: view(c, '', null).payload },
    });
    if (decision === 'reject') return;
    // Applied as the requester asked it, confirmed by this administrator (both in the trail).
    const label = `${requester!.handle} (confirmed by ${by.handle})`;
    const inner = tx as unknown as Db;
    if (c.kind === 'person.update') {
      const { before: _b, ...patch } = c.payload as PersonPatch & { before?: unknown };
      await updatePerson(inner, c.subject, patch, requester!, label);
    } else if (c.kind === 'person.create') {
      const { passwordHash, ...input } = c.payload as NewPerson & { passwordHash?: string };
      await createPerson(inner, input, requester!, label, passwordHash ?? null);
    } else if (c.kind === 'person.password') {
      const { passwordHash } = c.payload as { passwordHash: string };
      await setPersonPassword(inner, c.subject, { passwordHash }, requester!, { actorLabel: label });
    } else if (c.kind === 'service.tier') {
      const tier = Number((c.payload as { tier?: unknown }).tier);
      const [svc] = await tx.update(services).set({ tier, updatedAt: new Date() }).where(eq(services.slug, c.subject)).returning({ id: services.id });
      if (!svc) throw notFound(`Service ${c.subject}`);
      await bumpCatalogVersion(tx);
      await rescoreChanges(tx, { reason: 'service.tier_confirmed', actor: { personId: by.id, label }, onlyIfGraphChanged: true });
    }
  });
  return (await getConfirmation(db, id))!;
}
