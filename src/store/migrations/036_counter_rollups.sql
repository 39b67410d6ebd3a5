-- Counters the dashboard, the reports and /metrics read instead of counting the raw tables:
--   backlog_counts  translations per audience, unit (the story's) and state
--   person_hours    edits (revisions not by the machine) and approvals per UTC hour and person
-- Triggers never update a counter row: each change appends its +1/-1 to a *_changes table that
-- has no key and no index, so concurrent state changes never wait on one another (a counter row
-- per audience and state would queue every approval of an audience behind the last). A reader
-- sums the counters and the changes not yet folded; rollups_fold() (a pg-boss job each minute)
-- moves the changes into the counters in one transaction, so a reader sees them in one place or
-- the other, never both or neither. rollups_rebuild() derives everything again from the raw tables.
CREATE TABLE backlog_counts (
  audience_id text NOT NULL,
  unit_id text,
  state text NOT NULL,
  n bigint NOT NULL,
  UNIQUE NULLS NOT DISTINCT (audience_id, unit_id, state)
);
CREATE TABLE backlog_changes (
  audience_id text NOT NULL,
  unit_id text,
  state text NOT NULL,
  n integer NOT NULL
);

CREATE TABLE person_hours (
  hour timestamptz NOT NULL,
  person text NOT NULL,
  edits bigint NOT NULL,
  approvals bigint NOT NULL,
  PRIMARY KEY (hour, person)
);
CREATE TABLE person_changes (
  hour timestamptz NOT NULL,
  person text NOT NULL,
  edits integer NOT NULL,
  approvals integer NOT NULL
);

-- the report's corrections and withdrawals over a range, without reading every event
CREATE INDEX translation_events_takedowns ON translation_events (created_at) INCLUDE (translation_id)
  WHERE (from_state = 'published' AND to_state = 'in_review') OR to_state = 'withdrawn';
-- the report's failed social posts over a range
CREATE INDEX social_posts_failed ON social_posts (scheduled_at) INCLUDE (channel_id, translation_id) WHERE status = 'failed';

-- A translation's unit is its story's, read at the change. A translation deleted with its story is
-- counted out by the story's own trigger (the story is already gone when this one runs).
CREATE FUNCTION backlog_on_translation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO backlog_changes SELECT OLD.audience_id, s.unit_id, OLD.state, -1 FROM stories s WHERE s.id = OLD.story_id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO backlog_changes SELECT NEW.audience_id, s.unit_id, NEW.state, 1 FROM stories s WHERE s.id = NEW.story_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER backlog_translation AFTER INSERT OR DELETE ON translations FOR EACH ROW EXECUTE FUNCTION backlog_on_translation();
CREATE TRIGGER backlog_translation_moved AFTER UPDATE OF state, audience_id, story_id ON translations FOR EACH ROW
  WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.audience_id IS DISTINCT FROM NEW.audience_id OR OLD.story_id IS DISTINCT FROM NEW.story_id)
  EXECUTE FUNCTION backlog_on_translation();

-- A story deleted (its translations go with it) or moved to another unit (its unit deleted): its
-- translations are locked and read as they stand, so a state change committed meanwhile is not lost.
CREATE FUNCTION backlog_on_story() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO backlog_changes SELECT t.audience_id, OLD.unit_id, t.state, -1 FROM (SELECT audience_id, state FROM translations WHERE story_id = OLD.id FOR UPDATE) t;
  IF TG_OP = 'UPDATE' THEN
    INSERT INTO backlog_changes SELECT t.audience_id, NEW.unit_id, t.state, 1 FROM translations t WHERE t.story_id = NEW.id;
    UPDATE stage_reached SET unit_id = NEW.unit_id WHERE translation_id IN (SELECT id FROM translations WHERE story_id = NEW.id);
    RETURN NEW;
  END IF;
  RETURN OLD;
END $$;
CREATE TRIGGER backlog_story_gone BEFORE DELETE ON stories FOR EACH ROW EXECUTE FUNCTION backlog_on_story();
CREATE TRIGGER backlog_story_unit BEFORE UPDATE OF unit_id ON stories FOR EACH ROW
  WHEN (OLD.unit_id IS DISTINCT FROM NEW.unit_id) EXECUTE FUNCTION backlog_on_story();

-- Hours are UTC hours whatever the session's time zone.
CREATE FUNCTION person_on_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.kind <> 'machine' THEN
    INSERT INTO person_changes VALUES (date_trunc('hour', OLD.created_at, 'UTC'), OLD.author, -1, 0);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.kind <> 'machine' THEN
    INSERT INTO person_changes VALUES (date_trunc('hour', NEW.created_at, 'UTC'), NEW.author, 1, 0);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER person_revision AFTER INSERT OR DELETE OR UPDATE OF kind, author, created_at ON revisions FOR EACH ROW EXECUTE FUNCTION person_on_revision();

CREATE FUNCTION person_on_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.to_state = 'approved' THEN
    INSERT INTO person_changes VALUES (date_trunc('hour', OLD.created_at, 'UTC'), OLD.actor, 0, -1);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.to_state = 'approved' THEN
    INSERT INTO person_changes VALUES (date_trunc('hour', NEW.created_at, 'UTC'), NEW.actor, 0, 1);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER person_event AFTER INSERT OR DELETE OR UPDATE OF to_state, actor, created_at ON translation_events FOR EACH ROW EXECUTE FUNCTION person_on_event();

-- The changes so far into the counters, in the caller's transaction; the number of changes moved.
-- One fold at a time (another returns 0 at once: the next fold takes its changes). A change
-- committed while it runs is not in its snapshot, so it stays for the next fold.
CREATE FUNCTION rollups_fold() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE backlog bigint; people bigint;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('rollups_fold')) THEN RETURN 0; END IF;
  WITH moved AS (DELETE FROM backlog_changes RETURNING audience_id, unit_id, state, n),
    folded AS (INSERT INTO backlog_counts (audience_id, unit_id, state, n)
      SELECT audience_id, unit_id, state, sum(n) FROM moved GROUP BY 1, 2, 3
      ON CONFLICT (audience_id, unit_id, state) DO UPDATE SET n = backlog_counts.n + excluded.n)
  SELECT count(*) INTO backlog FROM moved;
  DELETE FROM backlog_counts WHERE n = 0;
  WITH moved AS (DELETE FROM person_changes RETURNING hour, person, edits, approvals),
    folded AS (INSERT INTO person_hours (hour, person, edits, approvals)
      SELECT hour, person, sum(edits), sum(approvals) FROM moved GROUP BY 1, 2
      ON CONFLICT (hour, person) DO UPDATE SET edits = person_hours.edits + excluded.edits, approvals = person_hours.approvals + excluded.approvals)
  SELECT count(*) INTO people FROM moved;
  DELETE FROM person_hours WHERE edits = 0 AND approvals = 0;
  RETURN backlog + people;
END $$;

-- The counters again from the raw tables, in the caller's transaction; the rows written. Writers
-- of the counters (every state change, edit and approval) wait until it commits.
CREATE FUNCTION counters_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE backlog bigint; people bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('rollups_fold'));
  LOCK TABLE backlog_changes, person_changes IN EXCLUSIVE MODE;
  DELETE FROM backlog_changes;
  DELETE FROM backlog_counts;
  INSERT INTO backlog_counts (audience_id, unit_id, state, n)
    SELECT t.audience_id, s.unit_id, t.state, count(*) FROM translations t JOIN stories s ON s.id = t.story_id GROUP BY 1, 2, 3;
  GET DIAGNOSTICS backlog = ROW_COUNT;
  DELETE FROM person_changes;
  DELETE FROM person_hours;
  INSERT INTO person_hours (hour, person, edits, approvals)
    SELECT hour, person, sum(edits), sum(approvals) FROM (
      SELECT date_trunc('hour', created_at, 'UTC') AS hour, author AS person, count(*) AS edits, 0 AS approvals FROM revisions WHERE kind <> 'machine' GROUP BY 1, 2
      UNION ALL
      SELECT date_trunc('hour', created_at, 'UTC'), actor, 0, count(*) FROM translation_events WHERE to_state = 'approved' GROUP BY 1, 2
    ) x GROUP BY 1, 2;
  GET DIAGNOSTICS people = ROW_COUNT;
  RETURN backlog + people;
END $$;

-- Every rollup again (migration 032's stage_reached, then the counters), in one transaction.
CREATE OR REPLACE FUNCTION rollups_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('rollups_fold'));
  LOCK TABLE stage_reached, backlog_changes, person_changes IN EXCLUSIVE MODE;
  DELETE FROM stage_reached;
  INSERT INTO stage_reached (translation_id, stage, audience_id, unit_id, at, seconds)
    SELECT t.id, 'machine_draft', t.audience_id, s.unit_id, t.machine_translated_at, extract(epoch FROM t.machine_translated_at - s.ingested_at)
    FROM translations t JOIN stories s ON s.id = t.story_id WHERE t.machine_translated_at IS NOT NULL;
  INSERT INTO stage_reached (translation_id, stage, audience_id, unit_id, at, seconds)
    SELECT t.id, 'approved', t.audience_id, s.unit_id, e.created_at, extract(epoch FROM e.created_at - s.ingested_at)
    FROM (SELECT DISTINCT ON (translation_id) translation_id, created_at FROM translation_events WHERE to_state = 'approved' ORDER BY translation_id, id) e
      JOIN translations t ON t.id = e.translation_id JOIN stories s ON s.id = t.story_id;
  INSERT INTO stage_reached (translation_id, stage, audience_id, unit_id, at, seconds)
    SELECT p.translation_id, 'published', p.audience_id, s.unit_id, p.first_published_at, extract(epoch FROM p.first_published_at - s.ingested_at)
    FROM publications p JOIN translations t ON t.id = p.translation_id JOIN stories s ON s.id = t.story_id;
  INSERT INTO stage_reached (translation_id, stage, audience_id, unit_id, at, seconds)
    SELECT t.id, 'first_post', t.audience_id, s.unit_id, sp.sent_at, extract(epoch FROM sp.sent_at - s.ingested_at)
    FROM (SELECT DISTINCT ON (translation_id) translation_id, sent_at FROM social_posts WHERE sent_at IS NOT NULL ORDER BY translation_id, sent_at) sp
      JOIN translations t ON t.id = sp.translation_id JOIN stories s ON s.id = t.story_id;
  SELECT count(*) INTO n FROM stage_reached;
  RETURN n + counters_rebuild();
END $$;

-- stage_reached is as migration 032 left it; only the counters are new
SELECT counters_rebuild();
