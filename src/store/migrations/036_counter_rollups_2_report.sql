-- The reports' counts of translations reaching each stage over a range (machine drafts, first
-- approvals, first publications), per UTC hour, stage, audience and unit, kept from stage_reached
-- (migration 032) the way migration 036 keeps its counters: each change of a stage_reached row
-- appends its -1/+1 to stage_hour_changes, rollups_fold() moves them into stage_hours. A report
-- reads the whole hours of its range there and the part-hours at its edges from stage_reached.
CREATE TABLE stage_hours (
  stage text NOT NULL,
  hour timestamptz NOT NULL,
  audience_id text NOT NULL,
  unit_id text,
  n bigint NOT NULL,
  UNIQUE NULLS NOT DISTINCT (stage, hour, audience_id, unit_id)
);
CREATE TABLE stage_hour_changes (
  stage text NOT NULL,
  hour timestamptz NOT NULL,
  audience_id text NOT NULL,
  unit_id text,
  n integer NOT NULL
);

-- the report's social posts sent over a range, per channel, from the index alone
CREATE INDEX social_posts_sent_channel ON social_posts (sent_at) INCLUDE (channel_id, translation_id) WHERE status = 'sent';

CREATE FUNCTION stage_hour_on_reached() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('doingoai.rebuilding', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO stage_hour_changes VALUES (OLD.stage, date_trunc('hour', OLD.at, 'UTC'), OLD.audience_id, OLD.unit_id, -1);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO stage_hour_changes VALUES (NEW.stage, date_trunc('hour', NEW.at, 'UTC'), NEW.audience_id, NEW.unit_id, 1);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER stage_hour AFTER INSERT OR DELETE ON stage_reached FOR EACH ROW EXECUTE FUNCTION stage_hour_on_reached();
CREATE TRIGGER stage_hour_moved AFTER UPDATE ON stage_reached FOR EACH ROW
  WHEN (OLD.stage IS DISTINCT FROM NEW.stage OR OLD.at IS DISTINCT FROM NEW.at OR OLD.audience_id IS DISTINCT FROM NEW.audience_id OR OLD.unit_id IS DISTINCT FROM NEW.unit_id)
  EXECUTE FUNCTION stage_hour_on_reached();

CREATE OR REPLACE FUNCTION rollups_fold() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE backlog bigint; people bigint; stages bigint;
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
  WITH moved AS (DELETE FROM stage_hour_changes RETURNING stage, hour, audience_id, unit_id, n),
    folded AS (INSERT INTO stage_hours (stage, hour, audience_id, unit_id, n)
      SELECT stage, hour, audience_id, unit_id, sum(n) FROM moved GROUP BY 1, 2, 3, 4
      ON CONFLICT (stage, hour, audience_id, unit_id) DO UPDATE SET n = stage_hours.n + excluded.n)
  SELECT count(*) INTO stages FROM moved;
  DELETE FROM stage_hours WHERE n = 0;
  RETURN backlog + people + stages;
END $$;

CREATE OR REPLACE FUNCTION counters_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE backlog bigint; people bigint; stages bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('rollups_fold'));
  LOCK TABLE backlog_changes, person_changes, stage_hour_changes IN EXCLUSIVE MODE;
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
  DELETE FROM stage_hour_changes;
  DELETE FROM stage_hours;
  INSERT INTO stage_hours (stage, hour, audience_id, unit_id, n)
    SELECT stage, date_trunc('hour', at, 'UTC'), audience_id, unit_id, count(*) FROM stage_reached GROUP BY 1, 2, 3, 4;
  GET DIAGNOSTICS stages = ROW_COUNT;
  RETURN backlog + people + stages;
END $$;

CREATE OR REPLACE FUNCTION rollups_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('rollups_fold'));
  LOCK TABLE stage_reached, backlog_changes, person_changes, stage_hour_changes IN EXCLUSIVE MODE;
  -- stage_hours is derived whole below: the rows rewritten here append no changes
  PERFORM set_config('doingoai.rebuilding', 'on', true);
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
  PERFORM set_config('doingoai.rebuilding', 'off', true);
  SELECT count(*) INTO n FROM stage_reached;
  RETURN n + counters_rebuild();
END $$;

INSERT INTO stage_hours (stage, hour, audience_id, unit_id, n)
  SELECT stage, date_trunc('hour', at, 'UTC'), audience_id, unit_id, count(*) FROM stage_reached GROUP BY 1, 2, 3, 4;
