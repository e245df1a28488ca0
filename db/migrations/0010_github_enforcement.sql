-- GitHub enforcement (issue 12): which App installation serves a repository, the check run Countersign
-- keeps on each pull request head commit, and deployment protection rule requests waiting for sign-off.
CREATE TABLE "github_installations" (
	"repo" text PRIMARY KEY NOT NULL,
	"installation_id" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "github_check_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"change_id" integer NOT NULL,
	"repo" text NOT NULL,
	"head_sha" text NOT NULL,
	"check_run_id" bigint,
	"conclusion" text NOT NULL,
	"fingerprint" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "github_check_runs_repo_sha_key" UNIQUE("repo","head_sha")
);
--> statement-breakpoint
CREATE TABLE "github_protection_requests" (
	"id" serial PRIMARY KEY NOT NULL,
	"repo" text NOT NULL,
	"sha" text NOT NULL,
	"environment" text NOT NULL,
	"callback_url" text NOT NULL,
	"installation_id" bigint,
	"deployment_id" bigint,
	"change_id" integer,
	"status" text DEFAULT 'pending' NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"decision_id" bigint,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone,
	CONSTRAINT "github_protection_requests_callback_env_key" UNIQUE("callback_url","environment"),
	CONSTRAINT "github_protection_requests_status_valid" CHECK ("github_protection_requests"."status" IN ('pending', 'approved', 'rejected'))
);
--> statement-breakpoint
ALTER TABLE "github_check_runs" ADD CONSTRAINT "github_check_runs_change_id_changes_id_fk" FOREIGN KEY ("change_id") REFERENCES "public"."changes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "github_protection_requests" ADD CONSTRAINT "github_protection_requests_change_id_changes_id_fk" FOREIGN KEY ("change_id") REFERENCES "public"."changes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "github_check_runs_change_idx" ON "github_check_runs" USING btree ("change_id");--> statement-breakpoint
CREATE INDEX "github_protection_requests_pending_idx" ON "github_protection_requests" USING btree ("repo","sha") WHERE "github_protection_requests"."status" = 'pending';
