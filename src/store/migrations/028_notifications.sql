-- Notifications: what each person wants to be told and where, and one row per (event, person)
-- that a durable job sends once. A row is written in the transaction of its cause where there is
-- one (a priority story's translations, a translation sent back or approved), or by a sweep that
-- reconciles states (a deadline, a broken channel, a failing source); the unique key makes both
-- safe to run twice. Every insert wakes the senders of every instance at commit (NOTIFY).
CREATE TABLE notification_preferences (
  user_id integer PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  channel text NOT NULL DEFAULT 'email' CHECK (channel IN ('email', 'telegram', 'webhook')),
  email text,
  telegram_chat_id text,
  events text[] NOT NULL DEFAULT '{}',
  -- minutes after midnight in the person's time zone (users.time_zone); both null: no quiet hours
  quiet_start smallint CHECK (quiet_start BETWEEN 0 AND 1439),
  quiet_end smallint CHECK (quiet_end BETWEEN 0 AND 1439),
  -- non-urgent events wait for one message at digest_hour (the person's time zone)
  digest boolean NOT NULL DEFAULT false,
  digest_hour smallint NOT NULL DEFAULT 8 CHECK (digest_hour BETWEEN 0 AND 23),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((quiet_start IS NULL) = (quiet_end IS NULL))
);

CREATE TABLE notifications (
  id bigserial PRIMARY KEY,
  event text NOT NULL,
  -- the cause, so that the same cause never makes a second row for the same person
  event_key text NOT NULL,
  user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  urgent boolean NOT NULL,
  params jsonb NOT NULL DEFAULT '{}',
  -- the desk page to act on, a path under publishing.publicUrl
  link text NOT NULL,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
  -- not before: quiet hours and digests move it later
  due_at timestamptz NOT NULL DEFAULT now(),
  -- when a job was last queued for due_at; null: the sweep queues one
  queued_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  claimed_at timestamptz,
  channel text,
  last_error text,
  sent_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (event, event_key, user_id)
);
CREATE INDEX notifications_unqueued ON notifications (due_at) WHERE state IN ('pending', 'sending') AND queued_at IS NULL;
CREATE INDEX notifications_person ON notifications (user_id, created_at DESC);

CREATE FUNCTION notifications_wake() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- delivered at commit only; the payload is the broadcast envelope the senders read
  PERFORM pg_notify(current_schema() || '_notifications', '{"from":"database","message":{}}');
  RETURN NULL;
END $$;
CREATE TRIGGER notifications_wake AFTER INSERT ON notifications FOR EACH STATEMENT EXECUTE FUNCTION notifications_wake();
