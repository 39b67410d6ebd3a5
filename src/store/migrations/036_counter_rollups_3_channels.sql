-- Each social channel's last post sent (the dashboard's channels and /metrics), from the index
-- instead of every post the channel ever had.
CREATE INDEX social_posts_channel_sent ON social_posts (channel_id, sent_at DESC) WHERE sent_at IS NOT NULL;
