CREATE TABLE "auth_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"last_failure_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "body_sha256" text;--> statement-breakpoint
CREATE INDEX "webhook_deliveries_body_sha256_idx" ON "webhook_deliveries" USING btree ("body_sha256");
