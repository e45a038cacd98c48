-- Receipt capability keys are no longer stored (issue #8, "secrets at rest"). A key is
-- HMAC-SHA-256 under the data key (ENCRYPTION_KEYS, purpose "receipt-key") of the record id, so
-- the Worker can give it again to a replay of the same submission, and D1 keeps only its SHA-256
-- (receipt_key_sha256), which a fetch by key is compared with. A copy of the database alone
-- opens no receipt. The witness (R2) always recorded SHA-256 of the key, the very value now
-- stored, so the SWAPPED check of `npm run ledger:verify` compares the column with it directly.
--
-- SQL has no SHA-256, so existing keys cannot be hashed here. The table is rebuilt without the
-- clear column (SQLite cannot drop a column that triggers and indexes name); the old keys wait in
-- receipt_keys_unhashed until the Worker hashes them (the Cron Trigger, hashLegacyReceiptKeys in
-- functions/acceptances/receipt-store.ts, at its first run after the deploy) and deletes them.

CREATE TABLE acceptances_hashed_keys (
  leaf_index INTEGER PRIMARY KEY CHECK (leaf_index >= 0),
  record_id TEXT NOT NULL UNIQUE,
  accepted_at TEXT NOT NULL,
  avv_version TEXT NOT NULL,
  document_sha256 TEXT NOT NULL,
  wording_version TEXT NOT NULL,
  wording_sha256 TEXT NOT NULL,
  lang TEXT NOT NULL,
  company_name TEXT NOT NULL,
  company_address TEXT NOT NULL,
  signer_name TEXT NOT NULL,
  signer_role TEXT NOT NULL,
  signer_email TEXT NOT NULL,
  account_id TEXT,
  ip_address TEXT,
  user_agent TEXT,
  idempotency_key TEXT NOT NULL UNIQUE,
  submission_sha256 TEXT NOT NULL,
  record_json TEXT NOT NULL,
  leaf_hash TEXT NOT NULL,
  -- SHA-256 (hex) of the receipt capability key. NULL only for a record written before this
  -- migration until its key is hashed; new records always carry it (trigger below).
  receipt_key_sha256 TEXT CHECK (receipt_key_sha256 IS NULL OR (length(receipt_key_sha256) = 64 AND receipt_key_sha256 NOT GLOB '*[^0-9a-f]*')),
  receipt_json TEXT NOT NULL
);

INSERT INTO acceptances_hashed_keys (leaf_index, record_id, accepted_at, avv_version, document_sha256, wording_version, wording_sha256, lang, company_name, company_address, signer_name, signer_role, signer_email, account_id, ip_address, user_agent, idempotency_key, submission_sha256, record_json, leaf_hash, receipt_json, receipt_key_sha256)
SELECT leaf_index, record_id, accepted_at, avv_version, document_sha256, wording_version, wording_sha256, lang, company_name, company_address, signer_name, signer_role, signer_email, account_id, ip_address, user_agent, idempotency_key, submission_sha256, record_json, leaf_hash, receipt_json, NULL FROM acceptances;

CREATE TABLE receipt_keys_unhashed (
  record_id TEXT PRIMARY KEY,
  receipt_key TEXT NOT NULL
) WITHOUT ROWID;

INSERT INTO receipt_keys_unhashed (record_id, receipt_key) SELECT record_id, receipt_key FROM acceptances;

-- The heads' trigger reads acceptances; it is dropped with the old table's own triggers and
-- created again as migration 0011 left them (over acceptances and declarations) once the new
-- table carries the name; so is 0011's position trigger on declarations, which reads acceptances.
DROP TRIGGER acceptance_log_heads_cover_records;
DROP TRIGGER declarations_append_next;
DROP TABLE acceptances;
ALTER TABLE acceptances_hashed_keys RENAME TO acceptances;

CREATE INDEX acceptances_by_account ON acceptances (account_id, leaf_index) WHERE account_id IS NOT NULL;
CREATE INDEX acceptances_by_email ON acceptances (signer_email, leaf_index);

-- Both position checks count migration 0011's declarations too: acceptances and declarations
-- are the two record types of one log, with one position space.
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

CREATE TRIGGER acceptances_key_hashed BEFORE INSERT ON acceptances
WHEN NEW.receipt_key_sha256 IS NULL
BEGIN
  SELECT RAISE(ABORT, 'acceptances: a new record needs receipt_key_sha256');
END;

-- Still append-only: the one update allowed is filling in the hash of a pre-0013 key, once.
CREATE TRIGGER acceptances_no_update BEFORE UPDATE OF leaf_index, record_id, accepted_at, avv_version, document_sha256, wording_version, wording_sha256, lang, company_name, company_address, signer_name, signer_role, signer_email, account_id, ip_address, user_agent, idempotency_key, submission_sha256, record_json, leaf_hash, receipt_json ON acceptances
BEGIN
  SELECT RAISE(ABORT, 'acceptances are append-only');
END;

CREATE TRIGGER acceptances_key_hashed_once BEFORE UPDATE OF receipt_key_sha256 ON acceptances
WHEN OLD.receipt_key_sha256 IS NOT NULL OR NEW.receipt_key_sha256 IS NULL
BEGIN
  SELECT RAISE(ABORT, 'acceptances are append-only');
END;

CREATE TRIGGER acceptances_no_delete BEFORE DELETE ON acceptances
BEGIN
  SELECT RAISE(ABORT, 'acceptances are append-only');
END;
