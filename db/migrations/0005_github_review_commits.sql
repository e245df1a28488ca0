ALTER TABLE "external_reviews" ADD COLUMN "commit_id" text;--> statement-breakpoint
ALTER TABLE "revisions" ADD COLUMN "head_commits" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
CREATE INDEX "external_reviews_change_idx" ON "external_reviews" USING btree ("change_id");