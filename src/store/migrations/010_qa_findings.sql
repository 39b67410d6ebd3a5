-- Every time the QA gate found errors at an approval — refused, or approved with an override —
-- so supervisors see errors found, not only errors overridden.
CREATE TABLE qa_findings (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  translation_id integer NOT NULL REFERENCES translations(id) ON DELETE CASCADE,
  version integer NOT NULL,
  actor text NOT NULL,
  errors jsonb NOT NULL,
  overridden boolean NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX qa_findings_created ON qa_findings (created_at) INCLUDE (translation_id, version);
