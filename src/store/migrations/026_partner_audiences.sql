-- A partner token reads only the audiences its partner was granted (it read every audience before).
CREATE TABLE partner_audiences (
  partner_id integer NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
  audience_id text NOT NULL,
  granted_at timestamptz NOT NULL DEFAULT now(),
  granted_by text NOT NULL,
  PRIMARY KEY (partner_id, audience_id)
);

-- Partners made before grants existed keep what they could read: every audience. The audiences this
-- database has seen are granted here; the partners are also noted below so that, at the next start,
-- the configured audiences not seen yet are granted too (grantEarlierPartners) and the note removed.
-- Each grant is a row an admin can take away.
INSERT INTO partner_audiences (partner_id, audience_id, granted_by)
SELECT p.id, a.audience_id, 'migration'
FROM partners p
CROSS JOIN (
  SELECT audience_id FROM translations
  UNION SELECT split_part(feed, '/', 1) FROM partner_access
) a
ON CONFLICT DO NOTHING;

CREATE TABLE partner_audience_backfill (
  partner_id integer PRIMARY KEY REFERENCES partners(id) ON DELETE CASCADE
);
INSERT INTO partner_audience_backfill (partner_id) SELECT id FROM partners;
