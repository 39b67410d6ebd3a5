-- Watch lists: what the editors want to know is being said abroad (people, places, institutions,
-- topics), each with its forms in every language it is written in, and which foreign items name it.
CREATE TABLE watch_terms (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  label text NOT NULL,                 -- as the desk calls it (Vietnamese)
  kind text NOT NULL CHECK (kind IN ('person', 'place', 'institution', 'topic')),
  priority boolean NOT NULL DEFAULT false,
  forms jsonb NOT NULL DEFAULT '[]',   -- [{ "language": "en", "text": "Quang Nam" }, …]; the label counts as a vi form
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  removed_at timestamptz
);

CREATE TABLE watch_matches (
  foreign_item_id integer NOT NULL REFERENCES foreign_items(id) ON DELETE CASCADE,
  watch_term_id integer NOT NULL REFERENCES watch_terms(id) ON DELETE CASCADE,
  form text NOT NULL,                  -- the form found, and its language
  language text NOT NULL,
  matched_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (foreign_item_id, watch_term_id)
);
CREATE INDEX watch_matches_term ON watch_matches (watch_term_id, foreign_item_id DESC);
