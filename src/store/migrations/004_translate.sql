-- Machine translation: per-segment alignment, translation memory, billing, quota and provider
-- glossaries.

-- Per translation, what each source segment (title, lead, body block) became. Lets a changed story
-- be translated again segment by segment, and shows the reviewer which segments changed.
CREATE TABLE translation_segments (
  translation_id integer NOT NULL REFERENCES translations(id) ON DELETE CASCADE,
  position integer NOT NULL,
  kind text NOT NULL,              -- title | summary | block
  tag text NOT NULL DEFAULT 'p',   -- the block's element (p, h2, li …)
  source_key text NOT NULL,        -- sha-256 of the NFC, whitespace-normalised source
  source_text text NOT NULL,       -- link text marked ⟦n⟧…⟦/n⟧; URLs are kept in links
  target_text text NOT NULL,
  links jsonb NOT NULL DEFAULT '[]',
  origin text NOT NULL,            -- machine | memory | kept
  PRIMARY KEY (translation_id, position)
);

ALTER TABLE translations
  ADD COLUMN changed_segments integer[] NOT NULL DEFAULT '{}',
  ADD COLUMN mt_attempts integer NOT NULL DEFAULT 0,
  ADD COLUMN mt_waiting text,      -- quota | budget: parked until the provider or the budget allows
  ADD COLUMN mt_lease_until timestamptz,
  ADD COLUMN mt_requested_at timestamptz,
  ADD COLUMN mt_notes jsonb NOT NULL DEFAULT '[]',
  -- the text version whose segments went into the translation memory (published translations)
  ADD COLUMN memory_version integer;
CREATE INDEX translations_memory_due ON translations (id) WHERE state = 'published' AND memory_version IS DISTINCT FROM version;
CREATE INDEX translations_mt_pending ON translations (story_id) WHERE state IN ('queued', 'outdated');

-- Segment pairs reused instead of machine translation. origin approved: from a published human
-- translation (target_key = the audience's language); origin machine: a provider answer, reused so
-- that recurring boilerplate is never sent twice (target_key names target, formality and glossary).
CREATE TABLE translation_memory (
  source_language text NOT NULL,
  target_key text NOT NULL,
  source_key text NOT NULL,
  origin text NOT NULL,
  source_text text NOT NULL,
  target_text text NOT NULL,
  hits integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source_language, target_key, source_key)
);

-- Billed characters and memory savings per audience and UTC day.
CREATE TABLE translation_usage (
  day date NOT NULL,
  audience_id text NOT NULL,
  billed_characters bigint NOT NULL DEFAULT 0,
  requests integer NOT NULL DEFAULT 0,
  memory_hits integer NOT NULL DEFAULT 0,
  memory_characters_saved bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (day, audience_id)
);

-- One row per provider: whether its quota is exhausted (456), since when, and the last usage seen.
CREATE TABLE translation_provider_state (
  provider text PRIMARY KEY,
  quota_exhausted_since timestamptz,
  last_error text,
  character_count bigint,
  character_limit bigint,
  checked_at timestamptz
);

-- The provider's copy of a glossary pair: replaced when the terms' hash changes.
CREATE TABLE provider_glossaries (
  provider text NOT NULL,
  source_language text NOT NULL,
  target_language text NOT NULL,
  glossary_id text NOT NULL,
  terms_hash text NOT NULL,
  term_count integer NOT NULL,
  synced_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, source_language, target_language)
);
