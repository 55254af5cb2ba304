-- DataCovey 0026: one history chain per tenant AND writer node (issue 16; amends 0024).
--
-- 0024 chained every history row of a tenant into ONE chain whose head (history_chain_heads)
-- every history insert of the tenant takes with a locking write. On one server that is a short
-- row lock. On a Galera cluster with writers on several nodes it is a row that every write of
-- a tenant updates on whichever node it runs: two nodes' transactions always conflict on it at
-- certification, one of them loses (1213) however unrelated its rows were, and when the loser
-- is brute-force aborted while inside the chain trigger MariaDB 10.11 was seen to leave it
-- "Killed" holding its locks, the applier waiting behind it, the cluster stalled until the
-- database timeout (docs/DESIGN.md §11, "One chain per writer node").
--
-- So a tenant now has one chain per node that writes: a link is appended to the chain named by
-- the node it is written on, chain_node = @@wsrep_node_name when the server runs wsrep, and ''
-- on a server without it (every link written before this migration is on chain '', and stays
-- valid as it is). Two nodes never write the same head row, so history no longer makes two
-- nodes' transactions conflict; a node still serializes its own writers of a tenant, as before.
--
-- What is unchanged: the canonical link and dc_chain_hash (the chain's name is not hashed:
-- moving a link to another chain leaves a gap in one chain and a broken `prev` in the other,
-- which the verifier reports), seq runs 1, 2, 3 … per chain, the first link of every chain
-- follows the genesis (64 zeros), a purge writes a checkpoint per chain. The verifiers check
-- each chain of the tenant and report its head (HistoryChain.swift).
--
-- Caveat for operators: nodes must have distinct wsrep_node_name values (they default to the
-- host name). Two nodes of one name share a chain: still correct, but conflicting again.
SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';

ALTER TABLE datacovey.history_chain_heads
  ADD COLUMN IF NOT EXISTS chain_node VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '' AFTER tenant_id,
  DROP PRIMARY KEY, ADD PRIMARY KEY (tenant_id, chain_node),
  COMMENT = 'The last link of each chain (tenant, writer node); locked by every history insert on that node';

ALTER TABLE datacovey.history_chain_checkpoints
  ADD COLUMN IF NOT EXISTS chain_node VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '' AFTER tenant_id,
  DROP PRIMARY KEY, ADD PRIMARY KEY (tenant_id, chain_node),
  COMMENT = 'Where a chain (tenant, writer node) starts after a purge: the last purged link, and the links below it that stay';

ALTER TABLE datacovey.tenant_history
  ADD COLUMN IF NOT EXISTS chain_node VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '' AFTER chain_seq,
  DROP KEY IF EXISTS ix_tenant_history_tenant_chain,
  ADD KEY ix_tenant_history_tenant_chain (tenant_id, chain_node, chain_seq);
ALTER TABLE datacovey.user_history
  ADD COLUMN IF NOT EXISTS chain_node VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '' AFTER chain_seq,
  DROP KEY IF EXISTS ix_user_history_tenant_chain,
  ADD KEY ix_user_history_tenant_chain (tenant_id, chain_node, chain_seq);
ALTER TABLE datacovey.project_history
  ADD COLUMN IF NOT EXISTS chain_node VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '' AFTER chain_seq,
  DROP KEY IF EXISTS ix_project_history_tenant_chain,
  ADD KEY ix_project_history_tenant_chain (tenant_id, chain_node, chain_seq);
ALTER TABLE datacovey.dataset_history
  ADD COLUMN IF NOT EXISTS chain_node VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '' AFTER chain_seq,
  DROP KEY IF EXISTS ix_dataset_history_tenant_chain,
  ADD KEY ix_dataset_history_tenant_chain (tenant_id, chain_node, chain_seq);
ALTER TABLE datacovey.table_history
  ADD COLUMN IF NOT EXISTS chain_node VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '' AFTER chain_seq,
  DROP KEY IF EXISTS ix_table_history_tenant_chain,
  ADD KEY ix_table_history_tenant_chain (tenant_id, chain_node, chain_seq);
ALTER TABLE datacovey.table_column_history
  ADD COLUMN IF NOT EXISTS chain_node VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '' AFTER chain_seq,
  DROP KEY IF EXISTS ix_table_column_history_tenant_chain,
  ADD KEY ix_table_column_history_tenant_chain (tenant_id, chain_node, chain_seq);
ALTER TABLE datacovey.query_history
  ADD COLUMN IF NOT EXISTS chain_node VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '' AFTER chain_seq,
  DROP KEY IF EXISTS ix_query_history_tenant_chain,
  ADD KEY ix_query_history_tenant_chain (tenant_id, chain_node, chain_seq);
ALTER TABLE datacovey.import_job_history
  ADD COLUMN IF NOT EXISTS chain_node VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '' AFTER chain_seq,
  DROP KEY IF EXISTS ix_import_job_history_tenant_chain,
  ADD KEY ix_import_job_history_tenant_chain (tenant_id, chain_node, chain_seq);
ALTER TABLE datacovey.export_job_history
  ADD COLUMN IF NOT EXISTS chain_node VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '' AFTER chain_seq,
  DROP KEY IF EXISTS ix_export_job_history_tenant_chain,
  ADD KEY ix_export_job_history_tenant_chain (tenant_id, chain_node, chain_seq);
ALTER TABLE datacovey.api_token_history
  ADD COLUMN IF NOT EXISTS chain_node VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '' AFTER chain_seq,
  DROP KEY IF EXISTS ix_api_token_history_tenant_chain,
  ADD KEY ix_api_token_history_tenant_chain (tenant_id, chain_node, chain_seq);
ALTER TABLE datacovey.row_change_history
  ADD COLUMN IF NOT EXISTS chain_node VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '' AFTER chain_seq,
  DROP KEY IF EXISTS ix_row_change_history_tenant_chain,
  ADD KEY ix_row_change_history_tenant_chain (tenant_id, chain_node, chain_seq);

-- The chain a history row written on this server belongs to.
CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
FUNCTION datacovey.dc_chain_node()
  RETURNS VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT DETERMINISTIC NO SQL SQL SECURITY DEFINER
  COMMENT 'The history chain of this server: its wsrep_node_name on a Galera node, else empty'
RETURN IF(@@wsrep_on, LEFT(@@wsrep_node_name, 64), '');

-- Appends one link to the chain (tenant, this node): takes its head (locking write), hashes,
-- moves the head. 0024's dc_chain_append, plus the chain's name out.
CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
PROCEDURE datacovey.dc_chain_append_on_node(
  IN p_table VARCHAR(64) CHARACTER SET ascii, IN p_tenant BIGINT, IN p_entity BIGINT, IN p_version INT UNSIGNED,
  IN p_operation VARCHAR(16) CHARACTER SET utf8mb4, IN p_actor BIGINT, IN p_db_user VARCHAR(128) CHARACTER SET utf8mb4,
  IN p_changed_at DATETIME(6), IN p_image LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  OUT o_node VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  OUT o_seq BIGINT UNSIGNED, OUT o_prev CHAR(64) CHARACTER SET ascii, OUT o_hash CHAR(64) CHARACTER SET ascii)
  MODIFIES SQL DATA SQL SECURITY DEFINER
  COMMENT 'Append a history row to the hash chain of its tenant on this node'
BEGIN
  SET o_node = datacovey.dc_chain_node();
  INSERT INTO datacovey.history_chain_heads (tenant_id, chain_node, seq, head_hash) VALUES (p_tenant, o_node, 1, REPEAT('0', 64))
    ON DUPLICATE KEY UPDATE seq = seq + 1;
  SELECT h.seq, h.head_hash INTO o_seq, o_prev FROM datacovey.history_chain_heads h
   WHERE h.tenant_id = p_tenant AND h.chain_node = o_node;
  SET o_hash = datacovey.dc_chain_hash(o_prev, p_table, o_seq, p_tenant, p_entity, p_version, p_operation,
                                       p_actor, p_db_user, p_changed_at, p_image);
  UPDATE datacovey.history_chain_heads SET head_hash = o_hash WHERE tenant_id = p_tenant AND chain_node = o_node;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.tenant_history_chain BEFORE INSERT ON datacovey.tenant_history FOR EACH ROW
BEGIN
  DECLARE v_node VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
  DECLARE v_seq BIGINT UNSIGNED;
  DECLARE v_prev, v_hash CHAR(64) CHARACTER SET ascii;
  CALL datacovey.dc_chain_append_on_node('tenant_history', NEW.tenant_id, NEW.entity_id, NEW.version, NEW.operation, NEW.actor_user_id,
                                 NEW.db_user, NEW.changed_at, NEW.row_image, v_node, v_seq, v_prev, v_hash);
  SET NEW.chain_node = v_node, NEW.chain_seq = v_seq, NEW.chain_prev = v_prev, NEW.chain_hash = v_hash;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.user_history_chain BEFORE INSERT ON datacovey.user_history FOR EACH ROW
BEGIN
  DECLARE v_node VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
  DECLARE v_seq BIGINT UNSIGNED;
  DECLARE v_prev, v_hash CHAR(64) CHARACTER SET ascii;
  CALL datacovey.dc_chain_append_on_node('user_history', NEW.tenant_id, NEW.entity_id, NEW.version, NEW.operation, NEW.actor_user_id,
                                 NEW.db_user, NEW.changed_at, NEW.row_image, v_node, v_seq, v_prev, v_hash);
  SET NEW.chain_node = v_node, NEW.chain_seq = v_seq, NEW.chain_prev = v_prev, NEW.chain_hash = v_hash;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.project_history_chain BEFORE INSERT ON datacovey.project_history FOR EACH ROW
BEGIN
  DECLARE v_node VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
  DECLARE v_seq BIGINT UNSIGNED;
  DECLARE v_prev, v_hash CHAR(64) CHARACTER SET ascii;
  CALL datacovey.dc_chain_append_on_node('project_history', NEW.tenant_id, NEW.entity_id, NEW.version, NEW.operation, NEW.actor_user_id,
                                 NEW.db_user, NEW.changed_at, NEW.row_image, v_node, v_seq, v_prev, v_hash);
  SET NEW.chain_node = v_node, NEW.chain_seq = v_seq, NEW.chain_prev = v_prev, NEW.chain_hash = v_hash;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.dataset_history_chain BEFORE INSERT ON datacovey.dataset_history FOR EACH ROW
BEGIN
  DECLARE v_node VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
  DECLARE v_seq BIGINT UNSIGNED;
  DECLARE v_prev, v_hash CHAR(64) CHARACTER SET ascii;
  CALL datacovey.dc_chain_append_on_node('dataset_history', NEW.tenant_id, NEW.entity_id, NEW.version, NEW.operation, NEW.actor_user_id,
                                 NEW.db_user, NEW.changed_at, NEW.row_image, v_node, v_seq, v_prev, v_hash);
  SET NEW.chain_node = v_node, NEW.chain_seq = v_seq, NEW.chain_prev = v_prev, NEW.chain_hash = v_hash;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.table_history_chain BEFORE INSERT ON datacovey.table_history FOR EACH ROW
BEGIN
  DECLARE v_node VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
  DECLARE v_seq BIGINT UNSIGNED;
  DECLARE v_prev, v_hash CHAR(64) CHARACTER SET ascii;
  CALL datacovey.dc_chain_append_on_node('table_history', NEW.tenant_id, NEW.entity_id, NEW.version, NEW.operation, NEW.actor_user_id,
                                 NEW.db_user, NEW.changed_at, NEW.row_image, v_node, v_seq, v_prev, v_hash);
  SET NEW.chain_node = v_node, NEW.chain_seq = v_seq, NEW.chain_prev = v_prev, NEW.chain_hash = v_hash;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.table_column_history_chain BEFORE INSERT ON datacovey.table_column_history FOR EACH ROW
BEGIN
  DECLARE v_node VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
  DECLARE v_seq BIGINT UNSIGNED;
  DECLARE v_prev, v_hash CHAR(64) CHARACTER SET ascii;
  CALL datacovey.dc_chain_append_on_node('table_column_history', NEW.tenant_id, NEW.entity_id, NEW.version, NEW.operation, NEW.actor_user_id,
                                 NEW.db_user, NEW.changed_at, NEW.row_image, v_node, v_seq, v_prev, v_hash);
  SET NEW.chain_node = v_node, NEW.chain_seq = v_seq, NEW.chain_prev = v_prev, NEW.chain_hash = v_hash;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.query_history_chain BEFORE INSERT ON datacovey.query_history FOR EACH ROW
BEGIN
  DECLARE v_node VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
  DECLARE v_seq BIGINT UNSIGNED;
  DECLARE v_prev, v_hash CHAR(64) CHARACTER SET ascii;
  CALL datacovey.dc_chain_append_on_node('query_history', NEW.tenant_id, NEW.entity_id, NEW.version, NEW.operation, NEW.actor_user_id,
                                 NEW.db_user, NEW.changed_at, NEW.row_image, v_node, v_seq, v_prev, v_hash);
  SET NEW.chain_node = v_node, NEW.chain_seq = v_seq, NEW.chain_prev = v_prev, NEW.chain_hash = v_hash;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.import_job_history_chain BEFORE INSERT ON datacovey.import_job_history FOR EACH ROW
BEGIN
  DECLARE v_node VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
  DECLARE v_seq BIGINT UNSIGNED;
  DECLARE v_prev, v_hash CHAR(64) CHARACTER SET ascii;
  CALL datacovey.dc_chain_append_on_node('import_job_history', NEW.tenant_id, NEW.entity_id, NEW.version, NEW.operation, NEW.actor_user_id,
                                 NEW.db_user, NEW.changed_at, NEW.row_image, v_node, v_seq, v_prev, v_hash);
  SET NEW.chain_node = v_node, NEW.chain_seq = v_seq, NEW.chain_prev = v_prev, NEW.chain_hash = v_hash;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.export_job_history_chain BEFORE INSERT ON datacovey.export_job_history FOR EACH ROW
BEGIN
  DECLARE v_node VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
  DECLARE v_seq BIGINT UNSIGNED;
  DECLARE v_prev, v_hash CHAR(64) CHARACTER SET ascii;
  CALL datacovey.dc_chain_append_on_node('export_job_history', NEW.tenant_id, NEW.entity_id, NEW.version, NEW.operation, NEW.actor_user_id,
                                 NEW.db_user, NEW.changed_at, NEW.row_image, v_node, v_seq, v_prev, v_hash);
  SET NEW.chain_node = v_node, NEW.chain_seq = v_seq, NEW.chain_prev = v_prev, NEW.chain_hash = v_hash;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.api_token_history_chain BEFORE INSERT ON datacovey.api_token_history FOR EACH ROW
BEGIN
  DECLARE v_node VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
  DECLARE v_seq BIGINT UNSIGNED;
  DECLARE v_prev, v_hash CHAR(64) CHARACTER SET ascii;
  CALL datacovey.dc_chain_append_on_node('api_token_history', NEW.tenant_id, NEW.entity_id, NEW.version, NEW.operation, NEW.actor_user_id,
                                 NEW.db_user, NEW.changed_at, NEW.row_image, v_node, v_seq, v_prev, v_hash);
  SET NEW.chain_node = v_node, NEW.chain_seq = v_seq, NEW.chain_prev = v_prev, NEW.chain_hash = v_hash;
END;

-- 0024's trigger of the row-change audit (0022's checks kept), appending to the node's chain.
CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.row_change_history_bi BEFORE INSERT ON datacovey.row_change_history FOR EACH ROW
BEGIN
  DECLARE v_node VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
  DECLARE v_seq BIGINT UNSIGNED;
  DECLARE v_prev, v_hash CHAR(64) CHARACTER SET ascii;
  IF NOT EXISTS (SELECT 1 FROM datacovey.dataset_tables t WHERE t.id = NEW.entity_id AND t.tenant_id = NEW.tenant_id) THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'datacovey: the table is not the tenant''s';
  END IF;
  INSERT INTO datacovey.row_change_versions (entity_id, version) VALUES (NEW.entity_id, 1)
    ON DUPLICATE KEY UPDATE version = version + 1;
  SET NEW.version = (SELECT v.version FROM datacovey.row_change_versions v WHERE v.entity_id = NEW.entity_id);
  SET NEW.changed_at = UTC_TIMESTAMP(6), NEW.db_user = COALESCE(LEFT(SESSION_USER(), 128), '');
  CALL datacovey.dc_chain_append_on_node('row_change_history', NEW.tenant_id, NEW.entity_id, NEW.version, NEW.operation,
                                 NEW.actor_user_id, NEW.db_user, NEW.changed_at, NEW.row_image, v_node, v_seq, v_prev, v_hash);
  SET NEW.chain_node = v_node, NEW.chain_seq = v_seq, NEW.chain_prev = v_prev, NEW.chain_hash = v_hash;
END;

-- Every link with its chain and the hash recomputed from the row as it is now.
CREATE OR REPLACE ALGORITHM = UNDEFINED DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey.history_chain_links AS  SELECT 'tenant_history' AS history_table, history_id, tenant_id, chain_node, chain_seq, chain_prev, chain_hash,
         datacovey.dc_chain_hash(chain_prev, 'tenant_history', chain_seq, tenant_id, entity_id, version, operation,
                                 actor_user_id, db_user, changed_at, row_image) AS computed_hash
    FROM datacovey.tenant_history
  UNION ALL
  SELECT 'user_history' AS history_table, history_id, tenant_id, chain_node, chain_seq, chain_prev, chain_hash,
         datacovey.dc_chain_hash(chain_prev, 'user_history', chain_seq, tenant_id, entity_id, version, operation,
                                 actor_user_id, db_user, changed_at, row_image) AS computed_hash
    FROM datacovey.user_history
  UNION ALL
  SELECT 'project_history' AS history_table, history_id, tenant_id, chain_node, chain_seq, chain_prev, chain_hash,
         datacovey.dc_chain_hash(chain_prev, 'project_history', chain_seq, tenant_id, entity_id, version, operation,
                                 actor_user_id, db_user, changed_at, row_image) AS computed_hash
    FROM datacovey.project_history
  UNION ALL
  SELECT 'dataset_history' AS history_table, history_id, tenant_id, chain_node, chain_seq, chain_prev, chain_hash,
         datacovey.dc_chain_hash(chain_prev, 'dataset_history', chain_seq, tenant_id, entity_id, version, operation,
                                 actor_user_id, db_user, changed_at, row_image) AS computed_hash
    FROM datacovey.dataset_history
  UNION ALL
  SELECT 'table_history' AS history_table, history_id, tenant_id, chain_node, chain_seq, chain_prev, chain_hash,
         datacovey.dc_chain_hash(chain_prev, 'table_history', chain_seq, tenant_id, entity_id, version, operation,
                                 actor_user_id, db_user, changed_at, row_image) AS computed_hash
    FROM datacovey.table_history
  UNION ALL
  SELECT 'table_column_history' AS history_table, history_id, tenant_id, chain_node, chain_seq, chain_prev, chain_hash,
         datacovey.dc_chain_hash(chain_prev, 'table_column_history', chain_seq, tenant_id, entity_id, version, operation,
                                 actor_user_id, db_user, changed_at, row_image) AS computed_hash
    FROM datacovey.table_column_history
  UNION ALL
  SELECT 'query_history' AS history_table, history_id, tenant_id, chain_node, chain_seq, chain_prev, chain_hash,
         datacovey.dc_chain_hash(chain_prev, 'query_history', chain_seq, tenant_id, entity_id, version, operation,
                                 actor_user_id, db_user, changed_at, row_image) AS computed_hash
    FROM datacovey.query_history
  UNION ALL
  SELECT 'import_job_history' AS history_table, history_id, tenant_id, chain_node, chain_seq, chain_prev, chain_hash,
         datacovey.dc_chain_hash(chain_prev, 'import_job_history', chain_seq, tenant_id, entity_id, version, operation,
                                 actor_user_id, db_user, changed_at, row_image) AS computed_hash
    FROM datacovey.import_job_history
  UNION ALL
  SELECT 'export_job_history' AS history_table, history_id, tenant_id, chain_node, chain_seq, chain_prev, chain_hash,
         datacovey.dc_chain_hash(chain_prev, 'export_job_history', chain_seq, tenant_id, entity_id, version, operation,
                                 actor_user_id, db_user, changed_at, row_image) AS computed_hash
    FROM datacovey.export_job_history
  UNION ALL
  SELECT 'api_token_history' AS history_table, history_id, tenant_id, chain_node, chain_seq, chain_prev, chain_hash,
         datacovey.dc_chain_hash(chain_prev, 'api_token_history', chain_seq, tenant_id, entity_id, version, operation,
                                 actor_user_id, db_user, changed_at, row_image) AS computed_hash
    FROM datacovey.api_token_history
  UNION ALL
  SELECT 'row_change_history' AS history_table, history_id, tenant_id, chain_node, chain_seq, chain_prev, chain_hash,
         datacovey.dc_chain_hash(chain_prev, 'row_change_history', chain_seq, tenant_id, entity_id, version, operation,
                                 actor_user_id, db_user, changed_at, row_image) AS computed_hash
    FROM datacovey.row_change_history;

-- The session tenant's links and heads, as in 0024, with each link's and head's chain.
CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
PROCEDURE datacovey_app.history_chain_links()
  READS SQL DATA SQL SECURITY DEFINER
  COMMENT 'The session tenant''s history chain links, each with its chain and recomputed hash'
  SELECT history_table, history_id, chain_node, chain_seq, chain_prev, chain_hash, computed_hash
    FROM datacovey.history_chain_links
   WHERE tenant_id = datacovey.dc_tenant()
   ORDER BY chain_node, chain_seq, history_table, history_id;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
PROCEDURE datacovey_app.history_chain_head()
  READS SQL DATA SQL SECURITY DEFINER
  COMMENT 'The session tenant''s chain heads and purge checkpoints, one row per chain (none: no history yet)'
  SELECT h.chain_node, h.seq, h.head_hash, c.seq AS checkpoint_seq, c.hash AS checkpoint_hash,
         c.kept_digest AS checkpoint_kept_digest, c.kept_links AS checkpoint_kept_links
    FROM datacovey.history_chain_heads h
    LEFT JOIN datacovey.history_chain_checkpoints c ON c.tenant_id = h.tenant_id AND c.chain_node = h.chain_node
   WHERE h.tenant_id = datacovey.dc_tenant()
   ORDER BY h.chain_node;

GRANT EXECUTE ON FUNCTION datacovey.dc_chain_node TO 'dc_owner'@'localhost';
GRANT EXECUTE ON PROCEDURE datacovey.dc_chain_append_on_node TO 'dc_owner'@'localhost';
-- 0024's procedure: no trigger calls it any more (a new name, so that no trigger ever called a
-- procedure of the wrong arity while this migration ran).
DROP PROCEDURE IF EXISTS datacovey.dc_chain_append;
