-- Declaration mails are retried like acceptance receipt mails (0008): a failed attempt is
-- `retry` until the last one, then `failed`, and the Cron Trigger makes the next attempt. SQLite
-- cannot change a CHECK in place, so the table is rebuilt; rows written before kept their one
-- attempt (attempts = 1, at created_at).
CREATE TABLE declaration_mails_0016 (
  record_id TEXT NOT NULL,
  purpose TEXT NOT NULL CHECK (purpose IN ('receipt', 'vendor-notice')),
  recipient TEXT NOT NULL,
  -- sending → sent | retry (→ sending …) | failed.
  state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'retry', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  created_at TEXT NOT NULL,
  last_attempt_at TEXT,
  sent_at TEXT,
  message_id TEXT,
  last_error TEXT,
  PRIMARY KEY (record_id, purpose),
  CHECK ((state = 'sent') = (sent_at IS NOT NULL AND message_id IS NOT NULL))
);

INSERT INTO declaration_mails_0016 (record_id, purpose, recipient, state, attempts, created_at, last_attempt_at, sent_at, message_id, last_error)
  SELECT record_id, purpose, recipient, state, 1, created_at, created_at, sent_at, message_id, last_error FROM declaration_mails;

DROP TRIGGER declaration_mails_no_delete;
DROP TABLE declaration_mails;
ALTER TABLE declaration_mails_0016 RENAME TO declaration_mails;

CREATE INDEX declaration_mails_due ON declaration_mails (state, last_attempt_at);

-- Evidence is never deleted.
CREATE TRIGGER declaration_mails_no_delete BEFORE DELETE ON declaration_mails
BEGIN
  SELECT RAISE(ABORT, 'declaration mail evidence is append-only');
END;
