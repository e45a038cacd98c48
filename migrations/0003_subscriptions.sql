-- Email subscriptions to change notices, with double opt-in and the proof of consent.

-- One row per address. Only status 'confirmed' receives notices; 'pending' rows that were never
-- confirmed are purged after UNCONFIRMED_RETENTION_HOURS; 'unsubscribed' rows stay because the
-- notice evidence (who was told what, when) refers to them.
CREATE TABLE subscribers (
  -- Random, unguessable (it appears in unsubscribe links next to its HMAC).
  id TEXT PRIMARY KEY,
  -- Trimmed and lower-cased, so one person has one row whatever they type.
  email TEXT NOT NULL UNIQUE,
  lang TEXT NOT NULL CHECK (lang IN ('de', 'en')),
  -- JSON array of topics confirmed (empty until the first confirmation).
  topics TEXT NOT NULL DEFAULT '[]',
  status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'unsubscribed')),
  -- UTC, ISO 8601 with milliseconds.
  created_at TEXT NOT NULL,
  confirmed_at TEXT,
  unsubscribed_at TEXT,
  -- 'one-click' (RFC 8058 POST from the mail client) or 'page' (the button on our page).
  unsubscribed_via TEXT
);

-- The dispatcher pages through confirmed subscribers by id.
CREATE INDEX subscribers_confirmed ON subscribers (id) WHERE status = 'confirmed';
CREATE INDEX subscribers_pending ON subscribers (created_at) WHERE status = 'pending';

-- One row per sign-up (a person may sign up again to change topics): the consent proof.
-- Kept once confirmed; unconfirmed rows are purged with their pending subscriber.
CREATE TABLE subscription_requests (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  subscriber_id TEXT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  -- SHA-256 (hex) of the single-use confirmation token; the token itself is only in the mail.
  token_sha256 TEXT NOT NULL UNIQUE,
  topics TEXT NOT NULL,
  lang TEXT NOT NULL CHECK (lang IN ('de', 'en')),
  -- Version of the consent wording shown on the form (src/domain/subscription-wording.ts).
  wording_version TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  requested_ip TEXT,
  expires_at TEXT NOT NULL,
  -- Message-ID of the confirmation mail as the transport accepted it.
  confirmation_message_id TEXT,
  confirmed_at TEXT,
  confirmed_ip TEXT
);

CREATE INDEX subscription_requests_by_subscriber ON subscription_requests (subscriber_id);
CREATE INDEX subscription_requests_unconfirmed ON subscription_requests (requested_at) WHERE confirmed_at IS NULL;
