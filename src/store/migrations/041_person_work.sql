-- "My work" from a person's own rows. person_drafts: each translation a person wrote in (a
-- revision of their own) or submitted, with the translation's state and time copied at each change,
-- so their drafts by state and their latest open ones read a few index entries instead of every
-- revision and submission of a year joined to the translations. Derived: a rebuild writes it again.
CREATE TABLE person_drafts (
  person text NOT NULL,
  translation_id integer NOT NULL REFERENCES translations(id) ON DELETE CASCADE,
  state text NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (person, translation_id)
);
CREATE INDEX person_drafts_by_state ON person_drafts (person, state);
CREATE INDEX person_drafts_open ON person_drafts (person, updated_at DESC, translation_id DESC) WHERE state NOT IN ('published', 'withdrawn');
CREATE INDEX person_drafts_translation ON person_drafts (translation_id);

-- Whether the person still has work of their own in the translation, after a row was deleted or changed.
CREATE FUNCTION person_draft_recheck(who text, tid integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM revisions WHERE author = who AND translation_id = tid AND kind <> 'machine')
    OR EXISTS (SELECT 1 FROM translation_events WHERE translation_id = tid AND actor = who AND to_state = 'in_review') THEN
    INSERT INTO person_drafts (person, translation_id, state, updated_at)
      SELECT who, t.id, t.state, t.updated_at FROM translations t WHERE t.id = tid
      ON CONFLICT DO NOTHING;
  ELSE
    DELETE FROM person_drafts WHERE person = who AND translation_id = tid;
  END IF;
END $$;

-- Writers of revisions and submissions hold the translation's row lock already (saveText, changeState):
-- FOR SHARE only matters for other writers, whose state change then waits for this row to commit.
CREATE FUNCTION person_draft_on_work() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE revision boolean := TG_TABLE_NAME = 'revisions'; who text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF revision THEN who := NEW.author; ELSE who := NEW.actor; END IF;
    INSERT INTO person_drafts (person, translation_id, state, updated_at)
      SELECT who, t.id, t.state, t.updated_at FROM translations t WHERE t.id = NEW.translation_id FOR SHARE
      ON CONFLICT DO NOTHING;
    RETURN NULL;
  END IF;
  IF revision THEN who := OLD.author; ELSE who := OLD.actor; END IF;
  PERFORM person_draft_recheck(who, OLD.translation_id);
  IF TG_OP = 'UPDATE' THEN
    IF revision THEN who := NEW.author; ELSE who := NEW.actor; END IF;
    PERFORM person_draft_recheck(who, NEW.translation_id);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER person_draft_revision AFTER INSERT ON revisions FOR EACH ROW WHEN (NEW.kind <> 'machine') EXECUTE FUNCTION person_draft_on_work();
CREATE TRIGGER person_draft_revision_gone AFTER DELETE ON revisions FOR EACH ROW WHEN (OLD.kind <> 'machine') EXECUTE FUNCTION person_draft_on_work();
CREATE TRIGGER person_draft_revision_changed AFTER UPDATE OF kind, author, translation_id ON revisions FOR EACH ROW
  WHEN (OLD.kind <> 'machine' OR NEW.kind <> 'machine') EXECUTE FUNCTION person_draft_on_work();
CREATE TRIGGER person_draft_submission AFTER INSERT ON translation_events FOR EACH ROW WHEN (NEW.to_state = 'in_review') EXECUTE FUNCTION person_draft_on_work();
CREATE TRIGGER person_draft_submission_gone AFTER DELETE ON translation_events FOR EACH ROW WHEN (OLD.to_state = 'in_review') EXECUTE FUNCTION person_draft_on_work();
CREATE TRIGGER person_draft_submission_changed AFTER UPDATE OF to_state, actor, translation_id ON translation_events FOR EACH ROW
  WHEN (OLD.to_state = 'in_review' OR NEW.to_state = 'in_review') EXECUTE FUNCTION person_draft_on_work();

CREATE FUNCTION person_draft_on_translation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE person_drafts SET state = NEW.state, updated_at = NEW.updated_at WHERE translation_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER person_draft_translation AFTER UPDATE OF state, updated_at ON translations FOR EACH ROW
  WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.updated_at IS DISTINCT FROM NEW.updated_at) EXECUTE FUNCTION person_draft_on_translation();

-- Whose submission a rejection answered, and whose submitted text a QA finding was about: the last
-- submission before it, written once when the row is, so a person's rejections and findings are
-- read by person instead of looking back from every rejection and finding of the range.
ALTER TABLE translation_events ADD COLUMN submitted_by text;
ALTER TABLE qa_findings ADD COLUMN submitted_by text;

CREATE FUNCTION submitted_by_on_rejection() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.submitted_by := (SELECT actor FROM translation_events
    WHERE translation_id = NEW.translation_id AND to_state = 'in_review' AND id < NEW.id ORDER BY id DESC LIMIT 1);
  RETURN NEW;
END $$;
CREATE TRIGGER submitted_by_rejection BEFORE INSERT ON translation_events FOR EACH ROW WHEN (NEW.to_state = 'rejected') EXECUTE FUNCTION submitted_by_on_rejection();

CREATE FUNCTION submitted_by_on_finding() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.submitted_by := (SELECT actor FROM translation_events
    WHERE translation_id = NEW.translation_id AND to_state = 'in_review' AND created_at <= NEW.created_at ORDER BY id DESC LIMIT 1);
  RETURN NEW;
END $$;
CREATE TRIGGER submitted_by_finding BEFORE INSERT ON qa_findings FOR EACH ROW EXECUTE FUNCTION submitted_by_on_finding();

UPDATE translation_events e SET submitted_by = (SELECT x.actor FROM translation_events x
  WHERE x.translation_id = e.translation_id AND x.to_state = 'in_review' AND x.id < e.id ORDER BY x.id DESC LIMIT 1)
  WHERE e.to_state = 'rejected';
UPDATE qa_findings f SET submitted_by = (SELECT x.actor FROM translation_events x
  WHERE x.translation_id = f.translation_id AND x.to_state = 'in_review' AND x.created_at <= f.created_at ORDER BY x.id DESC LIMIT 1);

CREATE INDEX translation_events_rejections_of ON translation_events (submitted_by, created_at DESC) INCLUDE (translation_id) WHERE to_state = 'rejected';
CREATE INDEX qa_findings_submitted_by ON qa_findings (submitted_by, created_at);

-- Every person's drafts again from revisions and submissions (with rollups_rebuild, after a
-- restore or to check); returns the rows written.
CREATE FUNCTION person_work_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
  LOCK TABLE person_drafts IN EXCLUSIVE MODE;
  DELETE FROM person_drafts;
  INSERT INTO person_drafts (person, translation_id, state, updated_at)
    SELECT w.person, t.id, t.state, t.updated_at FROM (
      SELECT author AS person, translation_id FROM revisions WHERE kind <> 'machine'
      UNION SELECT actor, translation_id FROM translation_events WHERE to_state = 'in_review'
    ) w JOIN translations t ON t.id = w.translation_id;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END $$;
SELECT person_work_rebuild();
