-- Changes whose notices went out so late that, counted from the real receipt, the notice
-- period ends after the announced effective date. One row per event, kept as evidence that the
-- privacy team was told (and when) before the change took effect. Times are UTC ISO 8601.
CREATE TABLE notice_timing_alerts (
  -- notice_dispatches.event_id of the change.
  event_id TEXT PRIMARY KEY REFERENCES notice_dispatches (event_id),
  change_id TEXT NOT NULL,
  effective_date TEXT NOT NULL,
  -- Latest Europe/Berlin day a recipient received the notice (pending deliveries: the check day).
  latest_received_on TEXT NOT NULL,
  -- First day the change may take effect, counted from latest_received_on.
  earliest_effective_date TEXT NOT NULL CHECK (earliest_effective_date > effective_date),
  detected_at TEXT NOT NULL,
  -- The mail to the objection contact: when it was accepted by SMTP, its Message-ID, or why not.
  notified_at TEXT,
  message_id TEXT,
  last_error TEXT
);
