-- Guards that hold whatever the application does: the audit trail is append-only,
-- and an approval can never come from a bot, the author or a co-author, nor bind to a
-- revision that is not the change's current one.
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_no_update_delete
  BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate
  BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION approvals_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  c record;
  p record;
BEGIN
  SELECT author_id, current_revision_id INTO c FROM changes WHERE id = NEW.change_id;
  SELECT is_bot INTO p FROM people WHERE id = NEW.person_id;
  IF p.is_bot THEN
    RAISE EXCEPTION 'bot_cannot_approve' USING ERRCODE = 'check_violation', HINT = 'countersign';
  END IF;
  IF NEW.person_id = c.author_id OR EXISTS (
    SELECT 1 FROM change_coauthors WHERE change_id = NEW.change_id AND person_id = NEW.person_id
  ) THEN
    RAISE EXCEPTION 'author_cannot_approve' USING ERRCODE = 'check_violation', HINT = 'countersign';
  END IF;
  IF c.current_revision_id IS DISTINCT FROM NEW.revision_id THEN
    RAISE EXCEPTION 'stale_revision' USING ERRCODE = 'check_violation', HINT = 'countersign';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER approvals_guard
  BEFORE INSERT ON approvals
  FOR EACH ROW EXECUTE FUNCTION approvals_guard();
--> statement-breakpoint
-- Only withdrawal may change an approval, and only once.
CREATE OR REPLACE FUNCTION approvals_only_withdraw() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.withdrawn_at IS NOT NULL
     OR NEW.withdrawn_at IS NULL
     OR (NEW.change_id, NEW.revision_id, NEW.person_id, NEW.decision, NEW.comment, NEW.created_at)
        IS DISTINCT FROM (OLD.change_id, OLD.revision_id, OLD.person_id, OLD.decision, OLD.comment, OLD.created_at) THEN
    RAISE EXCEPTION 'an approval can only be withdrawn' USING ERRCODE = 'check_violation', HINT = 'countersign';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER approvals_only_withdraw
  BEFORE UPDATE ON approvals
  FOR EACH ROW EXECUTE FUNCTION approvals_only_withdraw();
