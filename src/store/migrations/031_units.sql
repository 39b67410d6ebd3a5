-- Units: the bodies that contribute stories and do the work (a province's departments, a
-- ministry's press office, an agency), for attribution and reporting. A source, an API token and a
-- person may belong to one. A story takes its unit once, when it is ingested: its source's, else
-- the pushing token's or person's; a report filed for a quarter does not change when a source
-- moves to another unit later.
CREATE TABLE units (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9-]{1,64}$'),
  name_vi text NOT NULL CHECK (length(name_vi) BETWEEN 1 AND 200),
  name_en text CHECK (length(name_en) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE sources ADD COLUMN unit_id text REFERENCES units(id) ON DELETE SET NULL;
ALTER TABLE api_tokens ADD COLUMN unit_id text REFERENCES units(id) ON DELETE SET NULL;
ALTER TABLE users ADD COLUMN unit_id text REFERENCES units(id) ON DELETE SET NULL;
ALTER TABLE stories ADD COLUMN unit_id text REFERENCES units(id) ON DELETE SET NULL;

-- a unit's stories over a period (the reports and the dashboard filtered by unit)
CREATE INDEX stories_unit_ingested ON stories (unit_id, ingested_at) WHERE unit_id IS NOT NULL;

-- Every way a story is inserted (polls in batches, pushes, the desk, restores) gets its unit here,
-- so none can forget it; an explicit unit_id is kept. pushed_by is "token:<name>" or a username.
CREATE FUNCTION story_unit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.unit_id IS NULL THEN
    NEW.unit_id := coalesce(
      (SELECT unit_id FROM sources WHERE id = NEW.source_id),
      (SELECT unit_id FROM api_tokens WHERE NEW.pushed_by LIKE 'token:%' AND name = substr(NEW.pushed_by, 7) AND revoked_at IS NULL ORDER BY id DESC LIMIT 1),
      (SELECT unit_id FROM users WHERE username = NEW.pushed_by));
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER stories_unit BEFORE INSERT ON stories FOR EACH ROW EXECUTE FUNCTION story_unit();
