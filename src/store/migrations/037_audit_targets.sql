-- The audit trail of one story (its page and its translations', by API and by desk): each target
-- path found by the index, equal or below it, instead of reading every entry of the trail.
CREATE INDEX audit_log_target ON audit_log (target text_pattern_ops);
