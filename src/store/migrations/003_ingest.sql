-- Ingestion: where a source's settings came from, poll leases and backoff, near-duplicate links,
-- item-level errors, and images stored once by content hash.

-- A config source edited through the API keeps the API's values at the next start (api_edited_at
-- is set); a source deleted through the API stays deleted (deleted_at) even if the config names it.
ALTER TABLE sources
  ADD COLUMN origin text NOT NULL DEFAULT 'config' CHECK (origin IN ('config', 'api')),
  ADD COLUMN api_edited_at timestamptz,
  ADD COLUMN deleted_at timestamptz,
  ADD COLUMN last_poll_counts jsonb;

-- simhash: 64-bit fingerprint of the normalised text; simhash_bands: its four 16-bit quarters,
-- tagged with their position, so a GIN index finds every story within Hamming distance 3.
ALTER TABLE stories
  ADD COLUMN duplicate_of integer REFERENCES stories(id) ON DELETE SET NULL,
  ADD COLUMN simhash bigint,
  ADD COLUMN simhash_bands integer[],
  ADD COLUMN origin text NOT NULL DEFAULT 'feed' CHECK (origin IN ('feed', 'push')),
  ADD COLUMN pushed_by text;
CREATE INDEX stories_simhash_bands ON stories USING gin (simhash_bands) WHERE duplicate_of IS NULL;
CREATE INDEX stories_duplicate_of ON stories (duplicate_of) WHERE duplicate_of IS NOT NULL;

-- What went wrong with one item (or one image of a story): readable, kept for the desk.
CREATE TABLE ingest_errors (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source_id text REFERENCES sources(id) ON DELETE CASCADE,
  story_id integer REFERENCES stories(id) ON DELETE CASCADE,
  guid text,
  url text,
  code text NOT NULL,
  message text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ingest_errors_source ON ingest_errors (source_id, id DESC);
CREATE INDEX ingest_errors_story ON ingest_errors (story_id, id DESC) WHERE story_id IS NOT NULL;

-- Images, once per content hash (sha-256 of the original bytes), with their variants as bytea:
-- one durable store that every instance and every backup sees, no shared disk to keep in step.
CREATE TABLE images (
  hash text PRIMARY KEY,
  source_url text NOT NULL,
  mime text NOT NULL,
  width integer NOT NULL,
  height integer NOT NULL,
  bytes integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE image_variants (
  hash text NOT NULL REFERENCES images(hash) ON DELETE CASCADE,
  variant text NOT NULL, -- original | card-jpeg | card-webp
  mime text NOT NULL,
  width integer NOT NULL,
  height integer NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (hash, variant)
);
CREATE TABLE story_images (
  story_id integer NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  position integer NOT NULL, -- 0 is the lead image
  hash text NOT NULL REFERENCES images(hash),
  source_url text NOT NULL,
  PRIMARY KEY (story_id, position)
);
