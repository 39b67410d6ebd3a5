-- The public site's search: what readers find is what was published (the publication's text, not
-- a draft being edited after it), stemmed in the publication's language like the desk's search
-- (012_search.sql). A publication's language is its translation's, copied in by a trigger at insert
-- so that every writer of publications gets it; the generated column is computed after it.
ALTER TABLE publications ADD COLUMN language text;
UPDATE publications p SET language = t.language FROM translations t WHERE t.id = p.translation_id;

CREATE FUNCTION publications_language() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.language IS NULL THEN
    SELECT language INTO NEW.language FROM translations WHERE id = NEW.translation_id;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER publications_language BEFORE INSERT ON publications FOR EACH ROW EXECUTE FUNCTION publications_language();

ALTER TABLE publications ADD COLUMN search tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector(search_config(coalesce(language, 'simple')), search_split(title)), 'A')
  || setweight(to_tsvector(search_config(coalesce(language, 'simple')), search_split(summary)), 'B')
  || setweight(to_tsvector(search_config(coalesce(language, 'simple')), search_split(search_plain(body_html))), 'C')
) STORED;
CREATE INDEX publications_search ON publications USING gin (search);
