// What happens in production: incidents, institutional memory (watch-outs),
// gate decisions and deployments.
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, check, index, integer, jsonb, pgTable, primaryKey, serial, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { changes, revisions } from './changes';
import { DEPLOYMENT_STATUSES, inList, WATCHOUT_SCOPES } from './enums';
import { people, services } from './org';

const now = () => timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow();
const ts = () => timestamp({ withTimezone: true, mode: 'date' });

export const incidents = pgTable('incidents', {
  id: serial().primaryKey(),
  externalId: text().notNull(),
  title: text().notNull(),
  severity: smallint().notNull(),
  startedAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  resolvedAt: ts(),
  causeChangeId: integer().references(() => changes.id, { onDelete: 'set null' }),
  lostOrders: bigint({ mode: 'number' }),
  ordersDropPct: smallint(),
  impact: text().notNull().default(''),
  summary: text().notNull().default(''),
  lessons: text().notNull().default(''),
  createdAt: now(),
}, (t) => [
  uniqueIndex('incidents_external_id_key').on(t.externalId),
  check('incidents_severity_range', sql`${t.severity} BETWEEN 1 AND 4`),
  check('incidents_resolved_after_start', sql`${t.resolvedAt} IS NULL OR ${t.resolvedAt} >= ${t.startedAt}`),
  check('incidents_lost_orders_nonneg', sql`${t.lostOrders} IS NULL OR ${t.lostOrders} >= 0`),
  check('incidents_drop_pct_range', sql`${t.ordersDropPct} IS NULL OR ${t.ordersDropPct} BETWEEN 0 AND 100`),
  index('incidents_started_at_idx').on(t.startedAt),
  index('incidents_cause_change_idx').on(t.causeChangeId),
]);

export const incidentServices = pgTable('incident_services', {
  incidentId: integer().notNull().references(() => incidents.id, { onDelete: 'cascade' }),
  serviceId: integer().notNull().references(() => services.id),
}, (t) => [primaryKey({ columns: [t.incidentId, t.serviceId] }), index('incident_services_service_idx').on(t.serviceId)]);

/** Institutional memory: what a senior engineer knows to watch out for. */
export const watchouts = pgTable('watchouts', {
  id: serial().primaryKey(),
  authorId: integer().notNull().references(() => people.id),
  scope: text().notNull(),
  serviceId: integer().references(() => services.id, { onDelete: 'cascade' }),
  /** A path glob (scope 'path') or a config key (scope 'config_key'). */
  pattern: text(),
  text: text().notNull(),
  createdAt: now(),
  retiredAt: ts(),
}, (t) => [
  check('watchouts_scope_valid', sql.raw(`scope IN (${inList(WATCHOUT_SCOPES)})`)),
  check('watchouts_scope_target', sql`(${t.scope} = 'service' AND ${t.serviceId} IS NOT NULL) OR (${t.scope} <> 'service' AND ${t.pattern} IS NOT NULL AND length(${t.pattern}) > 0)`),
  check('watchouts_text_nonempty', sql`length(btrim(${t.text})) > 0`),
  index('watchouts_service_idx').on(t.serviceId),
  index('watchouts_created_at_idx').on(t.createdAt),
]);

/** Every call to the deploy gate, with its answer. */
export const gateDecisions = pgTable('gate_decisions', {
  id: bigserial({ mode: 'number' }).primaryKey(),
  changeId: integer().references(() => changes.id, { onDelete: 'cascade' }),
  revisionId: integer().references(() => revisions.id, { onDelete: 'cascade' }),
  /** The change reference as the caller gave it (id or external id). */
  changeRef: text().notNull(),
  environment: text().notNull(),
  allowed: boolean().notNull(),
  reasons: jsonb().$type<string[]>().notNull().default([]),
  required: smallint().notNull().default(0),
  valid: smallint().notNull().default(0),
  actorId: integer().references(() => people.id),
  tokenId: integer(),
  /** The commit the pipeline asked about (`commit=`); null when it did not say (an unverified deploy). */
  commit: text(),
  createdAt: now(),
}, (t) => [
  index('gate_decisions_change_idx').on(t.changeId, t.revisionId, t.environment, t.id.desc()),
  index('gate_decisions_created_at_idx').on(t.createdAt),
]);

export const deployments = pgTable('deployments', {
  id: bigserial({ mode: 'number' }).primaryKey(),
  changeId: integer().notNull().references(() => changes.id, { onDelete: 'cascade' }),
  revisionId: integer().references(() => revisions.id, { onDelete: 'set null' }),
  environment: text().notNull(),
  status: text().notNull(),
  /** A production deployment of a gated change without an allowing gate decision. */
  bypass: boolean().notNull().default(false),
  gateDecisionId: bigint({ mode: 'number' }).references(() => gateDecisions.id, { onDelete: 'set null' }),
  deployedById: integer().references(() => people.id),
  /** How it was reported: api, github, cli, seed. */
  source: text().notNull().default('api'),
  externalId: text(),
  /** The commit deployed, when the pipeline said. */
  commit: text(),
  /** Why it was a bypass: the gate's reasons when sign-off was re-evaluated as it was recorded. */
  bypassReasons: jsonb().$type<string[]>().notNull().default([]),
  createdAt: now(),
}, (t) => [
  check('deployments_status_valid', sql.raw(`status IN (${inList(DEPLOYMENT_STATUSES)})`)),
  uniqueIndex('deployments_external_id_key').on(t.source, t.externalId),
  index('deployments_change_idx').on(t.changeId),
  index('deployments_created_at_idx').on(t.createdAt),
  index('deployments_bypass_idx').on(t.createdAt).where(sql`${t.bypass}`),
]);

export type Incident = typeof incidents.$inferSelect;
export type Watchout = typeof watchouts.$inferSelect;
export type GateDecision = typeof gateDecisions.$inferSelect;
export type Deployment = typeof deployments.$inferSelect;
