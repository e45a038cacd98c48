-- Declarations on announced subprocessor changes (objection, consent, refusal, withdrawal),
-- made online on the change page. They are records of the SAME tamper-evident log as the
-- acceptances: one position space (leaf_index) over both tables, one chain of signed heads.
-- The record's canonical JSON (record_json, format trust-center/declaration-record@1) is its
-- leaf data; every other evidence column is a member of it, so the audit recomputes the leaf.

CREATE TABLE declarations (
  -- Position in the log, shared with acceptances: no position is ever held by both tables.
  leaf_index INTEGER PRIMARY KEY CHECK (leaf_index >= 0),
  record_id TEXT NOT NULL UNIQUE,
  -- UTC, ISO 8601 with milliseconds: when the Worker received it.
  declared_at TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('objection', 'consent', 'refusal', 'withdrawal')),
  change_id TEXT NOT NULL,
  governing_avv_version TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  clause TEXT,
  required_form TEXT NOT NULL CHECK (required_form IN ('schriftform', 'textform', 'any', 'not-stated')),
  -- The customer's own deadline and what it was counted from; NULL where no fixed period applies.
  deadline TEXT,
  counted_from TEXT CHECK (counted_from IN ('notice-receipt', 'announcement', 'announcement-without-receipt-evidence')),
  counted_from_day TEXT,
  -- 1 = within the period; NULL = no period applies. Late declarations are refused, never stored.
  within_window INTEGER CHECK (within_window = 1),
  -- For a withdrawal: record_id of the declaration it takes back.
  withdraws TEXT,
  lang TEXT NOT NULL CHECK (lang IN ('de', 'en')),
  company_name TEXT NOT NULL,
  account_id TEXT NOT NULL,
  signer_name TEXT NOT NULL,
  signer_role TEXT NOT NULL,
  signer_email TEXT NOT NULL,
  reason TEXT,
  ip_address TEXT,
  user_agent TEXT,
  idempotency_key TEXT NOT NULL UNIQUE,
  -- Fingerprint of the submitted fields: tells a retry from a different body under the same key.
  submission_sha256 TEXT NOT NULL,
  record_json TEXT NOT NULL,
  leaf_hash TEXT NOT NULL,
  -- SHA-256 (hex) of the capability that makes the receipt readable by URL (derived from the
  -- record id under the data key, functions/acceptances/receipt-capability.ts); the capability
  -- itself is never stored. Not evidence, not in the leaf.
  receipt_key_sha256 TEXT NOT NULL CHECK (length(receipt_key_sha256) = 64 AND receipt_key_sha256 NOT GLOB '*[^0-9a-f]*'),
  -- The signed receipt as issued, so a repeated submission gets the very same bytes.
  receipt_json TEXT NOT NULL,
  CHECK ((deadline IS NULL) = (counted_from IS NULL) AND (deadline IS NULL) = (counted_from_day IS NULL)),
  CHECK ((kind = 'withdrawal') = (withdraws IS NOT NULL))
);

-- The console lists declarations per change; the endpoint finds an account's earlier ones.
CREATE INDEX declarations_by_change ON declarations (change_id, leaf_index);
CREATE INDEX declarations_by_account ON declarations (account_id, change_id, leaf_index);

-- The log's shape over both tables (replacing migration 0010's triggers, which knew only
-- acceptances): each record, of either type, takes exactly the next position after the last
-- record of either type and never lies below a signed head; each head covers exactly the
-- records written so far.
DROP TRIGGER acceptances_append_next;
DROP TRIGGER acceptance_log_heads_cover_records;

CREATE TRIGGER acceptances_append_next BEFORE INSERT ON acceptances
WHEN NEW.leaf_index <> COALESCE((SELECT MAX(leaf_index) FROM (SELECT MAX(leaf_index) AS leaf_index FROM acceptances UNION ALL SELECT MAX(leaf_index) FROM declarations)), -1) + 1
  OR NEW.leaf_index < COALESCE((SELECT MAX(tree_size) FROM acceptance_log_heads), 0)
BEGIN
  SELECT RAISE(ABORT, 'acceptance log: stale head, leaf index is not the next position');
END;

CREATE TRIGGER declarations_append_next BEFORE INSERT ON declarations
WHEN NEW.leaf_index <> COALESCE((SELECT MAX(leaf_index) FROM (SELECT MAX(leaf_index) AS leaf_index FROM acceptances UNION ALL SELECT MAX(leaf_index) FROM declarations)), -1) + 1
  OR NEW.leaf_index < COALESCE((SELECT MAX(tree_size) FROM acceptance_log_heads), 0)
BEGIN
  SELECT RAISE(ABORT, 'acceptance log: stale head, leaf index is not the next position');
END;

CREATE TRIGGER acceptance_log_heads_cover_records BEFORE INSERT ON acceptance_log_heads
WHEN NEW.tree_size <> COALESCE((SELECT MAX(leaf_index) FROM (SELECT MAX(leaf_index) AS leaf_index FROM acceptances UNION ALL SELECT MAX(leaf_index) FROM declarations)), -1) + 1
  OR NEW.tree_size - COALESCE((SELECT MAX(tree_size) FROM acceptance_log_heads), 0)
     <> json_array_length(COALESCE(NEW.leaf_hashes, json_array(NEW.leaf_hash)))
BEGIN
  SELECT RAISE(ABORT, 'acceptance log: stale head, it does not cover exactly the new records');
END;

CREATE TRIGGER declarations_no_update BEFORE UPDATE ON declarations
BEGIN
  SELECT RAISE(ABORT, 'declarations are append-only');
END;

CREATE TRIGGER declarations_no_delete BEFORE DELETE ON declarations
BEGIN
  SELECT RAISE(ABORT, 'declarations are append-only');
END;

-- Delivery evidence of the mails a declaration causes: the receipt to the signer and the notice
-- to the vendor's declaration contact, one row each, written before the first attempt.
CREATE TABLE declaration_mails (
  record_id TEXT NOT NULL,
  purpose TEXT NOT NULL CHECK (purpose IN ('receipt', 'vendor-notice')),
  recipient TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'failed')),
  created_at TEXT NOT NULL,
  sent_at TEXT,
  message_id TEXT,
  last_error TEXT,
  PRIMARY KEY (record_id, purpose),
  CHECK ((state = 'sent') = (sent_at IS NOT NULL AND message_id IS NOT NULL))
);

CREATE TRIGGER declaration_mails_no_delete BEFORE DELETE ON declaration_mails
BEGIN
  SELECT RAISE(ABORT, 'declaration mail evidence is append-only');
END;
