-- The review desk: people's sign-in sessions, soft locks on drafts, comments, QA overrides, and
-- the indexes behind the queue page.

-- express-session rows (connect-pg-simple's layout: sid, sess, expire).
CREATE TABLE user_sessions (
  sid varchar NOT NULL PRIMARY KEY,
  sess json NOT NULL,
  expire timestamp(6) NOT NULL
);
CREATE INDEX user_sessions_expire ON user_sessions (expire);

-- A session signed in before the password changed is no longer valid.
ALTER TABLE users ADD COLUMN password_changed_at timestamptz;

-- Whoever opened a draft to work on it holds it until expires_at; others see who, and may take it
-- over once it has expired. One claim per translation.
CREATE TABLE translation_claims (
  translation_id integer PRIMARY KEY REFERENCES translations(id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX translation_claims_user ON translation_claims (user_id);

CREATE TABLE translation_comments (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  translation_id integer NOT NULL REFERENCES translations(id) ON DELETE CASCADE,
  author text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX translation_comments_translation ON translation_comments (translation_id, id);

-- An approval despite QA errors: who, why, and the errors as they were (for the history).
CREATE TABLE qa_overrides (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  translation_id integer NOT NULL REFERENCES translations(id) ON DELETE CASCADE,
  version integer NOT NULL,
  actor text NOT NULL,
  reason text NOT NULL,
  issues jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX qa_overrides_translation ON qa_overrides (translation_id, id);

-- The queue: open translations of one audience, oldest first, and per state (also counted from
-- the index alone); recent priority stories are found through their own small index.
CREATE INDEX translations_open_queue ON translations (audience_id, created_at, id) INCLUDE (state, story_id)
  WHERE state IN ('queued', 'machine_translated', 'in_review', 'rejected', 'outdated');
CREATE INDEX translations_open_state ON translations (audience_id, state, created_at, id) INCLUDE (story_id)
  WHERE state IN ('queued', 'machine_translated', 'in_review', 'rejected', 'outdated');
CREATE INDEX stories_priority_recent ON stories (ingested_at) WHERE priority;
