-- Dead schema: deployment_info held a hand-kept "schema version" that said 2 after four
-- migrations (GET /api/health now names the newest applied migration from d1_migrations), and
-- acceptances_by_email served a rate limit that never read it (rate limits have their own table).
DROP TABLE deployment_info;
DROP INDEX acceptances_by_email;
