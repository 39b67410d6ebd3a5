-- "My work" counts a translator's whole history by state and picks the latest open drafts: each
-- of their translations' state and time read from this index alone, not from the table's rows.
CREATE INDEX translations_state_by_id ON translations (id) INCLUDE (state, updated_at);
-- The story list of a day: the day's stories and their ids from the index alone (then sorted),
-- instead of walking back from the newest story to the day.
CREATE INDEX stories_archive_days ON stories (ingested_at) INCLUDE (id) WHERE duplicate_of IS NULL;
