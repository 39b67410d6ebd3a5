-- People and access, managed in the desk: a person can be disabled (their sessions end at once and
-- they cannot sign in), the last sign-in is kept, and a password can be reset through a one-time
-- link (only its SHA-256 is kept). An installation without anyone gets a one-time set-up link for
-- its first admin, stored the same way. API tokens record who made them. Each person has a time zone.
ALTER TABLE users
  ADD COLUMN disabled_at timestamptz,
  ADD COLUMN last_login_at timestamptz,
  -- the person's own time zone: the desk shows every time in it
  ADD COLUMN time_zone text NOT NULL DEFAULT 'Asia/Ho_Chi_Minh';

CREATE TABLE password_links (
  token_hash text PRIMARY KEY,
  -- null: the set-up link that creates the first admin
  user_id integer REFERENCES users(id) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (purpose IN ('reset', 'setup')),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX password_links_user ON password_links (user_id) WHERE used_at IS NULL;

ALTER TABLE api_tokens ADD COLUMN created_by text;
