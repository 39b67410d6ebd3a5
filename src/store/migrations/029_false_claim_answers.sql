-- The official answer to a false claim is a story (false_claims.answer_story_id); the
-- authoritative sources it cites are kept beside it, as [{ "title": ..., "url": ... }], so the
-- desk can show and change them (the story's body lists them too, and is translated with them).
ALTER TABLE false_claims ADD COLUMN answer_sources jsonb NOT NULL DEFAULT '[]';
