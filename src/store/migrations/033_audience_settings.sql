-- What admins set per audience on the desk's routing page (/ui/routing), on top of the
-- configuration. A row replaces the configuration's value for that audience; no row: the
-- configuration's (deleting the row goes back to it).
--
-- routing: the whole routing of the audience (mode, priority, take and never rules; the shape of
-- audiences[].routing in the configuration, checked by src/core/routing.ts before it is stored).
-- version counts saves, so that an edit made on an older copy of the page is refused.
CREATE TABLE audience_routing (
  audience_id text PRIMARY KEY,
  routing jsonb NOT NULL,
  version integer NOT NULL DEFAULT 1,
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL
);

-- monthly_characters: characters billed per calendar month (UTC) for this audience; null: no
-- budget for it (even when the configuration has one).
CREATE TABLE audience_budgets (
  audience_id text PRIMARY KEY,
  monthly_characters bigint CHECK (monthly_characters >= 0),
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL
);
