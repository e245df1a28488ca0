// Changes under review: their revisions (each a diff identified by its SHA-256),
// parsed files, the services they touch, and the sign-offs bound to a revision.
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn, boolean, check, foreignKey, index, integer, jsonb, pgTable, primaryKey, serial, smallint, text, timestamp, unique, uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { BlastRadius, DiffHunk, RiskFactor } from '@/lib/risk/types';
import { AI_LEVELS, CHANGE_KINDS, CHANGE_STATUSES, DECISIONS, FILE_STATUSES, inList, RISK_LEVELS } from './enums';
import { people, services } from './org';

const now = () => timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow();
const ts = () => timestamp({ withTimezone: true, mode: 'date' });

export interface AiEvidence {
  source: 'submission' | 'label' | 'trailer' | 'bot_author' | 'template_checkbox';
  detail: string;
}

export const changes = pgTable('changes', {
  id: serial().primaryKey(),
  externalId: text().notNull(),
  repo: text(),
  title: text().notNull(),
  description: text().notNull().default(''),
  url: text(),
  authorId: integer().notNull().references(() => people.id),
  /**
   * Who first submitted it through the API or the CLI (a person or a pipeline's bot account); null
   * when it came from GitHub or another trusted path. Only the submitter or the author may update
   * it, and the submitter may not approve it.
   */
  submitterId: integer().references(() => people.id),
  kind: text().notNull().default('code'),
  aiLevel: text().notNull().default('none'),
  aiTool: text(),
  aiEvidence: jsonb().$type<AiEvidence[]>().notNull().default([]),
  environment: text().notNull().default('production'),
  /** validation.preDeploy as submitted; null when the submission did not say. */
  preDeployValidation: boolean(),
  status: text().notNull().default('pending'),
  source: text().notNull().default('api'),
  /** The PR's repository or paths matched no known service: shown for triage. */
  unmapped: boolean().notNull().default(false),
  /** Changed paths no mapping or catalog repository claims: the change stays blocked until triaged. */
  unmappedPaths: text().array().notNull().default(sql`'{}'::text[]`),
  ingestError: text(),
  currentRevisionId: integer().references((): AnyPgColumn => revisions.id),
  // Precomputed on revision arrival or context change; the queue never scores on read.
  riskScore: smallint().notNull().default(0),
  riskLevel: text().notNull().default('low'),
  riskFactors: jsonb().$type<RiskFactor[]>().notNull().default([]),
  destructive: boolean().notNull().default(false),
  blastRadius: jsonb().$type<BlastRadius>().notNull().default({ services: [], total: 0, tier1: 0 }),
  blastTotal: integer().notNull().default(0),
  blastTier1: integer().notNull().default(0),
  /**
   * Kept by the database from blast_radius (its entries are nearest first): the Tier-1 services in
   * it and the depth of the nearest one. Reviewer suggestions read these instead of unpacking a
   * blast radius of thousands of entries on every queue row (docs/performance.md).
   */
  blastTier1Slugs: jsonb().$type<string[]>().generatedAlwaysAs(sql`jsonb_path_query_array(blast_radius, '$.services[*] ? (@.tier == 1).slug')`),
  nearestTier1Depth: smallint().generatedAlwaysAs(sql`(jsonb_path_query_first(blast_radius, '$.services[*] ? (@.tier == 1).depth'))::smallint`),
  /** Most critical tier among touched services (1 is the most critical). */
  topTier: smallint().notNull().default(3),
  requiredApprovals: smallint().notNull().default(0),
  validApprovals: smallint().notNull().default(0),
  createdAt: now(),
  updatedAt: now(),
  closedAt: ts(),
}, (t) => [
  uniqueIndex('changes_external_id_key').on(t.externalId),
  // A number always means the change id (lib/changes/ref.ts): an external id must not spell one.
  check('changes_external_id_not_numeric', sql`${t.externalId} !~ '^[0-9]+$'`),
  check('changes_kind_valid', sql.raw(`kind IN (${inList(CHANGE_KINDS)})`)),
  check('changes_ai_level_valid', sql.raw(`ai_level IN (${inList(AI_LEVELS)})`)),
  check('changes_status_valid', sql.raw(`status IN (${inList(CHANGE_STATUSES)})`)),
  check('changes_risk_level_valid', sql.raw(`risk_level IN (${inList(RISK_LEVELS)})`)),
  check('changes_risk_score_range', sql`${t.riskScore} BETWEEN 0 AND 100`),
  check('changes_top_tier_range', sql`${t.topTier} IN (1, 2, 3)`),
  check('changes_approvals_nonneg', sql`${t.requiredApprovals} >= 0 AND ${t.validApprovals} >= 0`),
  // The queue: pending first page by risk, keyset on (risk_score, id).
  index('changes_queue_idx').on(t.status, t.riskScore.desc(), t.id.desc()),
  index('changes_author_idx').on(t.authorId),
  index('changes_created_at_idx').on(t.createdAt),
]);

export const changeServices = pgTable('change_services', {
  changeId: integer().notNull().references(() => changes.id, { onDelete: 'cascade' }),
  serviceId: integer().notNull().references(() => services.id),
}, (t) => [primaryKey({ columns: [t.changeId, t.serviceId] }), index('change_services_service_idx').on(t.serviceId)]);

export const changeCoauthors = pgTable('change_coauthors', {
  changeId: integer().notNull().references(() => changes.id, { onDelete: 'cascade' }),
  personId: integer().notNull().references(() => people.id),
}, (t) => [primaryKey({ columns: [t.changeId, t.personId] }), index('change_coauthors_person_idx').on(t.personId)]);

export const revisions = pgTable('revisions', {
  id: serial().primaryKey(),
  changeId: integer().notNull().references((): AnyPgColumn => changes.id, { onDelete: 'cascade' }),
  number: integer().notNull(),
  /** SHA-256 (hex) of the revision's content: the diff and the plan. */
  sha: text().notNull(),
  diff: text().notNull().default(''),
  terraformPlan: jsonb(),
  additions: integer().notNull().default(0),
  deletions: integer().notNull().default(0),
  filesChanged: integer().notNull().default(0),
  riskScore: smallint().notNull().default(0),
  riskLevel: text().notNull().default('low'),
  riskFactors: jsonb().$type<RiskFactor[]>().notNull().default([]),
  /**
   * The git commits (pull request heads) seen with exactly this content, when it came from GitHub:
   * lets a GitHub review, which names the commit it was on, be placed on its revision.
   */
  headCommits: text().array().notNull().default(sql`'{}'::text[]`),
  createdAt: now(),
}, (t) => [
  // Not unique: content that returns to an earlier diff is a new revision, so old sign-offs stay superseded.
  index('revisions_change_sha_idx').on(t.changeId, t.sha),
  unique('revisions_change_number_key').on(t.changeId, t.number),
  // Lets approvals reference (change_id, revision_id) so an approval cannot point at another change's revision.
  unique('revisions_change_id_key').on(t.changeId, t.id),
  check('revisions_sha_format', sql`${t.sha} ~ '^[0-9a-f]{64}$'`),
  check('revisions_number_positive', sql`${t.number} >= 1`),
]);

export const revisionFiles = pgTable('revision_files', {
  id: serial().primaryKey(),
  revisionId: integer().notNull().references(() => revisions.id, { onDelete: 'cascade' }),
  position: integer().notNull(),
  path: text().notNull(),
  oldPath: text(),
  status: text().notNull(),
  binary: boolean().notNull().default(false),
  language: text(),
  additions: integer().notNull().default(0),
  deletions: integer().notNull().default(0),
  flagged: integer().notNull().default(0),
  hunks: jsonb().$type<DiffHunk[]>().notNull().default([]),
}, (t) => [
  unique('revision_files_position_key').on(t.revisionId, t.position),
  check('revision_files_status_valid', sql.raw(`status IN (${inList(FILE_STATUSES)})`)),
]);

export const approvals = pgTable('approvals', {
  id: serial().primaryKey(),
  changeId: integer().notNull(),
  revisionId: integer().notNull(),
  personId: integer().notNull().references(() => people.id),
  decision: text().notNull(),
  comment: text().notNull().default(''),
  via: text().notNull().default('web'),
  createdAt: now(),
  withdrawnAt: ts(),
}, (t) => [
  foreignKey({ columns: [t.changeId, t.revisionId], foreignColumns: [revisions.changeId, revisions.id], name: 'approvals_revision_fk' }).onDelete('cascade'),
  // One standing decision per person per revision; a withdrawn one may be replaced.
  uniqueIndex('approvals_one_per_person_revision').on(t.revisionId, t.personId).where(sql`${t.withdrawnAt} IS NULL`),
  check('approvals_decision_valid', sql.raw(`decision IN (${inList(DECISIONS)})`)),
  check('approvals_reject_has_comment', sql`${t.decision} = 'approve' OR length(btrim(${t.comment})) > 0`),
  index('approvals_change_idx').on(t.changeId),
  index('approvals_person_idx').on(t.personId, t.createdAt),
  // Weekly report and compliance: approvals given in a period.
  index('approvals_created_at_idx').on(t.createdAt),
]);

/** Reviews from GitHub and the like: context for reviewers, never a Countersign sign-off. */
export const externalReviews = pgTable('external_reviews', {
  id: serial().primaryKey(),
  changeId: integer().notNull().references(() => changes.id, { onDelete: 'cascade' }),
  source: text().notNull().default('github'),
  externalId: text().notNull(),
  reviewer: text().notNull(),
  state: text().notNull(),
  body: text().notNull().default(''),
  /** The commit the review was given on (GitHub's review.commit_id); null for reviews recorded before it was kept. */
  commitId: text(),
  submittedAt: now(),
}, (t) => [uniqueIndex('external_reviews_key').on(t.source, t.externalId), index('external_reviews_change_idx').on(t.changeId)]);

/** An emergency override opened by a director or VP during an incident. */
export const breakGlass = pgTable('break_glass', {
  id: serial().primaryKey(),
  changeId: integer().notNull().references(() => changes.id, { onDelete: 'cascade' }),
  revisionId: integer().references(() => revisions.id),
  openedById: integer().notNull().references(() => people.id),
  justification: text().notNull(),
  incidentRef: text(),
  openedAt: now(),
  expiresAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  closedAt: ts(),
  /** Set when two seniors have completed the follow-up review. */
  followUpCompletedAt: ts(),
}, (t) => [
  check('break_glass_justified', sql`length(btrim(${t.justification})) >= 10`),
  check('break_glass_expiry_after_open', sql`${t.expiresAt} > ${t.openedAt}`),
  index('break_glass_change_idx').on(t.changeId, t.expiresAt),
]);

export type Change = typeof changes.$inferSelect;
export type NewChange = typeof changes.$inferInsert;
export type Revision = typeof revisions.$inferSelect;
export type RevisionFile = typeof revisionFiles.$inferSelect;
export type Approval = typeof approvals.$inferSelect;
export type BreakGlass = typeof breakGlass.$inferSelect;
