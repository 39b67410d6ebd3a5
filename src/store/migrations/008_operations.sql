-- Audit: every state-changing request and admin action — who, when, what, from where.
CREATE TABLE audit_log (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  action text NOT NULL,        -- e.g. "POST /api/v1/translations/:id/approve"
  target text NOT NULL,        -- the path as requested, e.g. "/api/v1/translations/42/approve"
  status integer NOT NULL,     -- the answer's HTTP status: refused attempts are recorded too
  ip text,
  request_id text,
  details jsonb
);
CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_actor ON audit_log (actor, at DESC);

-- Time-to-publish figures read these stages; the indexes keep the last-week window cheap.
CREATE INDEX stories_ingested_at ON stories (ingested_at);
CREATE INDEX publications_first_published ON publications (first_published_at);
