-- The glossary's names: people and places, kept apart from terms so that editors see (and keep)
-- the form of each leader's, city's and province's name per language. The accuracy checks require
-- a name's form like a term's; in targets written in Han, kana, Hangul or Cyrillic it is the only
-- way a name is checked at all.
ALTER TABLE glossary_terms ADD COLUMN kind text NOT NULL DEFAULT 'term' CHECK (kind IN ('term', 'name'));
