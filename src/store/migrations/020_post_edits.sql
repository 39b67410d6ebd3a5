-- Quality per person, for training: one row per approval, written in the approval's own
-- transaction (src/review/quality.ts) and rebuilt from revisions and events by `cli quality rebuild`.
-- The translator of record is whoever submitted the approved text for review.
CREATE TABLE post_edits (
  event_id integer PRIMARY KEY REFERENCES translation_events(id) ON DELETE CASCADE,
  translation_id integer NOT NULL REFERENCES translations(id) ON DELETE CASCADE,
  audience_id text NOT NULL,
  language text NOT NULL,
  translator text NOT NULL,
  approver text NOT NULL,
  machine_version integer,
  submitted_version integer NOT NULL,
  approved_version integer NOT NULL,
  -- characters (UTF-16 code units of the NFC plain text: title, lead, one line per block) and the
  -- character-level edit distance; machine_* are null for a draft written by hand
  machine_chars integer,
  final_chars integer NOT NULL,
  edit_distance integer,
  -- what reviewers changed between the submission and the approval
  review_distance integer NOT NULL,
  ready_at timestamptz NOT NULL,
  submitted_at timestamptz NOT NULL,
  approved_at timestamptz NOT NULL
);
CREATE INDEX post_edits_translator ON post_edits (translator, approved_at DESC);
CREATE INDEX post_edits_approved ON post_edits (approved_at);

-- "My work": what a person submitted and wrote, found without reading every event or revision
CREATE INDEX translation_events_submitted ON translation_events (actor, created_at DESC) INCLUDE (translation_id) WHERE to_state = 'in_review';
CREATE INDEX translation_events_rejected ON translation_events (created_at) INCLUDE (translation_id) WHERE to_state = 'rejected';
CREATE INDEX revisions_author ON revisions (author, translation_id) WHERE kind <> 'machine';
