-- The privacy team's console (functions/admin/): who did what there, the result of every
-- ledger verification, and the re-acceptance invitations sent. Times are UTC ISO 8601 with
-- milliseconds.

-- One row per admin request (console page, console action, export, token endpoint), written
-- after the answer is known: who (Access identity, development sign-in or the script token),
-- what (method, path, action), when and with what outcome. Append-only: an audit trail the
-- audited can edit proves nothing.
CREATE TABLE admin_audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  -- The e-mail (or service-token id) Access vouched for, the development sign-in's name, or
  -- 'admin-token'; NULL when the request was refused before anyone was identified.
  actor TEXT,
  -- How the actor was identified.
  auth TEXT NOT NULL CHECK (auth IN ('access', 'dev-sign-in', 'admin-token', 'none')),
  method TEXT NOT NULL,
  -- Path and query as requested (no secrets travel in admin URLs).
  path TEXT NOT NULL,
  -- What the request did, e.g. 'view', 'export', 'send-invitations', 'verify-ledger'.
  action TEXT NOT NULL,
  -- 'allowed' (answered) or 'refused' (authentication or CSRF check failed).
  outcome TEXT NOT NULL CHECK (outcome IN ('allowed', 'refused')),
  status INTEGER NOT NULL,
  ip TEXT
);
CREATE INDEX admin_audit_recent ON admin_audit (id DESC);

CREATE TRIGGER admin_audit_no_update BEFORE UPDATE ON admin_audit
BEGIN
  SELECT RAISE(ABORT, 'admin audit is append-only');
END;
CREATE TRIGGER admin_audit_no_delete BEFORE DELETE ON admin_audit
BEGIN
  SELECT RAISE(ABORT, 'admin audit is append-only');
END;

-- One row per ledger verification (console button, GET /api/ledger/verify): the console shows
-- the last result, and a history of them shows since when the log was known to be intact.
CREATE TABLE ledger_verifications (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  verified_at TEXT NOT NULL,
  actor TEXT,
  ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
  tree_size INTEGER NOT NULL,
  record_count INTEGER NOT NULL,
  -- Largest tree size the witness held a checkpoint of; NULL when no witness was read.
  witnessed_size INTEGER,
  finding_count INTEGER NOT NULL,
  -- The full report (src/domain/ledger-audit.ts AuditReport) as JSON.
  report_json TEXT NOT NULL
);

CREATE TRIGGER ledger_verifications_no_update BEFORE UPDATE ON ledger_verifications
BEGIN
  SELECT RAISE(ABORT, 'ledger verifications are append-only');
END;
CREATE TRIGGER ledger_verifications_no_delete BEFORE DELETE ON ledger_verifications
BEGIN
  SELECT RAISE(ABORT, 'ledger verifications are append-only');
END;

-- Invitations to accept the AVV version in force, sent to the signer of an account's outdated
-- acceptance. The UNIQUE key makes "once per account and version" the database's rule: a second
-- click inserts nothing. The row is the evidence (who sent, when, to whom, delivery status).
CREATE TABLE reacceptance_invitations (
  id TEXT PRIMARY KEY,
  -- The customer account id of the acceptance, or 'company:' + company name where none was given.
  account_key TEXT NOT NULL,
  -- The version the invitation asks to accept (in force when it was sent).
  avv_version TEXT NOT NULL,
  -- The outdated acceptance whose signer is invited, and the version it accepted.
  acceptance_record_id TEXT NOT NULL,
  accepted_version TEXT NOT NULL,
  recipient TEXT NOT NULL,
  lang TEXT NOT NULL CHECK (lang IN ('de', 'en')),
  requested_by TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  -- sending → sent | failed (→ sending again on the next click).
  state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'failed')),
  sent_at TEXT,
  message_id TEXT,
  last_error TEXT,
  UNIQUE (account_key, avv_version),
  CHECK ((state = 'sent') = (sent_at IS NOT NULL AND message_id IS NOT NULL))
);

CREATE TRIGGER reacceptance_invitations_no_delete BEFORE DELETE ON reacceptance_invitations
BEGIN
  SELECT RAISE(ABORT, 'invitation evidence is never deleted');
END;
-- Only the delivery outcome may change, never once sent (a failed one may be attempted again).
CREATE TRIGGER reacceptance_invitations_outcome_only BEFORE UPDATE ON reacceptance_invitations
WHEN OLD.state = 'sent' OR NEW.id <> OLD.id OR NEW.account_key <> OLD.account_key OR NEW.avv_version <> OLD.avv_version
  OR NEW.acceptance_record_id <> OLD.acceptance_record_id OR NEW.recipient <> OLD.recipient OR NEW.requested_by <> OLD.requested_by OR NEW.requested_at <> OLD.requested_at
BEGIN
  SELECT RAISE(ABORT, 'invitation evidence: only the outcome of an unsent invitation may be recorded');
END;
