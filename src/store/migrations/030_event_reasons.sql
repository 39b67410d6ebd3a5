-- A state change the system made says why as a code (worded in each reader's language) beside
-- its English text; the events written before are given their code from that text.
ALTER TABLE translation_events ADD COLUMN reason_code text, ADD COLUMN reason_values jsonb;

UPDATE translation_events SET reason_code = 'translate_again', reason_values = '{}'::jsonb
  WHERE reason = 'translate again';
UPDATE translation_events SET reason_code = 'source_changed',
    reason_values = jsonb_build_object('version', (substring(reason FROM '^the source story changed \(version (\d+)\)$'))::int)
  WHERE reason ~ '^the source story changed \(version \d+\)$';
UPDATE translation_events SET reason_code = 'qa_override', reason_values = jsonb_build_object('reason', substring(reason FROM 12))
  WHERE reason LIKE 'QA override: %';
