-- Health probe table: GET /api/health reads it to prove D1 answers and migrations ran.
CREATE TABLE IF NOT EXISTS deployment_info (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT OR IGNORE INTO deployment_info (key, value) VALUES ('schema', '1');
