-- Foundation: sources, stories and their translations, every change of text, people and tokens.

CREATE TABLE sources (
  id text PRIMARY KEY,
  name text NOT NULL,
  url text NOT NULL,
  kind text NOT NULL DEFAULT 'auto',
  schedule text NOT NULL DEFAULT '*/5 * * * *',
  full_text boolean NOT NULL DEFAULT false,
  enabled boolean NOT NULL DEFAULT true,
  -- validators from the last 200 answer, sent back as If-None-Match / If-Modified-Since
  etag text,
  last_modified text,
  last_polled_at timestamptz,
  last_success_at timestamptz,
  last_error text,
  consecutive_failures integer NOT NULL DEFAULT 0,
  next_poll_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- A story is the Vietnamese original, as ingested or written by an editor.
CREATE TABLE stories (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source_id text REFERENCES sources(id) ON DELETE SET NULL,
  guid text NOT NULL,
  url text,
  title text NOT NULL,
  summary text NOT NULL DEFAULT '',
  body_html text NOT NULL DEFAULT '',
  author text,
  attribution text,
  category text,
  priority boolean NOT NULL DEFAULT false,
  image_url text,
  -- sha-256 of the normalised title and body: an unchanged re-poll is recognised without a diff
  content_hash text NOT NULL,
  version integer NOT NULL DEFAULT 1,
  published_at timestamptz,
  ingested_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- guid is unique per source; stories written by hand have no source and a generated guid
CREATE UNIQUE INDEX stories_source_guid ON stories (coalesce(source_id, ''), guid);
CREATE INDEX stories_url ON stories (url) WHERE url IS NOT NULL;
CREATE INDEX stories_ingested ON stories (ingested_at DESC, id DESC);

CREATE TABLE story_revisions (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  story_id integer NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  version integer NOT NULL,
  title text NOT NULL,
  summary text NOT NULL,
  body_html text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (story_id, version)
);

-- One translation per story and audience; its state follows src/review/workflow.ts.
CREATE TABLE translations (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  story_id integer NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  audience_id text NOT NULL,
  language text NOT NULL,
  state text NOT NULL DEFAULT 'queued',
  provider text NOT NULL,
  title text NOT NULL DEFAULT '',
  summary text NOT NULL DEFAULT '',
  body_html text NOT NULL DEFAULT '',
  -- the story version this text was made from: a newer story version makes it outdated
  story_version integer NOT NULL DEFAULT 1,
  -- optimistic concurrency: every text change increments it; a save based on an older one gets 409
  version integer NOT NULL DEFAULT 1,
  last_editor text,
  error text,
  reject_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  machine_translated_at timestamptz,
  approved_at timestamptz,
  approved_by text,
  UNIQUE (story_id, audience_id)
);
CREATE INDEX translations_queue ON translations (audience_id, state, updated_at DESC);

-- Every change of a translation's text: who, when, what.
CREATE TABLE revisions (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  translation_id integer NOT NULL REFERENCES translations(id) ON DELETE CASCADE,
  version integer NOT NULL,
  title text NOT NULL,
  summary text NOT NULL,
  body_html text NOT NULL,
  author text NOT NULL,
  kind text NOT NULL, -- machine | edit | restore
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (translation_id, version)
);

-- Every state change of a translation, with who made it and why.
CREATE TABLE translation_events (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  translation_id integer NOT NULL REFERENCES translations(id) ON DELETE CASCADE,
  from_state text NOT NULL,
  to_state text NOT NULL,
  actor text NOT NULL,
  reason text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX translation_events_translation ON translation_events (translation_id, id);

-- What the public sees: the text of a translation as last published. A translation under
-- correction keeps its publication (and its feed item) until the corrected text is approved.
CREATE TABLE publications (
  translation_id integer PRIMARY KEY REFERENCES translations(id) ON DELETE CASCADE,
  audience_id text NOT NULL,
  title text NOT NULL,
  summary text NOT NULL,
  body_html text NOT NULL,
  first_published_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  correction_count integer NOT NULL DEFAULT 0,
  withdrawn_at timestamptz
);
CREATE INDEX publications_feed ON publications (audience_id, first_published_at DESC) WHERE withdrawn_at IS NULL;

CREATE TABLE users (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username text NOT NULL UNIQUE,
  display_name text NOT NULL,
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'editor', 'translator')),
  languages text[] NOT NULL DEFAULT '{}',
  locale text NOT NULL DEFAULT 'vi',
  created_at timestamptz NOT NULL DEFAULT now()
);

-- API bearer tokens: only the SHA-256 of the token is kept.
CREATE TABLE api_tokens (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'editor', 'translator')),
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
