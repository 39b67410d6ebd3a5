-- The consequences of a publication, a correction, a takedown or an embargo change (feed files and
-- their WebSub pings, social posts), written in the same transaction as the change itself and
-- carried out after the commit: a crash between the two leaves the row pending, and the next start
-- (or the sweep every minute) carries it out. Each effect is safe to carry out twice.
CREATE TABLE publication_effects (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  translation_id integer NOT NULL REFERENCES translations(id) ON DELETE CASCADE,
  audience_id text NOT NULL,
  effect text NOT NULL CHECK (effect IN ('feeds', 'social')),
  -- the feed topics the change touched (the item's topic now and before), for 'feeds'
  topics text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  -- nobody else takes the row before this (held by the instance carrying it out, or a retry's wait)
  not_before timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  done_at timestamptz
);
CREATE INDEX publication_effects_pending ON publication_effects (id) WHERE done_at IS NULL;
