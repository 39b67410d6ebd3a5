-- Why a channel is disabled, not configured or broken, as a locale key the desk says in the
-- reader's language; status_reason keeps the detail (missing settings, the network's own words).
ALTER TABLE social_channels ADD COLUMN status_reason_key text
  CHECK (status_reason_key IN ('disabledInConfig', 'missingSettings', 'goneFromConfig', 'credentialsRefused'));
UPDATE social_channels SET status_reason_key = CASE
  WHEN status_reason = 'disabled in the configuration' THEN 'disabledInConfig'
  WHEN status_reason = 'no longer in the configuration' THEN 'goneFromConfig'
  WHEN status = 'not_configured' THEN 'missingSettings'
  WHEN status = 'broken' THEN 'credentialsRefused' END;
