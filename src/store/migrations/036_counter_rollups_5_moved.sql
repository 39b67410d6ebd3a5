-- A translation moved to another story takes that story's unit and ingestion time: its
-- stage_reached rows (migration 032) are derived again with its backlog count, in the same trigger.
CREATE OR REPLACE FUNCTION backlog_on_translation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO backlog_changes SELECT OLD.audience_id, s.unit_id, OLD.state, -1 FROM stories s WHERE s.id = OLD.story_id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO backlog_changes SELECT NEW.audience_id, s.unit_id, NEW.state, 1 FROM stories s WHERE s.id = NEW.story_id;
  END IF;
  IF TG_OP = 'UPDATE' AND (NEW.story_id IS DISTINCT FROM OLD.story_id OR NEW.audience_id IS DISTINCT FROM OLD.audience_id) THEN
    PERFORM stage_refresh(NEW.id, 'machine_draft');
    PERFORM stage_refresh(NEW.id, 'approved');
    PERFORM stage_refresh(NEW.id, 'published');
    PERFORM stage_refresh(NEW.id, 'first_post');
  END IF;
  RETURN NULL;
END $$;
