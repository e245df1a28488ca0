// The organisation: teams, the service catalog and its dependency graph, and people.
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, serial, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { inList, ROLES } from './enums';

const now = () => timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow();

export const teams = pgTable('teams', {
  slug: text().primaryKey(),
  name: text().notNull(),
  description: text(),
}, (t) => [check('teams_slug_format', sql`${t.slug} ~ '^[a-z0-9][a-z0-9-]*$'`)]);

export const services = pgTable('services', {
  id: serial().primaryKey(),
  slug: text().notNull(),
  name: text().notNull(),
  tier: smallint().notNull(),
  team: text().references(() => teams.slug, { onUpdate: 'cascade' }),
  system: text(),
  entityKind: text().notNull().default('Component'),
  type: text(),
  description: text(),
  repo: text(),
  annotations: jsonb().$type<Record<string, string>>().notNull().default({}),
  createdAt: now(),
  updatedAt: now(),
}, (t) => [
  uniqueIndex('services_slug_key').on(t.slug),
  check('services_tier_range', sql`${t.tier} IN (1, 2, 3)`),
  check('services_slug_format', sql`${t.slug} ~ '^[a-z0-9][a-z0-9._-]*$'`),
  index('services_team_idx').on(t.team),
  index('services_repo_idx').on(t.repo),
]);

/** serviceId depends on dependsOnId: a change to dependsOnId can break serviceId. */
export const serviceDependencies = pgTable('service_dependencies', {
  serviceId: integer().notNull().references(() => services.id, { onDelete: 'cascade' }),
  dependsOnId: integer().notNull().references(() => services.id, { onDelete: 'cascade' }),
  source: text().notNull().default('catalog'),
}, (t) => [
  primaryKey({ columns: [t.serviceId, t.dependsOnId] }),
  check('service_dependencies_no_self', sql`${t.serviceId} <> ${t.dependsOnId}`),
  index('service_dependencies_depends_on_idx').on(t.dependsOnId),
]);

/** CODEOWNERS-like map from a repository and a path glob to the service it belongs to. */
export const pathMappings = pgTable('path_mappings', {
  id: serial().primaryKey(),
  repo: text().notNull(),
  pathGlob: text().notNull().default('**'),
  serviceId: integer().notNull().references(() => services.id, { onDelete: 'cascade' }),
  createdAt: now(),
}, (t) => [uniqueIndex('path_mappings_unique').on(t.repo, t.pathGlob, t.serviceId)]);

export const people = pgTable('people', {
  id: serial().primaryKey(),
  handle: text().notNull(),
  name: text().notNull(),
  title: text(),
  email: text(),
  level: smallint(),
  role: text().notNull().default('engineer'),
  team: text().references(() => teams.slug, { onUpdate: 'cascade' }),
  isBot: boolean().notNull().default(false),
  passwordHash: text(),
  githubLogin: text(),
  createdAt: now(),
  deactivatedAt: timestamp({ withTimezone: true, mode: 'date' }),
}, (t) => [
  uniqueIndex('people_handle_key').on(t.handle),
  uniqueIndex('people_email_key').on(sql`lower(${t.email})`),
  uniqueIndex('people_github_login_key').on(sql`lower(${t.githubLogin})`),
  check('people_level_range', sql`${t.level} IS NULL OR ${t.level} BETWEEN 4 AND 10`),
  check('people_role_valid', sql.raw(`role IN (${inList(ROLES)})`)),
  // A human has a level; a bot never signs in with a password.
  check('people_human_has_level', sql`${t.isBot} OR ${t.level} IS NOT NULL`),
  check('people_bot_no_password', sql`NOT ${t.isBot} OR ${t.passwordHash} IS NULL`),
  check('people_handle_format', sql`${t.handle} ~ '^[A-Za-z0-9][A-Za-z0-9._\\[\\]-]*$'`),
  // Reviewer suggestions find a change's candidate seniors by team.
  index('people_team_idx').on(t.team),
]);

export type Team = typeof teams.$inferSelect;
export type Service = typeof services.$inferSelect;
export type NewService = typeof services.$inferInsert;
export type Person = typeof people.$inferSelect;
export type NewPerson = typeof people.$inferInsert;
