-- A quota episode (from a 456 until the quota really returns) alerts the admins once: the time of
-- that alert is kept, and cleared when the episode ends.
ALTER TABLE translation_provider_state ADD COLUMN quota_alerted_at timestamptz;
