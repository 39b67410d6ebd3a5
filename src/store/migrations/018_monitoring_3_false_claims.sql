-- The false claim register: false or distorted information said abroad that the desk answers.
-- (Not a translator's claim on a draft.) Each has the text of what is said, where it appeared, a
-- rating from the configured scale, a status (core/false-claim.ts), the person responsible, its own
-- deadline, and, once written, the story that answers it.
CREATE TABLE false_claims (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  text text NOT NULL,                         -- what is said, in Vietnamese for the desk
  rating text NOT NULL,                       -- a rating id of falseClaims.ratings
  status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'answering', 'answered', 'closed')),
  priority boolean NOT NULL DEFAULT false,
  owner_id integer REFERENCES users(id) ON DELETE SET NULL,
  deadline_at timestamptz NOT NULL,
  answer_story_id integer REFERENCES stories(id) ON DELETE SET NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  status_changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX false_claims_open ON false_claims (deadline_at) WHERE status IN ('new', 'answering');
CREATE UNIQUE INDEX false_claims_answer ON false_claims (answer_story_id) WHERE answer_story_id IS NOT NULL;

-- Where it was said: a page or a post, its outlet, its language and when the desk first saw it. A
-- post on a network the desk posts to (network + post_ref: a Mastodon status URL, a Bluesky at-uri)
-- is answered there as a reply.
CREATE TABLE false_claim_appearances (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  false_claim_id integer NOT NULL REFERENCES false_claims(id) ON DELETE CASCADE,
  url text NOT NULL,
  outlet text NOT NULL,
  language text NOT NULL,
  first_seen_at timestamptz NOT NULL,
  foreign_item_id integer REFERENCES foreign_items(id) ON DELETE SET NULL,
  network text,
  post_ref text,
  added_by text NOT NULL,
  added_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (false_claim_id, url)
);
CREATE INDEX false_claim_appearances_item ON false_claim_appearances (foreign_item_id) WHERE foreign_item_id IS NOT NULL;

-- Every change of status, owner, rating or deadline, with who and why: the claim's history.
CREATE TABLE false_claim_events (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  false_claim_id integer NOT NULL REFERENCES false_claims(id) ON DELETE CASCADE,
  kind text NOT NULL,                          -- created | status | owner | rating | deadline | appearance | answer
  from_value text,
  to_value text,
  note text,
  actor text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX false_claim_events_claim ON false_claim_events (false_claim_id, id);
