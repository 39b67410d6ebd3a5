-- When each translation reached each stage of its journey (the dashboard's, the reports' and
-- /metrics' time to stage), kept up to date by triggers in the transaction of the change itself, so
-- the figures read one narrow table from one index instead of joining the raw tables:
--   machine_draft  the latest machine draft (translations.machine_translated_at)
--   approved       the first approval (the earliest translation_events row to 'approved', by id)
--   published      the first publication (publications.first_published_at)
--   first_post     the first social post sent on any channel (the earliest social_posts.sent_at)
-- seconds: from the story's ingestion; unit_id: the story's unit. Each trigger recomputes the one
-- (translation, stage) row from the raw tables, so any change (a redraft, a later approval, a
-- post sent earlier) leaves it exact; `rollups_rebuild()` (npm run cli -- rollups rebuild) derives
-- the whole table again and gives the same rows.
CREATE TABLE stage_reached (
  translation_id integer NOT NULL REFERENCES translations(id) ON DELETE CASCADE,
  stage text NOT NULL CHECK (stage IN ('machine_draft', 'approved', 'published', 'first_post')),
  audience_id text NOT NULL,
  unit_id text,
  at timestamptz NOT NULL,
  seconds double precision NOT NULL,
  PRIMARY KEY (translation_id, stage)
);
CREATE INDEX stage_reached_window ON stage_reached (stage, at) INCLUDE (audience_id, seconds, unit_id);

-- One translation's row for one stage, from the raw tables (none when the stage is not reached).
CREATE FUNCTION stage_refresh(tid integer, which text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  aud text; unit text; reached timestamptz; ingested timestamptz;
BEGIN
  IF which = 'machine_draft' THEN
    SELECT t.audience_id, s.unit_id, t.machine_translated_at, s.ingested_at INTO aud, unit, reached, ingested
      FROM translations t JOIN stories s ON s.id = t.story_id WHERE t.id = tid;
  ELSIF which = 'approved' THEN
    SELECT t.audience_id, s.unit_id, e.created_at, s.ingested_at INTO aud, unit, reached, ingested
      FROM translations t JOIN stories s ON s.id = t.story_id
        JOIN LATERAL (SELECT x.created_at FROM translation_events x WHERE x.translation_id = t.id AND x.to_state = 'approved' ORDER BY x.id LIMIT 1) e ON true
      WHERE t.id = tid;
  ELSIF which = 'published' THEN
    SELECT p.audience_id, s.unit_id, p.first_published_at, s.ingested_at INTO aud, unit, reached, ingested
      FROM publications p JOIN translations t ON t.id = p.translation_id JOIN stories s ON s.id = t.story_id WHERE p.translation_id = tid;
  ELSE
    SELECT t.audience_id, s.unit_id, sp.sent_at, s.ingested_at INTO aud, unit, reached, ingested
      FROM translations t JOIN stories s ON s.id = t.story_id
        JOIN LATERAL (SELECT x.sent_at FROM social_posts x WHERE x.translation_id = t.id AND x.sent_at IS NOT NULL ORDER BY x.sent_at LIMIT 1) sp ON true
      WHERE t.id = tid;
  END IF;
  IF reached IS NULL THEN
    DELETE FROM stage_reached WHERE translation_id = tid AND stage = which;
  ELSE
    INSERT INTO stage_reached (translation_id, stage, audience_id, unit_id, at, seconds)
      VALUES (tid, which, aud, unit, reached, extract(epoch FROM reached - ingested))
      ON CONFLICT (translation_id, stage) DO UPDATE SET audience_id = excluded.audience_id, unit_id = excluded.unit_id, at = excluded.at, seconds = excluded.seconds;
  END IF;
END $$;

CREATE FUNCTION stage_on_translation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.machine_translated_at IS DISTINCT FROM OLD.machine_translated_at THEN PERFORM stage_refresh(NEW.id, 'machine_draft'); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER stage_machine_draft AFTER INSERT OR UPDATE OF machine_translated_at ON translations FOR EACH ROW EXECUTE FUNCTION stage_on_translation();

CREATE FUNCTION stage_on_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN PERFORM stage_refresh(OLD.translation_id, 'approved'); ELSE PERFORM stage_refresh(NEW.translation_id, 'approved'); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER stage_approved AFTER INSERT ON translation_events FOR EACH ROW WHEN (NEW.to_state = 'approved') EXECUTE FUNCTION stage_on_event();
CREATE TRIGGER stage_approved_gone AFTER DELETE ON translation_events FOR EACH ROW WHEN (OLD.to_state = 'approved') EXECUTE FUNCTION stage_on_event();

CREATE FUNCTION stage_on_publication() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN PERFORM stage_refresh(OLD.translation_id, 'published');
  ELSIF TG_OP = 'INSERT' OR NEW.first_published_at IS DISTINCT FROM OLD.first_published_at THEN PERFORM stage_refresh(NEW.translation_id, 'published'); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER stage_published AFTER INSERT OR UPDATE OF first_published_at OR DELETE ON publications FOR EACH ROW EXECUTE FUNCTION stage_on_publication();

CREATE FUNCTION stage_on_post() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN PERFORM stage_refresh(OLD.translation_id, 'first_post');
  ELSIF TG_OP = 'INSERT' THEN IF NEW.sent_at IS NOT NULL THEN PERFORM stage_refresh(NEW.translation_id, 'first_post'); END IF;
  ELSIF NEW.sent_at IS DISTINCT FROM OLD.sent_at THEN PERFORM stage_refresh(NEW.translation_id, 'first_post'); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER stage_first_post AFTER INSERT OR UPDATE OF sent_at OR DELETE ON social_posts FOR EACH ROW EXECUTE FUNCTION stage_on_post();

-- The whole table again from the raw tables, in one statement per stage (the caller's transaction).
CREATE FUNCTION rollups_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
  LOCK TABLE stage_reached IN EXCLUSIVE MODE;
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
  RETURN n;
END $$;

SELECT rollups_rebuild();
