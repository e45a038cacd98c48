-- Retention of the declaration records (content/legal/privacy.yaml, rule "objection-records"):
-- like acceptances (migration 0014), six years after the end of the calendar year in which the
-- account's AVV ends, the personal fields of its declarations are removed while leaf hash,
-- position and the non-personal fields stay, under a redaction entry signed by the log key.

-- A redaction entry belongs to a record of either type at its position with its leaf hash (0014's
-- trigger knew only acceptances).
DROP TRIGGER ledger_redactions_of_logged_record;
CREATE TRIGGER ledger_redactions_of_logged_record BEFORE INSERT ON ledger_redactions
WHEN NOT EXISTS (SELECT 1 FROM acceptances WHERE leaf_index = NEW.leaf_index AND record_id = NEW.record_id AND leaf_hash = NEW.leaf_hash)
  AND NOT EXISTS (SELECT 1 FROM declarations WHERE leaf_index = NEW.leaf_index AND record_id = NEW.record_id AND leaf_hash = NEW.leaf_hash)
BEGIN
  SELECT RAISE(ABORT, 'ledger redaction: no such record at this position with this leaf hash');
END;

-- The only UPDATE of a declaration the database allows: a record with a redaction entry loses
-- exactly its personal fields (LEDGER_RECORD_KINDS in src/domain/ledger-redaction.ts: the stated
-- reason may name people too) and the JSON copies holding them; everything else stays.
DROP TRIGGER declarations_no_update;
CREATE TRIGGER declarations_update_only_redaction BEFORE UPDATE ON declarations
WHEN NOT (
  EXISTS (SELECT 1 FROM ledger_redactions r WHERE r.leaf_index = OLD.leaf_index AND r.record_id = OLD.record_id AND r.leaf_hash = OLD.leaf_hash)
  AND NEW.leaf_index IS OLD.leaf_index AND NEW.record_id IS OLD.record_id AND NEW.declared_at IS OLD.declared_at
  AND NEW.kind IS OLD.kind AND NEW.change_id IS OLD.change_id AND NEW.governing_avv_version IS OLD.governing_avv_version
  AND NEW.rule_id IS OLD.rule_id AND NEW.clause IS OLD.clause AND NEW.required_form IS OLD.required_form
  AND NEW.deadline IS OLD.deadline AND NEW.counted_from IS OLD.counted_from AND NEW.counted_from_day IS OLD.counted_from_day
  AND NEW.within_window IS OLD.within_window AND NEW.withdraws IS OLD.withdraws AND NEW.lang IS OLD.lang
  AND NEW.account_id IS OLD.account_id AND NEW.idempotency_key IS OLD.idempotency_key
  AND NEW.leaf_hash IS OLD.leaf_hash AND NEW.receipt_key_sha256 IS OLD.receipt_key_sha256
  AND NEW.company_name = '' AND NEW.signer_name = '' AND NEW.signer_role = '' AND NEW.signer_email = ''
  AND NEW.reason IS NULL AND NEW.ip_address IS NULL AND NEW.user_agent IS NULL
  AND NEW.submission_sha256 = '' AND NEW.record_json = '' AND NEW.receipt_json = ''
)
BEGIN
  SELECT RAISE(ABORT, 'declarations are append-only: the only update allowed is a logged redaction of the personal fields');
END;
