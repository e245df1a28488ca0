// The system's own records: the hash-chained audit trail, credentials and sessions,
// webhook deliveries and the durable job queue, settings and report attestations.
import { sql } from 'drizzle-orm';
import { bigserial, check, index, integer, jsonb, pgTable, serial, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { changes } from './changes';
import { CONFIRMATION_KINDS, CONFIRMATION_STATUSES, inList, JOB_STATUSES } from './enums';
import { people } from './org';

const now = () => timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow();
const ts = () => timestamp({ withTimezone: true, mode: 'date' });

/**
 * Append-only. Each row stores the hash of the previous row and its own hash over
 * (previous hash, canonical content); a trigger refuses UPDATE, DELETE and TRUNCATE.
 */
export const auditEvents = pgTable('audit_events', {
  id: bigserial({ mode: 'number' }).primaryKey(),
  occurredAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  actorId: integer().references(() => people.id),
  /** Who or what acted, as shown: a handle, `token:<name>`, `github`, `system`. */
  actor: text().notNull(),
  action: text().notNull(),
  subjectType: text().notNull(),
  subjectId: text().notNull(),
  changeId: integer().references(() => changes.id),
  payload: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  prevHash: text().notNull(),
  hash: text().notNull(),
}, (t) => [
  uniqueIndex('audit_events_hash_key').on(t.hash),
  check('audit_events_hash_format', sql`${t.hash} ~ '^[0-9a-f]{64}$' AND ${t.prevHash} ~ '^[0-9a-f]{64}$'`),
  index('audit_events_occurred_at_idx').on(t.occurredAt.desc(), t.id.desc()),
  index('audit_events_change_idx').on(t.changeId),
  index('audit_events_action_idx').on(t.action, t.occurredAt),
  index('audit_events_actor_idx').on(t.actorId, t.occurredAt),
]);

export const apiTokens = pgTable('api_tokens', {
  id: serial().primaryKey(),
  personId: integer().notNull().references(() => people.id),
  name: text().notNull(),
  /** SHA-256 of the secret; the secret itself is shown once and never stored. */
  tokenHash: text().notNull(),
  prefix: text().notNull(),
  scopes: jsonb().$type<string[]>().notNull(),
  /** Repositories (owner/name) whose deployments this token may report; empty = none (admins excepted). */
  repos: text().array().notNull().default(sql`'{}'::text[]`),
  createdById: integer().references(() => people.id),
  createdAt: now(),
  lastUsedAt: ts(),
  expiresAt: ts(),
  revokedAt: ts(),
}, (t) => [
  uniqueIndex('api_tokens_hash_key').on(t.tokenHash),
  check('api_tokens_has_scope', sql`jsonb_typeof(${t.scopes}) = 'array' AND jsonb_array_length(${t.scopes}) > 0`),
  index('api_tokens_person_idx').on(t.personId),
]);

export const sessions = pgTable('sessions', {
  /** SHA-256 of the cookie's secret. */
  id: text().primaryKey(),
  personId: integer().notNull().references(() => people.id, { onDelete: 'cascade' }),
  csrfToken: text().notNull(),
  createdAt: now(),
  lastSeenAt: now(),
  expiresAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  userAgent: text(),
  ip: text(),
}, (t) => [index('sessions_person_idx').on(t.personId), index('sessions_expires_at_idx').on(t.expiresAt)]);

/** GitHub deliveries, kept by delivery id so a redelivery changes nothing. */
export const webhookDeliveries = pgTable('webhook_deliveries', {
  deliveryId: text().primaryKey(),
  source: text().notNull().default('github'),
  event: text().notNull(),
  action: text(),
  receivedAt: now(),
  outcome: text().notNull().default('queued'),
  /** SHA-256 of the raw body: the same body under a new delivery id is a replay. */
  bodySha256: text(),
}, (t) => [index('webhook_deliveries_received_at_idx').on(t.receivedAt), index('webhook_deliveries_body_sha256_idx').on(t.bodySha256)]);

/** Failed sign-ins per account (`account:<email>`) and per client address (`ip:<addr>`), with the back-off lock. */
export const authThrottle = pgTable('auth_throttle', {
  key: text().primaryKey(),
  failures: integer().notNull().default(0),
  lastFailureAt: now(),
  lockedUntil: timestamp({ withTimezone: true, mode: 'date' }),
});

/** Durable background work: a crash between answering and working loses nothing. */
export const jobs = pgTable('jobs', {
  id: bigserial({ mode: 'number' }).primaryKey(),
  kind: text().notNull(),
  payload: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  status: text().notNull().default('queued'),
  attempts: smallint().notNull().default(0),
  maxAttempts: smallint().notNull().default(8),
  runAfter: now(),
  lockedAt: ts(),
  lockedBy: text(),
  lastError: text(),
  dedupeKey: text(),
  createdAt: now(),
  updatedAt: now(),
}, (t) => [
  check('jobs_status_valid', sql.raw(`status IN (${inList(JOB_STATUSES)})`)),
  index('jobs_ready_idx').on(t.status, t.runAfter),
  uniqueIndex('jobs_dedupe_key').on(t.dedupeKey).where(sql`${t.status} IN ('queued', 'running')`),
]);

/** Overrides of the policy defaults and other organisation settings. */
export const settings = pgTable('settings', {
  key: text().primaryKey(),
  value: jsonb().notNull(),
  updatedById: integer().references(() => people.id),
  updatedAt: now(),
});

/** "Reviewed by … on …" for a weekly report. */
export const reportAttestations = pgTable('report_attestations', {
  id: serial().primaryKey(),
  isoWeek: text().notNull(),
  personId: integer().notNull().references(() => people.id),
  note: text().notNull().default(''),
  attestedAt: now(),
}, (t) => [
  uniqueIndex('report_attestations_key').on(t.isoWeek, t.personId),
  check('report_attestations_week_format', sql`${t.isoWeek} ~ '^[0-9]{4}-W[0-9]{2}$'`),
]);

/**
 * A change one administrator asked for that takes effect only when a second, different
 * administrator confirms it: raising a role or level, an approver account, a lower service tier.
 */
export const confirmationRequests = pgTable('confirmation_requests', {
  id: serial().primaryKey(),
  kind: text().notNull(),
  /** The handle or service slug it is about, for lists and the audit trail. */
  subject: text().notNull(),
  payload: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  status: text().notNull().default('pending'),
  requestedById: integer().notNull().references(() => people.id),
  decidedById: integer().references(() => people.id),
  requestedAt: now(),
  decidedAt: ts(),
}, (t) => [
  check('confirmation_requests_kind', sql.raw(`kind IN (${inList(CONFIRMATION_KINDS)})`)),
  check('confirmation_requests_status', sql.raw(`status IN (${inList(CONFIRMATION_STATUSES)})`)),
  check('confirmation_requests_second_admin', sql`${t.decidedById} IS NULL OR ${t.decidedById} <> ${t.requestedById}`),
  index('confirmation_requests_status_idx').on(t.status, t.requestedAt),
]);

export type ConfirmationRequest = typeof confirmationRequests.$inferSelect;
export type AuditEvent = typeof auditEvents.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type Job = typeof jobs.$inferSelect;
