-- Glossaries: the required translation of official titles and bodies, per language pair, kept by
-- editors. A retired term stays for the record but no longer applies.
CREATE TABLE glossary_terms (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source_language text NOT NULL DEFAULT 'vi',
  target_language text NOT NULL,
  source text NOT NULL,
  target text NOT NULL,
  -- other renderings seen in the press; accepted by checks, never preferred
  variants text[] NOT NULL DEFAULT '{}',
  note text,
  retired_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text
);
CREATE UNIQUE INDEX glossary_terms_live ON glossary_terms (source_language, target_language, source) WHERE retired_at IS NULL;
CREATE INDEX glossary_terms_pair ON glossary_terms (target_language, source_language);
