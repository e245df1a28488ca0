ALTER TABLE "changes" ADD COLUMN "submitter_id" integer;--> statement-breakpoint
ALTER TABLE "changes" ADD COLUMN "unmapped_paths" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "changes" ADD CONSTRAINT "changes_submitter_id_people_id_fk" FOREIGN KEY ("submitter_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- An external id made only of digits could be mistaken for another change's id (issue 10): such ids,
-- if any exist, are kept readable as "legacy-<digits>" before the rule is enforced.
UPDATE "changes" SET "external_id" = 'legacy-' || "external_id" WHERE "external_id" ~ '^[0-9]+$';--> statement-breakpoint
ALTER TABLE "changes" ADD CONSTRAINT "changes_external_id_not_numeric" CHECK ("changes"."external_id" !~ '^[0-9]+$');--> statement-breakpoint
-- The submitter of a change may not approve it either (same rule as lib/policy/approvals.ts checkApprover).
CREATE OR REPLACE FUNCTION approvals_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  c record;
  p record;
BEGIN
  SELECT author_id, submitter_id, current_revision_id INTO c FROM changes WHERE id = NEW.change_id;
  SELECT is_bot INTO p FROM people WHERE id = NEW.person_id;
  IF p.is_bot THEN
    RAISE EXCEPTION 'bot_cannot_approve' USING ERRCODE = 'check_violation', HINT = 'countersign';
  END IF;
  IF NEW.person_id = c.author_id OR EXISTS (
    SELECT 1 FROM change_coauthors WHERE change_id = NEW.change_id AND person_id = NEW.person_id
  ) THEN
    RAISE EXCEPTION 'author_cannot_approve' USING ERRCODE = 'check_violation', HINT = 'countersign';
  END IF;
  IF NEW.person_id = c.submitter_id THEN
    RAISE EXCEPTION 'submitter_cannot_approve' USING ERRCODE = 'check_violation', HINT = 'countersign';
  END IF;
  IF c.current_revision_id IS DISTINCT FROM NEW.revision_id THEN
    RAISE EXCEPTION 'stale_revision' USING ERRCODE = 'check_violation', HINT = 'countersign';
  END IF;
  RETURN NEW;
END;
$$;
