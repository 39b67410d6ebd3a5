-- /metrics' histogram of time to each stage only grows, as Prometheus expects of every bucket (a
-- bucket that goes down reads as a counter reset, and the rate over it as a jump of its whole
-- count). Each translation is counted once per stage, with the time it took when it first reached
-- it: a new draft, an approval taken out, a publication moved or a translation deleted change the
-- dashboard's and the reports' stage times (stage_reached), not what the histogram observed.
-- A stage reached again after it was taken back (its row deleted, then inserted) counts again.
DROP TRIGGER stage_bucket_moved ON stage_reached;
DROP TRIGGER stage_bucket ON stage_reached;
CREATE OR REPLACE FUNCTION stage_bucket_on_reached() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('doingoai.rebuilding', true) = 'on' THEN RETURN NULL; END IF;
  INSERT INTO stage_bucket_changes VALUES (NEW.stage, NEW.audience_id, stage_bucket(NEW.seconds), 1, NEW.seconds::numeric);
  RETURN NULL;
END $$;
CREATE TRIGGER stage_bucket AFTER INSERT ON stage_reached FOR EACH ROW EXECUTE FUNCTION stage_bucket_on_reached();

-- A rebuild keeps the observations (the raw tables no longer hold those corrected since) and folds
-- the changes into them; backups carry them (src/ops/backup.ts). With none (a restore of a backup
-- made before this migration), it derives them from the stages reached.
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
  WITH moved AS (DELETE FROM stage_bucket_changes RETURNING stage, audience_id, le, n, seconds)
  INSERT INTO stage_buckets (stage, audience_id, le, n, seconds)
    SELECT stage, audience_id, le, sum(n), sum(seconds) FROM moved GROUP BY 1, 2, 3
    ON CONFLICT (stage, audience_id, le) DO UPDATE SET n = stage_buckets.n + excluded.n, seconds = stage_buckets.seconds + excluded.seconds;
  IF NOT EXISTS (SELECT 1 FROM stage_buckets) THEN
    INSERT INTO stage_buckets (stage, audience_id, le, n, seconds)
      SELECT stage, audience_id, stage_bucket(seconds), count(*), sum(seconds::numeric) FROM stage_reached GROUP BY 1, 2, 3;
  END IF;
  SELECT count(*) INTO buckets FROM stage_buckets;
  RETURN backlog + people + stages + buckets;
END $$;
