-- One append-only table: the least a Worker can do to store an acceptance-sized JSON body.
CREATE TABLE rows (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  body TEXT NOT NULL
);
