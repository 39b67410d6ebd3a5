-- Translation memory hygiene: an approved pair remembers the translation it was harvested from,
-- so that withdrawing that translation makes its pairs unusable in the same transaction; editors
-- find a pair by its id and correct it or mark it unusable. An unusable pair stays (what was
-- served, and when, remains readable) but is never served again until a new approved rendering of
-- the same source replaces it.
ALTER TABLE translation_memory
  ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  ADD COLUMN translation_id integer REFERENCES translations(id) ON DELETE SET NULL,
  ADD COLUMN unusable_at timestamptz,
  ADD COLUMN unusable_reason text,
  ADD COLUMN updated_by text;

CREATE INDEX translation_memory_translation ON translation_memory (translation_id) WHERE translation_id IS NOT NULL;
