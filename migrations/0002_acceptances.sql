-- AVV acceptances: the evidence records and the signed heads of their Merkle log.
-- Both tables are append-only (the triggers below abort any UPDATE or DELETE); a record and
-- the head that logs it are inserted in one batch, i.e. one transaction.

CREATE TABLE acceptances (
  -- Position in the log (leaf index, 0-based). Two concurrent appends computed from the same
  -- head collide here, and the loser retries from the new head.
  leaf_index INTEGER PRIMARY KEY CHECK (leaf_index >= 0),
  record_id TEXT NOT NULL UNIQUE,
  -- UTC, ISO 8601 with milliseconds.
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
  -- Fingerprint of the submitted fields: tells a retry from a different body under the same key.
  submission_sha256 TEXT NOT NULL,
  -- Canonical JSON of the record (the leaf data) and its RFC 6962 leaf hash, as written.
  record_json TEXT NOT NULL,
  leaf_hash TEXT NOT NULL,
  -- Capability that makes the receipt readable by URL; not evidence, not in the leaf.
  receipt_key TEXT NOT NULL,
  -- The signed receipt as issued, so a repeated submission gets the very same bytes.
  receipt_json TEXT NOT NULL
);

-- Status lookups by customer account (latest first) and rate limiting by email.
CREATE INDEX acceptances_by_account ON acceptances (account_id, leaf_index) WHERE account_id IS NOT NULL;
CREATE INDEX acceptances_by_email ON acceptances (signer_email, leaf_index);

CREATE TABLE acceptance_log_heads (
  -- Tree size after appending leaf tree_size - 1.
  tree_size INTEGER PRIMARY KEY CHECK (tree_size >= 1),
  root_hash TEXT NOT NULL,
  -- The leaf that extended the previous head to this one.
  leaf_hash TEXT NOT NULL,
  -- JSON list of the perfect-subtree roots (hex): all the next append needs.
  frontier TEXT NOT NULL,
  -- C2SP signed-note checkpoint of (tree_size, root_hash).
  checkpoint TEXT NOT NULL,
  created_at TEXT NOT NULL
);

-- The log's shape is kept by the database too: a record goes exactly at the position after the
-- latest head, and heads grow one by one. An append computed from an outdated head fails here
-- (and is recomputed) instead of leaving a gap.
CREATE TRIGGER acceptances_append_at_head BEFORE INSERT ON acceptances
WHEN NEW.leaf_index <> COALESCE((SELECT MAX(tree_size) FROM acceptance_log_heads), 0)
BEGIN
  SELECT RAISE(ABORT, 'acceptance log: stale head, leaf index is not the next position');
END;

CREATE TRIGGER acceptance_log_heads_consecutive BEFORE INSERT ON acceptance_log_heads
WHEN NEW.tree_size <> COALESCE((SELECT MAX(tree_size) FROM acceptance_log_heads), 0) + 1
BEGIN
  SELECT RAISE(ABORT, 'acceptance log: stale head, tree size is not the next one');
END;

CREATE TRIGGER acceptances_no_update BEFORE UPDATE ON acceptances
BEGIN
  SELECT RAISE(ABORT, 'acceptances are append-only');
END;

CREATE TRIGGER acceptances_no_delete BEFORE DELETE ON acceptances
BEGIN
  SELECT RAISE(ABORT, 'acceptances are append-only');
END;

CREATE TRIGGER acceptance_log_heads_no_update BEFORE UPDATE ON acceptance_log_heads
BEGIN
  SELECT RAISE(ABORT, 'acceptance log heads are append-only');
END;

CREATE TRIGGER acceptance_log_heads_no_delete BEFORE DELETE ON acceptance_log_heads
BEGIN
  SELECT RAISE(ABORT, 'acceptance log heads are append-only');
END;

-- Fixed-window counters for POST /api/acceptances rate limits (per IP, per email). Not
-- evidence: old windows are deleted as new ones start.
CREATE TABLE acceptance_rate_limits (
  bucket TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  hits INTEGER NOT NULL,
  PRIMARY KEY (bucket, window_start)
) WITHOUT ROWID;

UPDATE deployment_info SET value = '2' WHERE key = 'schema';
