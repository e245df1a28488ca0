CREATE TABLE "path_mappings" (
	"id" serial PRIMARY KEY NOT NULL,
	"repo" text NOT NULL,
	"path_glob" text DEFAULT '**' NOT NULL,
	"service_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "people" (
	"id" serial PRIMARY KEY NOT NULL,
	"handle" text NOT NULL,
	"name" text NOT NULL,
	"title" text,
	"email" text,
	"level" smallint,
	"role" text DEFAULT 'engineer' NOT NULL,
	"team" text,
	"is_bot" boolean DEFAULT false NOT NULL,
	"password_hash" text,
	"github_login" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deactivated_at" timestamp with time zone,
	CONSTRAINT "people_level_range" CHECK ("people"."level" IS NULL OR "people"."level" BETWEEN 4 AND 10),
	CONSTRAINT "people_role_valid" CHECK (role IN ('engineer', 'senior', 'director', 'vp', 'admin')),
	CONSTRAINT "people_human_has_level" CHECK ("people"."is_bot" OR "people"."level" IS NOT NULL),
	CONSTRAINT "people_bot_no_password" CHECK (NOT "people"."is_bot" OR "people"."password_hash" IS NULL),
	CONSTRAINT "people_handle_format" CHECK ("people"."handle" ~ '^[A-Za-z0-9][A-Za-z0-9._\[\]-]*$')
);
--> statement-breakpoint
CREATE TABLE "service_dependencies" (
	"service_id" integer NOT NULL,
	"depends_on_id" integer NOT NULL,
	"source" text DEFAULT 'catalog' NOT NULL,
	CONSTRAINT "service_dependencies_service_id_depends_on_id_pk" PRIMARY KEY("service_id","depends_on_id"),
	CONSTRAINT "service_dependencies_no_self" CHECK ("service_dependencies"."service_id" <> "service_dependencies"."depends_on_id")
);
--> statement-breakpoint
CREATE TABLE "services" (
	"id" serial PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"tier" smallint NOT NULL,
	"team" text,
	"system" text,
	"entity_kind" text DEFAULT 'Component' NOT NULL,
	"type" text,
	"description" text,
	"repo" text,
	"annotations" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "services_tier_range" CHECK ("services"."tier" IN (1, 2, 3)),
	CONSTRAINT "services_slug_format" CHECK ("services"."slug" ~ '^[a-z0-9][a-z0-9._-]*$')
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"slug" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	CONSTRAINT "teams_slug_format" CHECK ("teams"."slug" ~ '^[a-z0-9][a-z0-9-]*$')
);
--> statement-breakpoint
CREATE TABLE "approvals" (
	"id" serial PRIMARY KEY NOT NULL,
	"change_id" integer NOT NULL,
	"revision_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	"decision" text NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"via" text DEFAULT 'web' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"withdrawn_at" timestamp with time zone,
	CONSTRAINT "approvals_decision_valid" CHECK (decision IN ('approve', 'reject')),
	CONSTRAINT "approvals_reject_has_comment" CHECK ("approvals"."decision" = 'approve' OR length(btrim("approvals"."comment")) > 0)
);
--> statement-breakpoint
CREATE TABLE "break_glass" (
	"id" serial PRIMARY KEY NOT NULL,
	"change_id" integer NOT NULL,
	"revision_id" integer,
	"opened_by_id" integer NOT NULL,
	"justification" text NOT NULL,
	"incident_ref" text,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"follow_up_completed_at" timestamp with time zone,
	CONSTRAINT "break_glass_justified" CHECK (length(btrim("break_glass"."justification")) >= 10),
	CONSTRAINT "break_glass_expiry_after_open" CHECK ("break_glass"."expires_at" > "break_glass"."opened_at")
);
--> statement-breakpoint
CREATE TABLE "change_coauthors" (
	"change_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	CONSTRAINT "change_coauthors_change_id_person_id_pk" PRIMARY KEY("change_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "change_services" (
	"change_id" integer NOT NULL,
	"service_id" integer NOT NULL,
	CONSTRAINT "change_services_change_id_service_id_pk" PRIMARY KEY("change_id","service_id")
);
--> statement-breakpoint
CREATE TABLE "changes" (
	"id" serial PRIMARY KEY NOT NULL,
	"external_id" text NOT NULL,
	"repo" text,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"url" text,
	"author_id" integer NOT NULL,
	"kind" text DEFAULT 'code' NOT NULL,
	"ai_level" text DEFAULT 'none' NOT NULL,
	"ai_tool" text,
	"ai_evidence" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"environment" text DEFAULT 'production' NOT NULL,
	"pre_deploy_validation" boolean,
	"status" text DEFAULT 'pending' NOT NULL,
	"source" text DEFAULT 'api' NOT NULL,
	"unmapped" boolean DEFAULT false NOT NULL,
	"ingest_error" text,
	"current_revision_id" integer,
	"risk_score" smallint DEFAULT 0 NOT NULL,
	"risk_level" text DEFAULT 'low' NOT NULL,
	"risk_factors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"destructive" boolean DEFAULT false NOT NULL,
	"blast_radius" jsonb DEFAULT '{"services":[],"total":0,"tier1":0}'::jsonb NOT NULL,
	"blast_total" integer DEFAULT 0 NOT NULL,
	"blast_tier1" integer DEFAULT 0 NOT NULL,
	"top_tier" smallint DEFAULT 3 NOT NULL,
	"required_approvals" smallint DEFAULT 0 NOT NULL,
	"valid_approvals" smallint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "changes_kind_valid" CHECK (kind IN ('code', 'config', 'infra', 'schema')),
	CONSTRAINT "changes_ai_level_valid" CHECK (ai_level IN ('none', 'assisted', 'generated', 'agent')),
	CONSTRAINT "changes_status_valid" CHECK (status IN ('pending', 'approved', 'rejected', 'deployed', 'rolled_back')),
	CONSTRAINT "changes_risk_level_valid" CHECK (risk_level IN ('low', 'medium', 'high', 'critical')),
	CONSTRAINT "changes_risk_score_range" CHECK ("changes"."risk_score" BETWEEN 0 AND 100),
	CONSTRAINT "changes_top_tier_range" CHECK ("changes"."top_tier" IN (1, 2, 3)),
	CONSTRAINT "changes_approvals_nonneg" CHECK ("changes"."required_approvals" >= 0 AND "changes"."valid_approvals" >= 0)
);
--> statement-breakpoint
CREATE TABLE "external_reviews" (
	"id" serial PRIMARY KEY NOT NULL,
	"change_id" integer NOT NULL,
	"source" text DEFAULT 'github' NOT NULL,
	"external_id" text NOT NULL,
	"reviewer" text NOT NULL,
	"state" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "revision_files" (
	"id" serial PRIMARY KEY NOT NULL,
	"revision_id" integer NOT NULL,
	"position" integer NOT NULL,
	"path" text NOT NULL,
	"old_path" text,
	"status" text NOT NULL,
	"binary" boolean DEFAULT false NOT NULL,
	"language" text,
	"additions" integer DEFAULT 0 NOT NULL,
	"deletions" integer DEFAULT 0 NOT NULL,
	"flagged" integer DEFAULT 0 NOT NULL,
	"hunks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "revision_files_position_key" UNIQUE("revision_id","position"),
	CONSTRAINT "revision_files_status_valid" CHECK (status IN ('added', 'modified', 'deleted', 'renamed'))
);
--> statement-breakpoint
CREATE TABLE "revisions" (
	"id" serial PRIMARY KEY NOT NULL,
	"change_id" integer NOT NULL,
	"number" integer NOT NULL,
	"sha" text NOT NULL,
	"diff" text DEFAULT '' NOT NULL,
	"terraform_plan" jsonb,
	"additions" integer DEFAULT 0 NOT NULL,
	"deletions" integer DEFAULT 0 NOT NULL,
	"files_changed" integer DEFAULT 0 NOT NULL,
	"risk_score" smallint DEFAULT 0 NOT NULL,
	"risk_level" text DEFAULT 'low' NOT NULL,
	"risk_factors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "revisions_change_number_key" UNIQUE("change_id","number"),
	CONSTRAINT "revisions_change_id_key" UNIQUE("change_id","id"),
	CONSTRAINT "revisions_sha_format" CHECK ("revisions"."sha" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "revisions_number_positive" CHECK ("revisions"."number" >= 1)
);
--> statement-breakpoint
CREATE TABLE "deployments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"change_id" integer NOT NULL,
	"revision_id" integer,
	"environment" text NOT NULL,
	"status" text NOT NULL,
	"bypass" boolean DEFAULT false NOT NULL,
	"gate_decision_id" bigint,
	"deployed_by_id" integer,
	"source" text DEFAULT 'api' NOT NULL,
	"external_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deployments_status_valid" CHECK (status IN ('started', 'succeeded', 'failed', 'rolled_back'))
);
--> statement-breakpoint
CREATE TABLE "gate_decisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"change_id" integer,
	"revision_id" integer,
	"change_ref" text NOT NULL,
	"environment" text NOT NULL,
	"allowed" boolean NOT NULL,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"required" smallint DEFAULT 0 NOT NULL,
	"valid" smallint DEFAULT 0 NOT NULL,
	"actor_id" integer,
	"token_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_services" (
	"incident_id" integer NOT NULL,
	"service_id" integer NOT NULL,
	CONSTRAINT "incident_services_incident_id_service_id_pk" PRIMARY KEY("incident_id","service_id")
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" serial PRIMARY KEY NOT NULL,
	"external_id" text NOT NULL,
	"title" text NOT NULL,
	"severity" smallint NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"cause_change_id" integer,
	"lost_orders" bigint,
	"orders_drop_pct" smallint,
	"impact" text DEFAULT '' NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"lessons" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incidents_severity_range" CHECK ("incidents"."severity" BETWEEN 1 AND 4),
	CONSTRAINT "incidents_resolved_after_start" CHECK ("incidents"."resolved_at" IS NULL OR "incidents"."resolved_at" >= "incidents"."started_at"),
	CONSTRAINT "incidents_lost_orders_nonneg" CHECK ("incidents"."lost_orders" IS NULL OR "incidents"."lost_orders" >= 0),
	CONSTRAINT "incidents_drop_pct_range" CHECK ("incidents"."orders_drop_pct" IS NULL OR "incidents"."orders_drop_pct" BETWEEN 0 AND 100)
);
--> statement-breakpoint
CREATE TABLE "watchouts" (
	"id" serial PRIMARY KEY NOT NULL,
	"author_id" integer NOT NULL,
	"scope" text NOT NULL,
	"service_id" integer,
	"pattern" text,
	"text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone,
	CONSTRAINT "watchouts_scope_valid" CHECK (scope IN ('service', 'path', 'config_key')),
	CONSTRAINT "watchouts_scope_target" CHECK (("watchouts"."scope" = 'service' AND "watchouts"."service_id" IS NOT NULL) OR ("watchouts"."scope" <> 'service' AND "watchouts"."pattern" IS NOT NULL AND length("watchouts"."pattern") > 0)),
	CONSTRAINT "watchouts_text_nonempty" CHECK (length(btrim("watchouts"."text")) > 0)
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"person_id" integer NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"scopes" jsonb NOT NULL,
	"created_by_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_has_scope" CHECK (jsonb_typeof("api_tokens"."scopes") = 'array' AND jsonb_array_length("api_tokens"."scopes") > 0)
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"actor_id" integer,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"change_id" integer,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_events_hash_format" CHECK ("audit_events"."hash" ~ '^[0-9a-f]{64}$' AND "audit_events"."prev_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" smallint DEFAULT 0 NOT NULL,
	"max_attempts" smallint DEFAULT 8 NOT NULL,
	"run_after" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_at" timestamp with time zone,
	"locked_by" text,
	"last_error" text,
	"dedupe_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "jobs_status_valid" CHECK (status IN ('queued', 'running', 'done', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "report_attestations" (
	"id" serial PRIMARY KEY NOT NULL,
	"iso_week" text NOT NULL,
	"person_id" integer NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"attested_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_attestations_week_format" CHECK ("report_attestations"."iso_week" ~ '^[0-9]{4}-W[0-9]{2}$')
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"person_id" integer NOT NULL,
	"csrf_token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"user_agent" text,
	"ip" text
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_by_id" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"delivery_id" text PRIMARY KEY NOT NULL,
	"source" text DEFAULT 'github' NOT NULL,
	"event" text NOT NULL,
	"action" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"outcome" text DEFAULT 'queued' NOT NULL
);
--> statement-breakpoint
ALTER TABLE "path_mappings" ADD CONSTRAINT "path_mappings_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_team_teams_slug_fk" FOREIGN KEY ("team") REFERENCES "public"."teams"("slug") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "service_dependencies" ADD CONSTRAINT "service_dependencies_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_dependencies" ADD CONSTRAINT "service_dependencies_depends_on_id_services_id_fk" FOREIGN KEY ("depends_on_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_team_teams_slug_fk" FOREIGN KEY ("team") REFERENCES "public"."teams"("slug") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_revision_fk" FOREIGN KEY ("change_id","revision_id") REFERENCES "public"."revisions"("change_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "break_glass" ADD CONSTRAINT "break_glass_change_id_changes_id_fk" FOREIGN KEY ("change_id") REFERENCES "public"."changes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "break_glass" ADD CONSTRAINT "break_glass_revision_id_revisions_id_fk" FOREIGN KEY ("revision_id") REFERENCES "public"."revisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "break_glass" ADD CONSTRAINT "break_glass_opened_by_id_people_id_fk" FOREIGN KEY ("opened_by_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_coauthors" ADD CONSTRAINT "change_coauthors_change_id_changes_id_fk" FOREIGN KEY ("change_id") REFERENCES "public"."changes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_coauthors" ADD CONSTRAINT "change_coauthors_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_services" ADD CONSTRAINT "change_services_change_id_changes_id_fk" FOREIGN KEY ("change_id") REFERENCES "public"."changes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_services" ADD CONSTRAINT "change_services_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "changes" ADD CONSTRAINT "changes_author_id_people_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "changes" ADD CONSTRAINT "changes_current_revision_id_revisions_id_fk" FOREIGN KEY ("current_revision_id") REFERENCES "public"."revisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "external_reviews" ADD CONSTRAINT "external_reviews_change_id_changes_id_fk" FOREIGN KEY ("change_id") REFERENCES "public"."changes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revision_files" ADD CONSTRAINT "revision_files_revision_id_revisions_id_fk" FOREIGN KEY ("revision_id") REFERENCES "public"."revisions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revisions" ADD CONSTRAINT "revisions_change_id_changes_id_fk" FOREIGN KEY ("change_id") REFERENCES "public"."changes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_change_id_changes_id_fk" FOREIGN KEY ("change_id") REFERENCES "public"."changes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_revision_id_revisions_id_fk" FOREIGN KEY ("revision_id") REFERENCES "public"."revisions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_gate_decision_id_gate_decisions_id_fk" FOREIGN KEY ("gate_decision_id") REFERENCES "public"."gate_decisions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_deployed_by_id_people_id_fk" FOREIGN KEY ("deployed_by_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gate_decisions" ADD CONSTRAINT "gate_decisions_change_id_changes_id_fk" FOREIGN KEY ("change_id") REFERENCES "public"."changes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gate_decisions" ADD CONSTRAINT "gate_decisions_revision_id_revisions_id_fk" FOREIGN KEY ("revision_id") REFERENCES "public"."revisions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gate_decisions" ADD CONSTRAINT "gate_decisions_actor_id_people_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_services" ADD CONSTRAINT "incident_services_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_services" ADD CONSTRAINT "incident_services_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_cause_change_id_changes_id_fk" FOREIGN KEY ("cause_change_id") REFERENCES "public"."changes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "watchouts" ADD CONSTRAINT "watchouts_author_id_people_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "watchouts" ADD CONSTRAINT "watchouts_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_created_by_id_people_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_actor_id_people_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_change_id_changes_id_fk" FOREIGN KEY ("change_id") REFERENCES "public"."changes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_attestations" ADD CONSTRAINT "report_attestations_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settings" ADD CONSTRAINT "settings_updated_by_id_people_id_fk" FOREIGN KEY ("updated_by_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "path_mappings_unique" ON "path_mappings" USING btree ("repo","path_glob","service_id");--> statement-breakpoint
CREATE UNIQUE INDEX "people_handle_key" ON "people" USING btree ("handle");--> statement-breakpoint
CREATE UNIQUE INDEX "people_email_key" ON "people" USING btree (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "people_github_login_key" ON "people" USING btree (lower("github_login"));--> statement-breakpoint
CREATE INDEX "service_dependencies_depends_on_idx" ON "service_dependencies" USING btree ("depends_on_id");--> statement-breakpoint
CREATE UNIQUE INDEX "services_slug_key" ON "services" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "services_team_idx" ON "services" USING btree ("team");--> statement-breakpoint
CREATE INDEX "services_repo_idx" ON "services" USING btree ("repo");--> statement-breakpoint
CREATE UNIQUE INDEX "approvals_one_per_person_revision" ON "approvals" USING btree ("revision_id","person_id") WHERE "approvals"."withdrawn_at" IS NULL;--> statement-breakpoint
CREATE INDEX "approvals_change_idx" ON "approvals" USING btree ("change_id");--> statement-breakpoint
CREATE INDEX "approvals_person_idx" ON "approvals" USING btree ("person_id","created_at");--> statement-breakpoint
CREATE INDEX "break_glass_change_idx" ON "break_glass" USING btree ("change_id","expires_at");--> statement-breakpoint
CREATE INDEX "change_coauthors_person_idx" ON "change_coauthors" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "change_services_service_idx" ON "change_services" USING btree ("service_id");--> statement-breakpoint
CREATE UNIQUE INDEX "changes_external_id_key" ON "changes" USING btree ("external_id");--> statement-breakpoint
CREATE INDEX "changes_queue_idx" ON "changes" USING btree ("status","risk_score" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "changes_author_idx" ON "changes" USING btree ("author_id");--> statement-breakpoint
CREATE INDEX "changes_created_at_idx" ON "changes" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "external_reviews_key" ON "external_reviews" USING btree ("source","external_id");--> statement-breakpoint
CREATE INDEX "revisions_change_sha_idx" ON "revisions" USING btree ("change_id","sha");--> statement-breakpoint
CREATE UNIQUE INDEX "deployments_external_id_key" ON "deployments" USING btree ("source","external_id");--> statement-breakpoint
CREATE INDEX "deployments_change_idx" ON "deployments" USING btree ("change_id");--> statement-breakpoint
CREATE INDEX "deployments_created_at_idx" ON "deployments" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "deployments_bypass_idx" ON "deployments" USING btree ("created_at") WHERE "deployments"."bypass";--> statement-breakpoint
CREATE INDEX "gate_decisions_change_idx" ON "gate_decisions" USING btree ("change_id","revision_id","environment","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "gate_decisions_created_at_idx" ON "gate_decisions" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "incident_services_service_idx" ON "incident_services" USING btree ("service_id");--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_external_id_key" ON "incidents" USING btree ("external_id");--> statement-breakpoint
CREATE INDEX "incidents_started_at_idx" ON "incidents" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "incidents_cause_change_idx" ON "incidents" USING btree ("cause_change_id");--> statement-breakpoint
CREATE INDEX "watchouts_service_idx" ON "watchouts" USING btree ("service_id");--> statement-breakpoint
CREATE INDEX "watchouts_created_at_idx" ON "watchouts" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_key" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "api_tokens_person_idx" ON "api_tokens" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "audit_events_hash_key" ON "audit_events" USING btree ("hash");--> statement-breakpoint
CREATE INDEX "audit_events_occurred_at_idx" ON "audit_events" USING btree ("occurred_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_events_change_idx" ON "audit_events" USING btree ("change_id");--> statement-breakpoint
CREATE INDEX "audit_events_action_idx" ON "audit_events" USING btree ("action","occurred_at");--> statement-breakpoint
CREATE INDEX "audit_events_actor_idx" ON "audit_events" USING btree ("actor_id","occurred_at");--> statement-breakpoint
CREATE INDEX "jobs_ready_idx" ON "jobs" USING btree ("status","run_after");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_dedupe_key" ON "jobs" USING btree ("dedupe_key") WHERE "jobs"."status" IN ('queued', 'running');--> statement-breakpoint
CREATE UNIQUE INDEX "report_attestations_key" ON "report_attestations" USING btree ("iso_week","person_id");--> statement-breakpoint
CREATE INDEX "sessions_person_idx" ON "sessions" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "sessions_expires_at_idx" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_received_at_idx" ON "webhook_deliveries" USING btree ("received_at");