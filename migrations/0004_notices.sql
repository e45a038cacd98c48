-- Subprocessor-change notices: which published events were fanned out, the webhook endpoints,
-- and per recipient and event the delivery evidence. Times are UTC ISO 8601 with milliseconds
-- (TEXT) except scheduling instants, which are epoch milliseconds (INTEGER) for comparisons.

-- One row per published event (change, AVV version, TOMs version), written before the fan-out
-- starts: the dispatcher never fans an event out twice. A run that died half-way left
-- completed_at NULL, and the next run resumes after the cursors.
CREATE TABLE notice_dispatches (
  -- Permanent event id (src/domain/notice-events.ts), e.g. tag:host,2026-11-20:change/<id>.
  event_id TEXT PRIMARY KEY,
  topic TEXT NOT NULL CHECK (topic IN ('subprocessor-changes', 'avv-versions', 'toms-updates')),
  started_at TEXT NOT NULL,
  completed_at TEXT,
  -- 'skipped' events were already older than NOTICE_MAX_AGE_DAYS when first seen (e.g. the
  -- history present at the first deploy): recorded, never sent.
  outcome TEXT NOT NULL DEFAULT 'sending' CHECK (outcome IN ('sending', 'sent', 'skipped')),
  recipients INTEGER NOT NULL DEFAULT 0,
  -- Last subscriber / endpoint id fanned out (ids ascending).
  subscriber_cursor TEXT NOT NULL DEFAULT '',
  endpoint_cursor TEXT NOT NULL DEFAULT ''
);

CREATE TABLE webhook_endpoints (
  -- 'ep_' + random hex.
  id TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  -- JSON array of topic names.
  topics TEXT NOT NULL,
  owner_email TEXT NOT NULL,
  lang TEXT NOT NULL CHECK (lang IN ('de', 'en')),
  status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'disabled')),
  -- whsec_…; set when the owner confirms, shown to them once.
  secret TEXT,
  -- SHA-256 of the single-use confirmation token mailed to the owner; NULL once used.
  confirm_token_sha256 TEXT UNIQUE,
  confirm_expires_at TEXT,
  -- Consent proof: who asked for deliveries to this URL, and who confirmed it, when, from where.
  registered_at TEXT NOT NULL,
  registered_ip TEXT,
  confirmed_at TEXT,
  confirmed_ip TEXT,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  disabled_at TEXT,
  disabled_reason TEXT
);
CREATE INDEX webhook_endpoints_by_status ON webhook_endpoints (status, id);

-- The evidence: one row per event, channel and recipient, claimed before each attempt.
CREATE TABLE notice_deliveries (
  -- Stable id derived from (event, channel, recipient): the webhook-id on every retry and the
  -- email's Message-ID, so receivers can recognise a repeat.
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES notice_dispatches (event_id),
  channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
  -- subscribers.id or webhook_endpoints.id. No foreign key: evidence outlives unsubscribes.
  recipient_id TEXT NOT NULL,
  -- The email address or URL the notice went to, as it was then.
  recipient_address TEXT NOT NULL,
  lang TEXT NOT NULL CHECK (lang IN ('de', 'en')),
  -- queued → sending → sent | retry (→ sending …) | failed.
  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'retry', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  queued_at TEXT NOT NULL,
  -- Epoch ms: not before this instant may the next attempt claim the row.
  next_attempt_at INTEGER NOT NULL,
  -- Epoch ms: a claim older than this was lost with its consumer and may be taken over.
  lease_until INTEGER,
  last_attempt_at TEXT,
  sent_at TEXT,
  -- Day of receipt (Europe/Berlin) and the objection deadline counted from it.
  received_on TEXT,
  objection_deadline TEXT,
  -- Email: the Message-ID the transport accepted; webhook: the receiver's HTTP status.
  message_id TEXT,
  http_status INTEGER,
  last_error TEXT,
  UNIQUE (event_id, channel, recipient_id)
);
CREATE INDEX notice_deliveries_due ON notice_deliveries (state, next_attempt_at);
