-- /metrics' time to each stage as a Prometheus histogram: per stage, audience and bucket, how many
-- translations reached the stage in that many seconds after ingestion, and their seconds' sum,
-- since the start. Prometheus takes the quantiles over any range (histogram_quantile over a rate),
-- so a scrape reads some 160 rows instead of sorting a week of stage_reached. Kept from
-- stage_reached like the counters of migration 036: each change appends its -1/+1 to
-- stage_bucket_changes, rollups_fold() moves them here. `le` is the bucket's upper bound
-- (Infinity for +Inf), each row counting its own bucket only; /metrics adds them up.
CREATE TABLE stage_buckets (
  stage text NOT NULL,
  audience_id text NOT NULL,
  le double precision NOT NULL,
  n bigint NOT NULL,
  -- numeric: sums are exact in any order, so folded and rebuilt rows are equal
  seconds numeric NOT NULL,
  PRIMARY KEY (stage, audience_id, le)
);
CREATE TABLE stage_bucket_changes (
  stage text NOT NULL,
  audience_id text NOT NULL,
  le double precision NOT NULL,
  n integer NOT NULL,
  seconds numeric NOT NULL
);

-- The bounds (src/ops/figures.ts stageBucketBounds says the same): a minute to three days.
CREATE FUNCTION stage_bucket_bounds() RETURNS double precision[] IMMUTABLE LANGUAGE sql AS $$
  SELECT ARRAY[60, 300, 900, 1800, 3600, 7200, 14400, 43200, 86400, 259200]::double precision[] $$;
CREATE FUNCTION stage_bucket(s double precision) RETURNS double precision IMMUTABLE LANGUAGE sql AS $$
  SELECT coalesce((SELECT min(b) FROM unnest(stage_bucket_bounds()) b WHERE s <= b), 'Infinity') $$;

CREATE FUNCTION stage_bucket_on_reached() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('doingoai.rebuilding', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO stage_bucket_changes VALUES (OLD.stage, OLD.audience_id, stage_bucket(OLD.seconds), -1, -OLD.seconds::numeric);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO stage_bucket_changes VALUES (NEW.stage, NEW.audience_id, stage_bucket(NEW.seconds), 1, NEW.seconds::numeric);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER stage_bucket AFTER INSERT OR DELETE ON stage_reached FOR EACH ROW EXECUTE FUNCTION stage_bucket_on_reached();
CREATE TRIGGER stage_bucket_moved AFTER UPDATE ON stage_reached FOR EACH ROW
  WHEN (OLD.stage IS DISTINCT FROM NEW.stage OR OLD.audience_id IS DISTINCT FROM NEW.audience_id OR OLD.seconds IS DISTINCT FROM NEW.seconds)
  EXECUTE FUNCTION stage_bucket_on_reached();

CREATE OR REPLACE FUNCTION rollups_fold() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE backlog bigint; people bigint; stages bigint; buckets bigint;
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
  WITH moved AS (DELETE FROM stage_bucket_changes RETURNING stage, audience_id, le, n, seconds),
    folded AS (INSERT INTO stage_buckets (stage, audience_id, le, n, seconds)
      SELECT stage, audience_id, le, sum(n), sum(seconds) FROM moved GROUP BY 1, 2, 3
      ON CONFLICT (stage, audience_id, le) DO UPDATE SET n = stage_buckets.n + excluded.n, seconds = stage_buckets.seconds + excluded.seconds)
  SELECT count(*) INTO buckets FROM moved;
  DELETE FROM stage_buckets WHERE n = 0;
  RETURN backlog + people + stages + buckets;
END $$;

CREATE OR REPLACE FUNCTION counters_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE backlog bigint; people bigint; stages bigint; buckets bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('rollups_fold'));
  LOCK TABLE backlog_changes, person_changes, stage_hour_changes, stage_bucket_changes IN EXCLUSIVE MODE;
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
  DELETE FROM stage_bucket_changes;
  DELETE FROM stage_buckets;
  INSERT INTO stage_buckets (stage, audience_id, le, n, seconds)
    SELECT stage, audience_id, stage_bucket(seconds), count(*), sum(seconds::numeric) FROM stage_reached GROUP BY 1, 2, 3;
  GET DIAGNOSTICS buckets = ROW_COUNT;
  RETURN backlog + people + stages + buckets;
END $$;

INSERT INTO stage_buckets (stage, audience_id, le, n, seconds)
  SELECT stage, audience_id, stage_bucket(seconds), count(*), sum(seconds::numeric) FROM stage_reached GROUP BY 1, 2, 3;
