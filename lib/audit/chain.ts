// The audit trail is a hash chain: each event stores the previous event's hash and
// SHA-256(previous hash, canonical content), so any edit or deletion breaks the chain.
import { createHash } from 'node:crypto';
import { asc, desc, gt, sql } from 'drizzle-orm';
import type { Queryable, Tx } from '@/db/client';
import { auditEvents } from '@/db/schema';
import { afterAuditEvents } from '@/lib/github/sign-off-sync';

export const GENESIS_HASH = '0'.repeat(64);
/** Serialises appenders so two transactions never chain onto the same predecessor. */
const AUDIT_LOCK_KEY = 7364022;

export interface AuditInput {
  actorId: number | null;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string | number;
  changeId?: number | null;
  payload?: Record<string, unknown>;
  occurredAt?: Date;
}

export interface AuditContent {
  occurredAt: Date;
  actorId: number | null;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  changeId: number | null;
  payload: Record<string, unknown>;
}

/** JSON with sorted keys: the same content always hashes the same, whatever the key order. */
/** A short, stable version of a JSON document (an ETag for settings): its content hash. */
export function contentVersion(value: unknown): string {
  return `"${createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16)}"`;
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function hashEvent(prevHash: string, e: AuditContent): string {
  const content = canonicalJson({
    occurredAt: e.occurredAt.toISOString(),
    actorId: e.actorId,
    actor: e.actor,
    action: e.action,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    changeId: e.changeId,
    payload: e.payload,
  });
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

/** What jsonb will give back: drop undefined, turn dates into strings. */
export function normalisePayload(payload: Record<string, unknown> | undefined): Record<string, unknown> {
  return payload ? (JSON.parse(JSON.stringify(payload)) as Record<string, unknown>) : {};
}

export function toContent(input: AuditInput, now: Date): AuditContent {
  return {
    occurredAt: input.occurredAt ?? now,
    actorId: input.actorId,
    actor: input.actor,
    action: input.action,
    subjectType: input.subjectType,
    subjectId: String(input.subjectId),
    changeId: input.changeId ?? null,
    payload: normalisePayload(input.payload),
  };
}

/**
 * Appends events inside the caller's transaction, so the event exists exactly when
 * the state change it records does.
 */
export async function appendAudit(tx: Tx, inputs: AuditInput | AuditInput[]): Promise<void> {
  const list = Array.isArray(inputs) ? inputs : [inputs];
  if (list.length === 0) return;
  // Events that may change a change's sign-off refresh its GitHub check, in this same transaction.
  await afterAuditEvents(tx, list);
  // Everything from here to the commit runs under the lock: keep it to two prepared round trips
  // (the planner's work is done once per connection, not on every gate call).
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
  const [last] = await tx.select({ hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.id)).limit(1).prepare('audit_last_hash').execute();
  let prev = last?.hash ?? GENESIS_HASH;
  const now = new Date();
  if (list.length === 1) {
    const content = toContent(list[0]!, now);
    await insertOne(tx).execute({ ...content, prevHash: prev, hash: hashEvent(prev, content) });
    return;
  }
  const rows = list.map((input) => {
    const content = toContent(input, now);
    const hash = hashEvent(prev, content);
    const row = { ...content, prevHash: prev, hash };
    prev = hash;
    return row;
  });
  // Bounded statements: a seed or an import may append thousands at once.
  for (let i = 0; i < rows.length; i += 1000) await tx.insert(auditEvents).values(rows.slice(i, i + 1000));
}

function insertOne(tx: Tx) {
  const p = <K extends string>(name: K) => sql.placeholder(name);
  return tx
    .insert(auditEvents)
    .values({
      occurredAt: p('occurredAt'),
      actorId: p('actorId'),
      actor: p('actor'),
      action: p('action'),
      subjectType: p('subjectType'),
      subjectId: p('subjectId'),
      changeId: p('changeId'),
      payload: p('payload'),
      prevHash: p('prevHash'),
      hash: p('hash'),
    })
    .prepare('audit_insert_one');
}

export interface ChainVerification {
  ok: boolean;
  events: number;
  firstBrokenId: number | null;
  reason: string | null;
  lastHash: string;
}

/** Recomputes the whole chain in id order, in batches so memory stays flat. */
/** `pace` runs between batches: a background verification waits there so requests keep the CPU. */
export async function verifyAuditChain(q: Queryable, batchSize = 5000, pace?: () => Promise<void>): Promise<ChainVerification> {
  let prev = GENESIS_HASH;
  let events = 0;
  let afterId = 0;
  for (;;) {
    const batch = await q.select().from(auditEvents).where(gt(auditEvents.id, afterId)).orderBy(asc(auditEvents.id)).limit(batchSize);
    for (const e of batch) {
      if (e.prevHash !== prev) {
        return { ok: false, events, firstBrokenId: e.id, reason: 'previous hash does not match: an event before it was changed or deleted', lastHash: prev };
      }
      const expected = hashEvent(prev, {
        occurredAt: e.occurredAt,
        actorId: e.actorId,
        actor: e.actor,
        action: e.action,
        subjectType: e.subjectType,
        subjectId: e.subjectId,
        changeId: e.changeId,
        payload: e.payload,
      });
      if (expected !== e.hash) {
        return { ok: false, events, firstBrokenId: e.id, reason: 'content does not match its hash: this event was edited', lastHash: prev };
      }
      prev = e.hash;
      events++;
    }
    if (batch.length < batchSize) break;
    afterId = batch[batch.length - 1]!.id;
    if (pace) await pace();
  }
  return { ok: true, events, firstBrokenId: null, reason: null, lastHash: prev };
}
