-- Style guides per audience: the editors' page of Markdown shown beside the editor to that
-- audience's translators (src/review/style-guide.ts renders and sanitizes it).
CREATE TABLE style_guides (
  audience_id text PRIMARY KEY,
  body_md text NOT NULL,
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL
);
