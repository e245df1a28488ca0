CREATE TABLE "confirmation_requests" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"subject" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_by_id" integer NOT NULL,
	"decided_by_id" integer,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	CONSTRAINT "confirmation_requests_kind" CHECK (kind IN ('person.update', 'person.create', 'service.tier')),
	CONSTRAINT "confirmation_requests_status" CHECK (status IN ('pending', 'confirmed', 'rejected')),
	CONSTRAINT "confirmation_requests_second_admin" CHECK ("confirmation_requests"."decided_by_id" IS NULL OR "confirmation_requests"."decided_by_id" <> "confirmation_requests"."requested_by_id")
);
--> statement-breakpoint
ALTER TABLE "confirmation_requests" ADD CONSTRAINT "confirmation_requests_requested_by_id_people_id_fk" FOREIGN KEY ("requested_by_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "confirmation_requests" ADD CONSTRAINT "confirmation_requests_decided_by_id_people_id_fk" FOREIGN KEY ("decided_by_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "confirmation_requests_status_idx" ON "confirmation_requests" USING btree ("status","requested_at");
