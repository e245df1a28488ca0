-- Issue 10: the gate is bound to the commit being deployed, deployments record the commit and why they
-- were a bypass, and a pipeline token may be bound to the repositories whose deployments it reports.
ALTER TABLE "gate_decisions" ADD COLUMN "commit" text;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "commit" text;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "bypass_reasons" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "repos" text[] DEFAULT '{}'::text[] NOT NULL;
