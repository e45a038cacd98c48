-- webhook_endpoints.consecutive_failures was counted on every attempt and never read: an
-- endpoint is disabled by its delivery's attempt count (notice_deliveries.attempts,
-- NOTICE_MAX_ATTEMPTS) or by 410, never by this counter.
ALTER TABLE webhook_endpoints DROP COLUMN consecutive_failures;
