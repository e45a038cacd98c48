-- Rate-limit and failed-attempt counters (functions/pipeline/rate-limit.ts, attempt-limit.ts).
-- They replace acceptance_rate_limits, whose bucket names held raw client IPs and unsalted
-- SHA-256 hashes of email addresses (reversible by hashing guesses). Bucket names here are
-- HMACs under a key derived from the ENCRYPTION_KEYS secret. Not evidence: old windows are
-- deleted as new ones start, so dropping the old counters only resets the current window.
DROP TABLE acceptance_rate_limits;

CREATE TABLE rate_limits (
  -- base64url HMAC-SHA-256 of (scope, kind, client IP[, email]).
  bucket TEXT NOT NULL,
  -- Epoch ms of the window's start.
  window_start INTEGER NOT NULL,
  hits INTEGER NOT NULL,
  PRIMARY KEY (bucket, window_start)
) WITHOUT ROWID;
