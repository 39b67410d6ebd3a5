-- A story's route per audience (src/core/routing.ts): take (a translation exists and is worked
-- on), plan (it waits on the planning page; nothing spent), skip (no translation for this
-- audience); with the rule or the person that chose it. Stories ingested before routing have no
-- routes: they were taken by every audience.
CREATE TABLE story_routes (
  story_id integer NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  audience_id text NOT NULL,
  choice text NOT NULL CHECK (choice IN ('take', 'plan', 'skip')),
  rule text NOT NULL,
  -- null: the audience's rules decided; else the person (or token) who chose
  decided_by text,
  reason text,
  decided_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (story_id, audience_id)
);
-- the planning page's "waiting for a choice" lookups
CREATE INDEX story_routes_planned ON story_routes (audience_id, story_id) WHERE choice = 'plan';
