-- Feeds: stable item ids, topics, embargoes, takedown reasons, partner outlets and their tokens.

-- guid: a tag: URI (RFC 4151) minted at first publication and never changed afterwards, so a
-- correction or a new PUBLIC_URL does not make readers see the story twice.
-- topic: the slug of the story's category when it was published (per-topic feeds).
-- embargo_until: partners see the item at once; the public feeds from this moment.
ALTER TABLE publications
  ADD COLUMN guid text,
  ADD COLUMN topic text,
  ADD COLUMN topic_name text,
  ADD COLUMN embargo_until timestamptz,
  ADD COLUMN withdrawn_reason text;

UPDATE publications p SET guid = 'tag:doingoai,' || to_char(p.first_published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') || ':' || p.audience_id || '/' || p.translation_id
  WHERE guid IS NULL;

-- newest first, ties broken by id: each feed is one index range scan of N rows, whatever the table's size
CREATE INDEX publications_feed_order ON publications (audience_id, first_published_at DESC, translation_id DESC) WHERE withdrawn_at IS NULL;
CREATE INDEX publications_topic_order ON publications (audience_id, topic, first_published_at DESC, translation_id DESC) WHERE withdrawn_at IS NULL AND topic IS NOT NULL;
-- recent takedowns, announced as Atom tombstones (RFC 6721)
CREATE INDEX publications_withdrawn ON publications (audience_id, withdrawn_at DESC) WHERE withdrawn_at IS NOT NULL;

-- An editor may set an embargo before approving; the publication takes it over.
ALTER TABLE translations ADD COLUMN embargo_until timestamptz;

-- The topics each audience has published in (for OPML and the discovery pages; no scan of publications).
CREATE TABLE feed_topics (
  audience_id text NOT NULL,
  slug text NOT NULL,
  name text NOT NULL,
  last_published_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (audience_id, slug)
);

-- Outlets that read the private feeds (embargoed items included).
CREATE TABLE partners (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);

-- Only the SHA-256 of a partner token is kept.
CREATE TABLE partner_tokens (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  partner_id integer NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

-- Requests per partner and feed file.
CREATE TABLE partner_access (
  partner_id integer NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
  feed text NOT NULL,
  count bigint NOT NULL DEFAULT 0,
  last_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partner_id, feed)
);
