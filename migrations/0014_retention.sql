-- Retention of the acceptance log (content/legal/privacy.yaml, rule "acceptance-records"): six
-- years after the end of the calendar year in which an account's AVV ends, the personal fields
-- of its records are removed while the leaf hash, the position and the non-personal fields stay,
-- so the Merkle tree, its checkpoints, every proof, the witness and every receipt a customer kept
-- remain valid. The database itself allows no other edit of a record. Times are UTC ISO 8601
-- with milliseconds.

-- When an account's AVV ended, as an admin recorded it (the system cannot know it otherwise).
-- Append-only: a correction is a new row, and the latest row of a subject counts. Either an
-- account id or, for acceptances given without one, a single record id is the subject.
CREATE TABLE avv_ends (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id TEXT,
  record_id TEXT,
  -- The last day of the AVV (Europe/Berlin calendar date); records accepted after it belong to a
  -- later agreement and are not covered.
  ended_on TEXT NOT NULL CHECK (ended_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  recorded_at TEXT NOT NULL,
  -- Who recorded it (the admin's name or system), for the audit trail.
  recorded_by TEXT NOT NULL CHECK (length(recorded_by) > 0),
  note TEXT,
  CHECK ((account_id IS NULL) <> (record_id IS NULL))
);
CREATE INDEX avv_ends_by_account ON avv_ends (account_id, id) WHERE account_id IS NOT NULL;
CREATE INDEX avv_ends_by_record ON avv_ends (record_id, id) WHERE record_id IS NOT NULL;

CREATE TRIGGER avv_ends_no_update BEFORE UPDATE ON avv_ends
BEGIN
  SELECT RAISE(ABORT, 'avv ends are append-only');
END;

CREATE TRIGGER avv_ends_no_delete BEFORE DELETE ON avv_ends
BEGIN
  SELECT RAISE(ABORT, 'avv ends are append-only');
END;

-- One entry per redacted record: when, why, under which retention rule and period, and what was
-- removed (SHA-256 of the record JSON and the receipt as they were, so the audit can hold them
-- against the witness). `statement` is that entry signed by the log key (a C2SP signed note over
-- its canonical JSON, src/domain/ledger-redaction.ts): without the signing key nobody can pass
-- off an edit as a redaction. Append-only.
CREATE TABLE ledger_redactions (
  leaf_index INTEGER PRIMARY KEY,
  record_id TEXT NOT NULL UNIQUE,
  leaf_hash TEXT NOT NULL CHECK (length(leaf_hash) = 64),
  redacted_at TEXT NOT NULL,
  rule TEXT NOT NULL,
  avv_end_id INTEGER REFERENCES avv_ends (id),
  statement TEXT NOT NULL
);

CREATE TRIGGER ledger_redactions_no_update BEFORE UPDATE ON ledger_redactions
BEGIN
  SELECT RAISE(ABORT, 'ledger redactions are append-only');
END;

CREATE TRIGGER ledger_redactions_no_delete BEFORE DELETE ON ledger_redactions
BEGIN
  SELECT RAISE(ABORT, 'ledger redactions are append-only');
END;

-- A redaction entry belongs to the record at its position with its leaf hash.
CREATE TRIGGER ledger_redactions_of_logged_record BEFORE INSERT ON ledger_redactions
WHEN NOT EXISTS (SELECT 1 FROM acceptances WHERE leaf_index = NEW.leaf_index AND record_id = NEW.record_id AND leaf_hash = NEW.leaf_hash)
BEGIN
  SELECT RAISE(ABORT, 'ledger redaction: no such record at this position with this leaf hash');
END;

-- The only UPDATE of an acceptance's evidence columns the database allows: a record with a
-- redaction entry loses exactly its personal fields (and the JSON copies holding them);
-- everything else stays as it was. Anything else is refused as before (append-only; the one-time
-- hashing of a pre-0013 receipt key stays governed by acceptances_key_hashed_once).
DROP TRIGGER acceptances_no_update;
CREATE TRIGGER acceptances_update_only_redaction BEFORE UPDATE OF leaf_index, record_id, accepted_at, avv_version, document_sha256, wording_version, wording_sha256, lang, company_name, company_address, signer_name, signer_role, signer_email, account_id, ip_address, user_agent, idempotency_key, submission_sha256, record_json, leaf_hash, receipt_json ON acceptances
WHEN NOT (
  EXISTS (SELECT 1 FROM ledger_redactions r WHERE r.leaf_index = OLD.leaf_index AND r.record_id = OLD.record_id AND r.leaf_hash = OLD.leaf_hash)
  AND NEW.leaf_index IS OLD.leaf_index AND NEW.record_id IS OLD.record_id AND NEW.accepted_at IS OLD.accepted_at
  AND NEW.avv_version IS OLD.avv_version AND NEW.document_sha256 IS OLD.document_sha256
  AND NEW.wording_version IS OLD.wording_version AND NEW.wording_sha256 IS OLD.wording_sha256 AND NEW.lang IS OLD.lang
  AND NEW.account_id IS OLD.account_id AND NEW.idempotency_key IS OLD.idempotency_key
  AND NEW.leaf_hash IS OLD.leaf_hash AND NEW.receipt_key_sha256 IS OLD.receipt_key_sha256
  AND NEW.company_name = '' AND NEW.company_address = '' AND NEW.signer_name = '' AND NEW.signer_role = ''
  AND NEW.signer_email = '' AND NEW.ip_address IS NULL AND NEW.user_agent IS NULL
  AND NEW.submission_sha256 = '' AND NEW.record_json = '' AND NEW.receipt_json = ''
)
BEGIN
  SELECT RAISE(ABORT, 'acceptances are append-only: the only update allowed is a logged redaction of the personal fields');
END;
