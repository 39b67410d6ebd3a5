-- The dashboard's and /metrics' windows (src/ops/figures.ts): each figure starts from an index on
-- the time it counts, so a scrape reads the last week, never the whole history.
CREATE INDEX translations_machine_translated ON translations (machine_translated_at) WHERE machine_translated_at IS NOT NULL;
CREATE INDEX translation_events_approved ON translation_events (created_at) INCLUDE (translation_id, actor) WHERE to_state = 'approved';
CREATE INDEX revisions_by_people ON revisions (created_at) INCLUDE (author) WHERE kind <> 'machine';
CREATE INDEX social_posts_sent ON social_posts (sent_at) INCLUDE (translation_id) WHERE sent_at IS NOT NULL;
CREATE INDEX social_posts_translation_sent ON social_posts (translation_id, sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX qa_overrides_created ON qa_overrides (created_at);
-- drafts parked for the quota or the budget, counted by the usage report
CREATE INDEX translations_mt_waiting ON translations (mt_waiting) WHERE mt_waiting IS NOT NULL;
-- a stage's rows reach their audience and the story's ingestion time from these alone (index-only
-- scans), never from the wide rows that carry the texts
CREATE INDEX translations_story_audience ON translations (id) INCLUDE (story_id, audience_id);
CREATE INDEX stories_ingestion ON stories (id) INCLUDE (ingested_at);
