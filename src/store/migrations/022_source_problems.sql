-- A failed poll's reason in the words of the person reading it: a locale key (sources:problem.*)
-- and its values beside the English sentence the API and the log keep in last_error.
ALTER TABLE sources ADD COLUMN last_error_key text, ADD COLUMN last_error_values jsonb;
