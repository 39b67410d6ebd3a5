-- Search: one search box over stories and their translations, with PostgreSQL's own full-text
-- search. Vietnamese is matched with and without diacritics: text and query are folded by
-- search_fold (lower case, the letters' marks removed, đ → d), a plain translate() that every
-- PostgreSQL has (the unaccent extension is a contrib module the embedded binaries may lack).
-- Translations are stemmed with their language's configuration where PostgreSQL has one; Chinese,
-- Japanese, Korean and Lao, written without spaces between words, are indexed letter by letter
-- (search_split) and searched as phrases. Both documents are stored, generated columns, so every
-- change of text is indexed in the same statement.

CREATE FUNCTION search_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT translate(lower(t), 'àáảãạăằắẳẵặâầấẩẫậäåāèéẻẽẹêềếểễệëēìíỉĩịîïīòóỏõọôồốổỗộơờớởỡợöōùúủũụưừứửữựûüūỳýỷỹỵÿçñđÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÄÅĀÈÉẺẼẸÊỀẾỂỄỆËĒÌÍỈĨỊÎÏĪÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÖŌÙÚỦŨỤƯỪỨỬỮỰÛÜŪỲÝỶỸỴŸÇÑĐ', 'aaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeiiiiiiiiooooooooooooooooooouuuuuuuuuuuuuuyyyyyycndaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeiiiiiiiiooooooooooooooooooouuuuuuuuuuuuuuyyyyyycnd')
$$;

CREATE FUNCTION search_split(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT regexp_replace(search_fold(t), '([\u0e80-\u0eff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff])', ' \1 ', 'g')
$$;

CREATE FUNCTION search_plain(html text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT regexp_replace(regexp_replace(html, '<[^>]*>', ' ', 'g'), '&(nbsp|amp|lt|gt|quot|#39);', ' ', 'g')
$$;

-- the text search configuration of a language tag ("en-GB" → english), simple where none fits
CREATE FUNCTION search_config(lang text) RETURNS regconfig LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (CASE split_part(lower(lang), '-', 1)
    WHEN 'en' THEN 'english' WHEN 'fr' THEN 'french' WHEN 'es' THEN 'spanish' WHEN 'ru' THEN 'russian'
    WHEN 'de' THEN 'german' WHEN 'pt' THEN 'portuguese' WHEN 'it' THEN 'italian' WHEN 'nl' THEN 'dutch'
    ELSE 'simple' END)::regconfig
$$;

ALTER TABLE stories ADD COLUMN search tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple', search_split(title)), 'A')
  || setweight(to_tsvector('simple', search_split(summary)), 'B')
  || setweight(to_tsvector('simple', search_split(search_plain(body_html))), 'C')
) STORED;
CREATE INDEX stories_search ON stories USING gin (search);

ALTER TABLE translations ADD COLUMN search tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector(search_config(language), search_split(title)), 'A')
  || setweight(to_tsvector(search_config(language), search_split(summary)), 'B')
  || setweight(to_tsvector(search_config(language), search_split(search_plain(body_html))), 'C')
) STORED;
CREATE INDEX translations_search ON translations USING gin (search);

-- a day's stories and a source's stories, newest first
CREATE INDEX stories_source_recent ON stories (source_id, id DESC);
