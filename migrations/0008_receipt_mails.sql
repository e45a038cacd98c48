-- Delivery evidence of the receipt mail every signer is promised on the accept page: one row per
-- acceptance whose mail was attempted, written before the first attempt, so "was the receipt sent, when, with which
-- Message-ID" is answerable for years. Times are UTC ISO 8601 with milliseconds.
CREATE TABLE receipt_mails (
  -- acceptances.record_id; no foreign key, so the ledger audit can still name a record that
  -- someone removed from acceptances (the evidence of its mail stays).
  record_id TEXT PRIMARY KEY,
  -- The signer's address as it was accepted (the record itself keeps it too).
  recipient TEXT NOT NULL,
  -- sending → sent | retry (→ sending …) | failed. A deployment without mail writes no row.
  state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'retry', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  created_at TEXT NOT NULL,
  last_attempt_at TEXT,
  sent_at TEXT,
  -- Message-ID the SMTP server accepted, without angle brackets.
  message_id TEXT,
  last_error TEXT,
  CHECK ((state = 'sent') = (sent_at IS NOT NULL AND message_id IS NOT NULL))
);
CREATE INDEX receipt_mails_due ON receipt_mails (state, last_attempt_at);

-- Evidence is never deleted.
CREATE TRIGGER receipt_mails_no_delete BEFORE DELETE ON receipt_mails
BEGIN
  SELECT RAISE(ABORT, 'receipt mail evidence is append-only');
END;
