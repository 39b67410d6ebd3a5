-- Whether an API token may approve despite accuracy-check errors. The QA gate covers everyone by
-- default; a system that must skip it (a wire feed already checked upstream) gets a token made
-- for that, and the desk's token page and `token list` say so.
ALTER TABLE api_tokens ADD COLUMN qa_bypass boolean NOT NULL DEFAULT false;
