-- An embargo on a whole story (the planning page): every audience's translation of it, those
-- created later included, is public no earlier than this moment. Each translation still carries
-- its own embargo_until, which is what publication reads; this column is what new translations
-- of the story start with.
ALTER TABLE stories ADD COLUMN embargo_until timestamptz;
