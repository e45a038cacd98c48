-- The acceptance log is sequenced by one Durable Object per log (functions/acceptances/sequencer.ts),
-- which commits every acceptance that arrived meanwhile as ONE batch with ONE signed head
-- (group commit). The shape of the log is still kept by the database itself: records take the
-- next position without gaps, and every head covers exactly the records written before it.

-- Leaf hashes (JSON list, hex) the head adds to the previous head, in leaf order; NULL on heads
-- written before group commit, which each added the one leaf in leaf_hash. leaf_hash stays the
-- last leaf the head added.
ALTER TABLE acceptance_log_heads ADD COLUMN leaf_hashes TEXT;

DROP TRIGGER acceptances_append_at_head;
DROP TRIGGER acceptance_log_heads_consecutive;

-- A record goes exactly at the next position after the last record, never below a signed head.
-- A sequencer that computed from an outdated head fails here, reloads and recomputes.
CREATE TRIGGER acceptances_append_next BEFORE INSERT ON acceptances
WHEN NEW.leaf_index <> COALESCE((SELECT MAX(leaf_index) FROM acceptances), -1) + 1
  OR NEW.leaf_index < COALESCE((SELECT MAX(tree_size) FROM acceptance_log_heads), 0)
BEGIN
  SELECT RAISE(ABORT, 'acceptance log: stale head, leaf index is not the next position');
END;

-- A head grows the tree by exactly its leaves and covers every record written so far, so no
-- record is left without a signed head once its batch commits.
CREATE TRIGGER acceptance_log_heads_cover_records BEFORE INSERT ON acceptance_log_heads
WHEN NEW.tree_size <> COALESCE((SELECT MAX(leaf_index) FROM acceptances), -1) + 1
  OR NEW.tree_size - COALESCE((SELECT MAX(tree_size) FROM acceptance_log_heads), 0)
     <> json_array_length(COALESCE(NEW.leaf_hashes, json_array(NEW.leaf_hash)))
BEGIN
  SELECT RAISE(ABORT, 'acceptance log: stale head, it does not cover exactly the new records');
END;

-- Every perfect subtree of the log (level 0: the leaves), written with the batch that completes
-- it: inclusion and consistency proofs for any tree size read O(log n) rows instead of every
-- head. Derived data, checked against the signed roots whenever it is read.
CREATE TABLE acceptance_log_nodes (
  level INTEGER NOT NULL CHECK (level >= 0),
  idx INTEGER NOT NULL CHECK (idx >= 0),
  hash TEXT NOT NULL CHECK (length(hash) = 64),
  PRIMARY KEY (level, idx)
) WITHOUT ROWID;

-- The leaves of logs written before this migration; the sequencer computes the inner nodes
-- from them the first time it starts (they need SHA-256, which SQL does not have).
INSERT INTO acceptance_log_nodes (level, idx, hash) SELECT 0, tree_size - 1, leaf_hash FROM acceptance_log_heads;

CREATE TRIGGER acceptance_log_nodes_no_update BEFORE UPDATE ON acceptance_log_nodes
BEGIN
  SELECT RAISE(ABORT, 'acceptance log nodes are append-only');
END;

CREATE TRIGGER acceptance_log_nodes_no_delete BEFORE DELETE ON acceptance_log_nodes
BEGIN
  SELECT RAISE(ABORT, 'acceptance log nodes are append-only');
END;
