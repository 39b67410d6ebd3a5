-- Why a machine draft did not come, and why a notification was not delivered, as a code (worded in
-- each reader's language, core/failure-reasons.ts) and its values beside the English text the API
-- and the log keep. Rows written before stay without a code and show their text as before; the
-- service's own sentences are given their code from that text.
ALTER TABLE translations ADD COLUMN error_code text, ADD COLUMN error_values jsonb;
ALTER TABLE notifications ADD COLUMN last_error_code text, ADD COLUMN last_error_values jsonb;

UPDATE translations SET error_code = 'budget_spent', error_values = '{}'::jsonb
  WHERE error = 'the monthly character budget is spent';
UPDATE notifications SET last_error_code = 'person_disabled', last_error_values = '{}'::jsonb
  WHERE last_error = 'the person is disabled';
UPDATE notifications SET last_error_code = 'event_unwanted', last_error_values = '{}'::jsonb
  WHERE last_error = 'the person no longer asks for this event';
