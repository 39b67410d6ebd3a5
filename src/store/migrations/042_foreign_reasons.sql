-- Why a foreign item has no Vietnamese translation, as codes the monitoring page words in the
-- reader's language (core/failure-reasons.ts MonitoringReason) beside the providers' English text
-- in vi_error. Rows written before get their codes from the service's own sentences where every
-- part is one of them; the others keep only their text, shown as before.
ALTER TABLE foreign_items ADD COLUMN vi_error_reasons jsonb;

UPDATE foreign_items SET vi_error_reasons = '[{"code":"no_provider"}]'::jsonb
  WHERE vi_error = 'no monitoring provider makes machine translations';
UPDATE foreign_items f SET vi_error_reasons = parts.reasons
  FROM (
    SELECT id, jsonb_agg(jsonb_build_object('code', 'unsupported_pair', 'provider', m[1], 'language', m[2]) ORDER BY n) AS reasons,
      bool_and(m IS NOT NULL) AS every
    FROM foreign_items, regexp_split_to_table(vi_error, '; ') WITH ORDINALITY AS p(part, n),
      regexp_match(part, '^(\S+) does not translate (\S+) into \S+$') AS m
    WHERE vi_error IS NOT NULL AND vi_error_reasons IS NULL
    GROUP BY id
  ) parts
  WHERE f.id = parts.id AND parts.every;
