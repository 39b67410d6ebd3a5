-- Monitoring what is said abroad: a source's language (vi is the domestic desk; any other language
-- makes it a foreign outlet, read and never published) and the reach the editors give it, and the
-- foreign items themselves, kept apart from stories so that nothing that publishes (translations,
-- feeds, the site, social posts) can ever reach them.
ALTER TABLE sources
  ADD COLUMN language text NOT NULL DEFAULT 'vi',
  ADD COLUMN reach integer CHECK (reach IS NULL OR reach >= 0);

-- One row per item of a foreign source. vi_*: the machine translation into Vietnamese for the desk,
-- of version vi_version (behind `version` when the outlet changed the text since); vi_error says why
-- there is none. same_as: the first item of the same story (simhash within 3 bits), so that "how many
-- outlets carry it" is one count.
CREATE TABLE foreign_items (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source_id text NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  guid text NOT NULL,
  url text,
  language text NOT NULL,
  title text NOT NULL,
  summary text NOT NULL DEFAULT '',
  body_html text NOT NULL DEFAULT '',
  published_at timestamptz,
  content_hash text NOT NULL,
  version integer NOT NULL DEFAULT 1,
  simhash bigint,
  simhash_bands integer[],
  same_as integer REFERENCES foreign_items(id) ON DELETE SET NULL,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  vi_title text,
  vi_summary text,
  vi_body_html text,
  vi_version integer,
  vi_provider text,
  vi_error text,
  vi_translated_at timestamptz,
  UNIQUE (source_id, guid)
);
CREATE INDEX foreign_items_newest ON foreign_items (coalesce(published_at, first_seen_at) DESC, id DESC);
CREATE INDEX foreign_items_bands ON foreign_items USING gin (simhash_bands) WHERE same_as IS NULL;
CREATE INDEX foreign_items_same_as ON foreign_items (same_as) WHERE same_as IS NOT NULL;
CREATE INDEX foreign_items_untranslated ON foreign_items (id) WHERE vi_version IS DISTINCT FROM version AND vi_error IS NULL;
