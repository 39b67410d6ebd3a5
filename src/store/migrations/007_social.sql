-- Social posting: channels (loaded from the configuration at every start) and one post per
-- channel and translation. The post row is the schedule: it lives here, not in memory, so a
-- restart resumes it and several instances share it (claimed with FOR UPDATE SKIP LOCKED).

CREATE TABLE social_channels (
  id text PRIMARY KEY,
  network text NOT NULL,
  audience_id text NOT NULL,
  -- active | broken (401/403: waits for a person) | not_configured (credentials missing) | disabled
  status text NOT NULL DEFAULT 'active',
  status_reason text,
  status_changed_at timestamptz NOT NULL DEFAULT now(),
  -- after a 429: nothing is sent on this channel before this instant
  paused_until timestamptz,
  -- the channel's schedule and posting settings as configured (shown by the API)
  settings jsonb NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX social_channels_audience ON social_channels (audience_id);

CREATE TABLE social_posts (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel_id text NOT NULL REFERENCES social_channels(id) ON DELETE CASCADE,
  translation_id integer NOT NULL REFERENCES translations(id) ON DELETE CASCADE,
  -- stable for the life of the post: sent as Mastodon's Idempotency-Key, seeds Bluesky's record key
  idempotency_key text NOT NULL UNIQUE,
  -- scheduled | sending | unknown (sent or not: checked before any retry) | sent | failed | cancelled | skipped
  status text NOT NULL DEFAULT 'scheduled',
  priority boolean NOT NULL DEFAULT false,
  -- the posting window this post holds a place in (null: priority, rescheduled by hand, post now)
  window_at timestamptz,
  scheduled_at timestamptz NOT NULL,
  -- the next try after a failure (null: scheduled_at)
  next_attempt_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  -- set when an earlier attempt may have reached the network: the channel is asked first
  outcome_unknown boolean NOT NULL DEFAULT false,
  claimed_at timestamptz,
  claimed_by text,
  sent_at timestamptz,
  network_post_id text,
  network_url text,
  sent_text text,
  error_code text,
  error text,
  -- after a takedown: requested | removing | removed | unsupported (the network cannot delete) | failed
  removal text,
  removed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- one post per translation and channel: a corrected translation republished is not posted again
  UNIQUE (channel_id, translation_id)
);
CREATE INDEX social_posts_due ON social_posts (coalesce(next_attempt_at, scheduled_at)) WHERE status IN ('scheduled', 'sending', 'unknown');
CREATE INDEX social_posts_window ON social_posts (channel_id, window_at) WHERE window_at IS NOT NULL;
CREATE INDEX social_posts_channel ON social_posts (channel_id, scheduled_at DESC, id DESC);
CREATE INDEX social_posts_removal ON social_posts (removal) WHERE removal IN ('requested', 'removing');
