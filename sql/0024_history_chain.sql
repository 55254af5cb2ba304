-- DataCovey 0024: a tamper-evident history (issue 15, item 4).
--
-- Every history row - the metadata *_history tables (0003, 0018) and the row-change audit
-- (0022) - becomes a link of ONE hash chain per tenant, across all those tables:
--
--   chain_seq   = 1, 2, 3, ... per tenant, with no gap, in the order the links were written
--   chain_prev  = the chain_hash of link chain_seq - 1 (64 zeros for link 1: the genesis)
--   chain_hash  = SHA2(canonical link, 256), lower-case hex, computed by
--                 datacovey.dc_chain_hash() (below), the ONE definition of the canonical link
--                 that the triggers, the backfill and the verifiers (datacovey-admin history
--                 verify, GET /api/v1/audit/verify, through the views below) all use.
--
-- The canonical link hashed is the bytes of
--   CONCAT_WS(CHAR(10), chain_prev, history table name, chain_seq, tenant_id, entity_id,
--             version, operation, IFNULL(actor_user_id, ''), db_user,
--             DATE_FORMAT(changed_at, '%Y-%m-%d %H:%i:%s.%f'), row_image)
-- i.e. the fields joined by a newline (0x0A): the previous hash, the table's name (e.g.
-- 'project_history'), the integers in decimal, the operation's name, the actor (empty when
-- there is none), the database user, the time with all six fractional digits, and last the
-- row image as stored (MariaDB keeps a JSON column's text as written, so the text a SELECT
-- returns is the text the trigger hashed), strings in utf8mb4. Only db_user and row_image are
-- free text and the image is last and starts with '{', so no two different links join to the
-- same bytes.
-- history_id is NOT hashed: a BEFORE INSERT trigger does not know the AUTO_INCREMENT id yet
-- (it is 0 there) and an AFTER trigger cannot change the row. The link is named by
-- (tenant, chain_seq) instead, and the table, entity and version it hashes identify the row.
--
-- Why these choices:
-- * One chain per tenant, not per table: a tenant keeps one head (GET /api/v1/audit/verify)
--   and later proves that nothing anywhere in its history was rewritten or removed.
-- * Concurrent writers of one tenant must not fork the chain. The BEFORE INSERT trigger of
--   each history table takes the tenant's head with a locking write on history_chain_heads
--   (INSERT ... ON DUPLICATE KEY UPDATE seq = seq + 1), reads it back (a transaction sees its
--   own write; the row lock means no other writer's can be newer), hashes, and writes the new
--   head. A second writer of the tenant waits on the head row until the first commits, so
--   links are appended strictly one after the other; a rolled-back writer's link and head
--   move vanish together. A trigger may not take a locking read of the table it is on
--   (error 1442), and a plain read of MAX() would see the transaction's snapshot, hence the
--   separate heads table (the same device as row_change_versions in 0022). The cost: writes
--   of one tenant serialize on its head from their first history row to their commit.
-- * BEFORE INSERT triggers on the history tables themselves, not a change of the generated
--   AFTER triggers of the tracked tables (scripts/sqlgen): every path that writes history is
--   covered, and the generated migrations stay as they are. row_change_history already had a
--   BEFORE INSERT trigger (0022); it is replaced by one that keeps its checks, sets version,
--   time and database user, and then appends the link.
-- * Existing history (written before this migration) is chained in, per tenant, in the order
--   (changed_at, the table's position in the list below, history_id), so a database that
--   existed before verifies too.
-- * Purging old history (datacovey-admin history purge, maintenance) deletes links; it writes
--   a checkpoint per tenant (history_chain_checkpoints: the seq and hash of the last purged
--   link and a digest of the links at or below it that stay, each object's newest version),
--   and verification starts from it. See HistoryChain.swift.
-- * Tenants read their own chain through DEFINER views (datacovey_app.history_chain,
--   history_chain_head): dc_app has no right on base tables (SECURITY rule 4).
SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';

CREATE TABLE IF NOT EXISTS datacovey.history_chain_heads (
  tenant_id BIGINT          NOT NULL,
  seq       BIGINT UNSIGNED NOT NULL,
  head_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  PRIMARY KEY (tenant_id)
) ENGINE=InnoDB COMMENT='The last link of each tenant''s history chain; locked by every history insert';

CREATE TABLE IF NOT EXISTS datacovey.history_chain_checkpoints (
  tenant_id   BIGINT          NOT NULL,
  seq         BIGINT UNSIGNED NOT NULL,
  hash        CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  kept_digest CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  kept_links  BIGINT UNSIGNED NOT NULL,
  purged_at   DATETIME(6)     NOT NULL,
  PRIMARY KEY (tenant_id)
) ENGINE=InnoDB COMMENT='Where a tenant''s chain starts after a purge: the last purged link, and the links below it that stay';

ALTER TABLE datacovey.tenant_history
  ADD COLUMN IF NOT EXISTS chain_seq  BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS chain_prev CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  ADD COLUMN IF NOT EXISTS chain_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  ADD KEY IF NOT EXISTS ix_tenant_history_tenant_chain (tenant_id, chain_seq);

ALTER TABLE datacovey.user_history
  ADD COLUMN IF NOT EXISTS chain_seq  BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS chain_prev CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  ADD COLUMN IF NOT EXISTS chain_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  ADD KEY IF NOT EXISTS ix_user_history_tenant_chain (tenant_id, chain_seq);

ALTER TABLE datacovey.project_history
  ADD COLUMN IF NOT EXISTS chain_seq  BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS chain_prev CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  ADD COLUMN IF NOT EXISTS chain_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  ADD KEY IF NOT EXISTS ix_project_history_tenant_chain (tenant_id, chain_seq);

ALTER TABLE datacovey.dataset_history
  ADD COLUMN IF NOT EXISTS chain_seq  BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS chain_prev CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  ADD COLUMN IF NOT EXISTS chain_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  ADD KEY IF NOT EXISTS ix_dataset_history_tenant_chain (tenant_id, chain_seq);

ALTER TABLE datacovey.table_history
  ADD COLUMN IF NOT EXISTS chain_seq  BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS chain_prev CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  ADD COLUMN IF NOT EXISTS chain_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  ADD KEY IF NOT EXISTS ix_table_history_tenant_chain (tenant_id, chain_seq);

ALTER TABLE datacovey.table_column_history
  ADD COLUMN IF NOT EXISTS chain_seq  BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS chain_prev CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  ADD COLUMN IF NOT EXISTS chain_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  ADD KEY IF NOT EXISTS ix_table_column_history_tenant_chain (tenant_id, chain_seq);

ALTER TABLE datacovey.query_history
  ADD COLUMN IF NOT EXISTS chain_seq  BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS chain_prev CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  ADD COLUMN IF NOT EXISTS chain_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  ADD KEY IF NOT EXISTS ix_query_history_tenant_chain (tenant_id, chain_seq);

ALTER TABLE datacovey.import_job_history
  ADD COLUMN IF NOT EXISTS chain_seq  BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS chain_prev CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  ADD COLUMN IF NOT EXISTS chain_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  ADD KEY IF NOT EXISTS ix_import_job_history_tenant_chain (tenant_id, chain_seq);

ALTER TABLE datacovey.export_job_history
  ADD COLUMN IF NOT EXISTS chain_seq  BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS chain_prev CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  ADD COLUMN IF NOT EXISTS chain_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  ADD KEY IF NOT EXISTS ix_export_job_history_tenant_chain (tenant_id, chain_seq);

ALTER TABLE datacovey.api_token_history
  ADD COLUMN IF NOT EXISTS chain_seq  BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS chain_prev CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  ADD COLUMN IF NOT EXISTS chain_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  ADD KEY IF NOT EXISTS ix_api_token_history_tenant_chain (tenant_id, chain_seq);

ALTER TABLE datacovey.row_change_history
  ADD COLUMN IF NOT EXISTS chain_seq  BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS chain_prev CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  ADD COLUMN IF NOT EXISTS chain_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  ADD KEY IF NOT EXISTS ix_row_change_history_tenant_chain (tenant_id, chain_seq);

-- The one definition of a link's hash (see the header).
CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
FUNCTION datacovey.dc_chain_hash(
  p_prev CHAR(64) CHARACTER SET ascii, p_table VARCHAR(64) CHARACTER SET ascii, p_seq BIGINT UNSIGNED,
  p_tenant BIGINT, p_entity BIGINT, p_version INT UNSIGNED, p_operation VARCHAR(16) CHARACTER SET utf8mb4,
  p_actor BIGINT, p_db_user VARCHAR(128) CHARACTER SET utf8mb4, p_changed_at DATETIME(6),
  p_image LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin)
  RETURNS CHAR(64) CHARACTER SET ascii DETERMINISTIC NO SQL SQL SECURITY DEFINER
  COMMENT 'SHA-256 of one history chain link: previous hash and the row, newline-joined'
RETURN SHA2(CONVERT(CONCAT_WS(CHAR(10 USING utf8mb4), p_prev, p_table, p_seq, p_tenant, p_entity, p_version,
                              p_operation, IFNULL(p_actor, ''), p_db_user,
                              DATE_FORMAT(p_changed_at, '%Y-%m-%d %H:%i:%s.%f'), p_image) USING utf8mb4), 256);

-- Appends one link to the tenant's chain: takes the head (locking write), hashes, moves the head.
CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
PROCEDURE datacovey.dc_chain_append(
  IN p_table VARCHAR(64) CHARACTER SET ascii, IN p_tenant BIGINT, IN p_entity BIGINT, IN p_version INT UNSIGNED,
  IN p_operation VARCHAR(16) CHARACTER SET utf8mb4, IN p_actor BIGINT, IN p_db_user VARCHAR(128) CHARACTER SET utf8mb4,
  IN p_changed_at DATETIME(6), IN p_image LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  OUT o_seq BIGINT UNSIGNED, OUT o_prev CHAR(64) CHARACTER SET ascii, OUT o_hash CHAR(64) CHARACTER SET ascii)
  MODIFIES SQL DATA SQL SECURITY DEFINER
  COMMENT 'Append a history row to its tenant''s hash chain'
BEGIN
  INSERT INTO datacovey.history_chain_heads (tenant_id, seq, head_hash) VALUES (p_tenant, 1, REPEAT('0', 64))
    ON DUPLICATE KEY UPDATE seq = seq + 1;
  SELECT h.seq, h.head_hash INTO o_seq, o_prev FROM datacovey.history_chain_heads h WHERE h.tenant_id = p_tenant;
  SET o_hash = datacovey.dc_chain_hash(o_prev, p_table, o_seq, p_tenant, p_entity, p_version, p_operation,
                                       p_actor, p_db_user, p_changed_at, p_image);
  UPDATE datacovey.history_chain_heads SET head_hash = o_hash WHERE tenant_id = p_tenant;
END;

-- Chain in the history written before this migration, per tenant, in history order.
CREATE TABLE datacovey.history_chain_backfill_0024 (
  history_table VARCHAR(64) CHARACTER SET ascii NOT NULL,
  history_id    BIGINT          NOT NULL,
  tenant_id     BIGINT          NOT NULL,
  seq           BIGINT UNSIGNED NOT NULL,
  prev          CHAR(64) CHARACTER SET ascii NOT NULL,
  hash          CHAR(64) CHARACTER SET ascii NOT NULL,
  PRIMARY KEY (history_table, history_id)
) ENGINE=InnoDB;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
PROCEDURE datacovey.history_chain_backfill_0024() MODIFIES SQL DATA SQL SECURITY DEFINER
BEGIN
  DECLARE v_done INT DEFAULT 0;
  DECLARE v_table VARCHAR(64) CHARACTER SET ascii;
  DECLARE v_id, v_tenant, v_entity, v_actor, v_last_tenant BIGINT DEFAULT NULL;
  DECLARE v_seq BIGINT UNSIGNED;
  DECLARE v_version INT UNSIGNED;
  DECLARE v_operation VARCHAR(16) CHARACTER SET utf8mb4;
  DECLARE v_db_user VARCHAR(128) CHARACTER SET utf8mb4;
  DECLARE v_changed_at DATETIME(6);
  DECLARE v_image LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
  DECLARE v_prev, v_hash CHAR(64) CHARACTER SET ascii;
  DECLARE links CURSOR FOR
    SELECT history_table, history_id, tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image,
           ROW_NUMBER() OVER (PARTITION BY tenant_id ORDER BY changed_at, table_rank, history_id) AS seq
      FROM (SELECT 0 AS table_rank, 'tenant_history' AS history_table, history_id, tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image FROM datacovey.tenant_history
  UNION ALL SELECT 1 AS table_rank, 'user_history' AS history_table, history_id, tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image FROM datacovey.user_history
  UNION ALL SELECT 2 AS table_rank, 'project_history' AS history_table, history_id, tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image FROM datacovey.project_history
  UNION ALL SELECT 3 AS table_rank, 'dataset_history' AS history_table, history_id, tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image FROM datacovey.dataset_history
  UNION ALL SELECT 4 AS table_rank, 'table_history' AS history_table, history_id, tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image FROM datacovey.table_history
  UNION ALL SELECT 5 AS table_rank, 'table_column_history' AS history_table, history_id, tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image FROM datacovey.table_column_history
  UNION ALL SELECT 6 AS table_rank, 'query_history' AS history_table, history_id, tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image FROM datacovey.query_history
  UNION ALL SELECT 7 AS table_rank, 'import_job_history' AS history_table, history_id, tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image FROM datacovey.import_job_history
  UNION ALL SELECT 8 AS table_rank, 'export_job_history' AS history_table, history_id, tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image FROM datacovey.export_job_history
  UNION ALL SELECT 9 AS table_rank, 'api_token_history' AS history_table, history_id, tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image FROM datacovey.api_token_history
  UNION ALL SELECT 10 AS table_rank, 'row_change_history' AS history_table, history_id, tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image FROM datacovey.row_change_history) u
     ORDER BY tenant_id, seq;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_done = 1;
  OPEN links;
  next_link: LOOP
    FETCH links INTO v_table, v_id, v_tenant, v_entity, v_version, v_operation, v_actor, v_db_user, v_changed_at, v_image, v_seq;
    IF v_done THEN LEAVE next_link; END IF;
    IF v_last_tenant IS NULL OR v_tenant <> v_last_tenant THEN
      SET v_prev = REPEAT('0', 64), v_last_tenant = v_tenant;
    END IF;
    SET v_hash = datacovey.dc_chain_hash(v_prev, v_table, v_seq, v_tenant, v_entity, v_version, v_operation,
                                         v_actor, v_db_user, v_changed_at, v_image);
    INSERT INTO datacovey.history_chain_backfill_0024 VALUES (v_table, v_id, v_tenant, v_seq, v_prev, v_hash);
    SET v_prev = v_hash;
  END LOOP;
  CLOSE links;
END;

CALL datacovey.history_chain_backfill_0024();

UPDATE datacovey.tenant_history h JOIN datacovey.history_chain_backfill_0024 b
    ON b.history_table = 'tenant_history' AND b.history_id = h.history_id
   SET h.chain_seq = b.seq, h.chain_prev = b.prev, h.chain_hash = b.hash;
UPDATE datacovey.user_history h JOIN datacovey.history_chain_backfill_0024 b
    ON b.history_table = 'user_history' AND b.history_id = h.history_id
   SET h.chain_seq = b.seq, h.chain_prev = b.prev, h.chain_hash = b.hash;
UPDATE datacovey.project_history h JOIN datacovey.history_chain_backfill_0024 b
    ON b.history_table = 'project_history' AND b.history_id = h.history_id
   SET h.chain_seq = b.seq, h.chain_prev = b.prev, h.chain_hash = b.hash;
UPDATE datacovey.dataset_history h JOIN datacovey.history_chain_backfill_0024 b
    ON b.history_table = 'dataset_history' AND b.history_id = h.history_id
   SET h.chain_seq = b.seq, h.chain_prev = b.prev, h.chain_hash = b.hash;
UPDATE datacovey.table_history h JOIN datacovey.history_chain_backfill_0024 b
    ON b.history_table = 'table_history' AND b.history_id = h.history_id
   SET h.chain_seq = b.seq, h.chain_prev = b.prev, h.chain_hash = b.hash;
UPDATE datacovey.table_column_history h JOIN datacovey.history_chain_backfill_0024 b
    ON b.history_table = 'table_column_history' AND b.history_id = h.history_id
   SET h.chain_seq = b.seq, h.chain_prev = b.prev, h.chain_hash = b.hash;
UPDATE datacovey.query_history h JOIN datacovey.history_chain_backfill_0024 b
    ON b.history_table = 'query_history' AND b.history_id = h.history_id
   SET h.chain_seq = b.seq, h.chain_prev = b.prev, h.chain_hash = b.hash;
UPDATE datacovey.import_job_history h JOIN datacovey.history_chain_backfill_0024 b
    ON b.history_table = 'import_job_history' AND b.history_id = h.history_id
   SET h.chain_seq = b.seq, h.chain_prev = b.prev, h.chain_hash = b.hash;
UPDATE datacovey.export_job_history h JOIN datacovey.history_chain_backfill_0024 b
    ON b.history_table = 'export_job_history' AND b.history_id = h.history_id
   SET h.chain_seq = b.seq, h.chain_prev = b.prev, h.chain_hash = b.hash;
UPDATE datacovey.api_token_history h JOIN datacovey.history_chain_backfill_0024 b
    ON b.history_table = 'api_token_history' AND b.history_id = h.history_id
   SET h.chain_seq = b.seq, h.chain_prev = b.prev, h.chain_hash = b.hash;
UPDATE datacovey.row_change_history h JOIN datacovey.history_chain_backfill_0024 b
    ON b.history_table = 'row_change_history' AND b.history_id = h.history_id
   SET h.chain_seq = b.seq, h.chain_prev = b.prev, h.chain_hash = b.hash;

INSERT INTO datacovey.history_chain_heads (tenant_id, seq, head_hash)
  SELECT b.tenant_id, b.seq, b.hash FROM datacovey.history_chain_backfill_0024 b
   WHERE b.seq = (SELECT MAX(m.seq) FROM datacovey.history_chain_backfill_0024 m WHERE m.tenant_id = b.tenant_id)
  ON DUPLICATE KEY UPDATE seq = VALUES(seq), head_hash = VALUES(head_hash);
DROP PROCEDURE datacovey.history_chain_backfill_0024;
DROP TABLE datacovey.history_chain_backfill_0024;

-- From now on every history row is chained as it is written.
CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.tenant_history_chain BEFORE INSERT ON datacovey.tenant_history FOR EACH ROW
BEGIN
  DECLARE v_seq BIGINT UNSIGNED;
  DECLARE v_prev, v_hash CHAR(64) CHARACTER SET ascii;
  CALL datacovey.dc_chain_append('tenant_history', NEW.tenant_id, NEW.entity_id, NEW.version, NEW.operation, NEW.actor_user_id,
                                 NEW.db_user, NEW.changed_at, NEW.row_image, v_seq, v_prev, v_hash);
  SET NEW.chain_seq = v_seq, NEW.chain_prev = v_prev, NEW.chain_hash = v_hash;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.user_history_chain BEFORE INSERT ON datacovey.user_history FOR EACH ROW
BEGIN
  DECLARE v_seq BIGINT UNSIGNED;
  DECLARE v_prev, v_hash CHAR(64) CHARACTER SET ascii;
  CALL datacovey.dc_chain_append('user_history', NEW.tenant_id, NEW.entity_id, NEW.version, NEW.operation, NEW.actor_user_id,
                                 NEW.db_user, NEW.changed_at, NEW.row_image, v_seq, v_prev, v_hash);
  SET NEW.chain_seq = v_seq, NEW.chain_prev = v_prev, NEW.chain_hash = v_hash;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.project_history_chain BEFORE INSERT ON datacovey.project_history FOR EACH ROW
BEGIN
  DECLARE v_seq BIGINT UNSIGNED;
  DECLARE v_prev, v_hash CHAR(64) CHARACTER SET ascii;
  CALL datacovey.dc_chain_append('project_history', NEW.tenant_id, NEW.entity_id, NEW.version, NEW.operation, NEW.actor_user_id,
                                 NEW.db_user, NEW.changed_at, NEW.row_image, v_seq, v_prev, v_hash);
  SET NEW.chain_seq = v_seq, NEW.chain_prev = v_prev, NEW.chain_hash = v_hash;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.dataset_history_chain BEFORE INSERT ON datacovey.dataset_history FOR EACH ROW
BEGIN
  DECLARE v_seq BIGINT UNSIGNED;
  DECLARE v_prev, v_hash CHAR(64) CHARACTER SET ascii;
  CALL datacovey.dc_chain_append('dataset_history', NEW.tenant_id, NEW.entity_id, NEW.version, NEW.operation, NEW.actor_user_id,
                                 NEW.db_user, NEW.changed_at, NEW.row_image, v_seq, v_prev, v_hash);
  SET NEW.chain_seq = v_seq, NEW.chain_prev = v_prev, NEW.chain_hash = v_hash;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.table_history_chain BEFORE INSERT ON datacovey.table_history FOR EACH ROW
BEGIN
  DECLARE v_seq BIGINT UNSIGNED;
  DECLARE v_prev, v_hash CHAR(64) CHARACTER SET ascii;
  CALL datacovey.dc_chain_append('table_history', NEW.tenant_id, NEW.entity_id, NEW.version, NEW.operation, NEW.actor_user_id,
                                 NEW.db_user, NEW.changed_at, NEW.row_image, v_seq, v_prev, v_hash);
  SET NEW.chain_seq = v_seq, NEW.chain_prev = v_prev, NEW.chain_hash = v_hash;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.table_column_history_chain BEFORE INSERT ON datacovey.table_column_history FOR EACH ROW
BEGIN
  DECLARE v_seq BIGINT UNSIGNED;
  DECLARE v_prev, v_hash CHAR(64) CHARACTER SET ascii;
  CALL datacovey.dc_chain_append('table_column_history', NEW.tenant_id, NEW.entity_id, NEW.version, NEW.operation, NEW.actor_user_id,
                                 NEW.db_user, NEW.changed_at, NEW.row_image, v_seq, v_prev, v_hash);
  SET NEW.chain_seq = v_seq, NEW.chain_prev = v_prev, NEW.chain_hash = v_hash;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.query_history_chain BEFORE INSERT ON datacovey.query_history FOR EACH ROW
BEGIN
  DECLARE v_seq BIGINT UNSIGNED;
  DECLARE v_prev, v_hash CHAR(64) CHARACTER SET ascii;
  CALL datacovey.dc_chain_append('query_history', NEW.tenant_id, NEW.entity_id, NEW.version, NEW.operation, NEW.actor_user_id,
                                 NEW.db_user, NEW.changed_at, NEW.row_image, v_seq, v_prev, v_hash);
  SET NEW.chain_seq = v_seq, NEW.chain_prev = v_prev, NEW.chain_hash = v_hash;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.import_job_history_chain BEFORE INSERT ON datacovey.import_job_history FOR EACH ROW
BEGIN
  DECLARE v_seq BIGINT UNSIGNED;
  DECLARE v_prev, v_hash CHAR(64) CHARACTER SET ascii;
  CALL datacovey.dc_chain_append('import_job_history', NEW.tenant_id, NEW.entity_id, NEW.version, NEW.operation, NEW.actor_user_id,
                                 NEW.db_user, NEW.changed_at, NEW.row_image, v_seq, v_prev, v_hash);
  SET NEW.chain_seq = v_seq, NEW.chain_prev = v_prev, NEW.chain_hash = v_hash;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.export_job_history_chain BEFORE INSERT ON datacovey.export_job_history FOR EACH ROW
BEGIN
  DECLARE v_seq BIGINT UNSIGNED;
  DECLARE v_prev, v_hash CHAR(64) CHARACTER SET ascii;
  CALL datacovey.dc_chain_append('export_job_history', NEW.tenant_id, NEW.entity_id, NEW.version, NEW.operation, NEW.actor_user_id,
                                 NEW.db_user, NEW.changed_at, NEW.row_image, v_seq, v_prev, v_hash);
  SET NEW.chain_seq = v_seq, NEW.chain_prev = v_prev, NEW.chain_hash = v_hash;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.api_token_history_chain BEFORE INSERT ON datacovey.api_token_history FOR EACH ROW
BEGIN
  DECLARE v_seq BIGINT UNSIGNED;
  DECLARE v_prev, v_hash CHAR(64) CHARACTER SET ascii;
  CALL datacovey.dc_chain_append('api_token_history', NEW.tenant_id, NEW.entity_id, NEW.version, NEW.operation, NEW.actor_user_id,
                                 NEW.db_user, NEW.changed_at, NEW.row_image, v_seq, v_prev, v_hash);
  SET NEW.chain_seq = v_seq, NEW.chain_prev = v_prev, NEW.chain_hash = v_hash;
END;

-- 0022's trigger, its checks kept, the link appended last (it hashes the version, time and
-- database user the trigger sets).
CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.row_change_history_bi BEFORE INSERT ON datacovey.row_change_history FOR EACH ROW
BEGIN
  DECLARE v_seq BIGINT UNSIGNED;
  DECLARE v_prev, v_hash CHAR(64) CHARACTER SET ascii;
  IF NOT EXISTS (SELECT 1 FROM datacovey.dataset_tables t WHERE t.id = NEW.entity_id AND t.tenant_id = NEW.tenant_id) THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'datacovey: the table is not the tenant''s';
  END IF;
  INSERT INTO datacovey.row_change_versions (entity_id, version) VALUES (NEW.entity_id, 1)
    ON DUPLICATE KEY UPDATE version = version + 1;
  SET NEW.version = (SELECT v.version FROM datacovey.row_change_versions v WHERE v.entity_id = NEW.entity_id);
  SET NEW.changed_at = UTC_TIMESTAMP(6), NEW.db_user = COALESCE(LEFT(SESSION_USER(), 128), '');
  CALL datacovey.dc_chain_append('row_change_history', NEW.tenant_id, NEW.entity_id, NEW.version, NEW.operation,
                                 NEW.actor_user_id, NEW.db_user, NEW.changed_at, NEW.row_image, v_seq, v_prev, v_hash);
  SET NEW.chain_seq = v_seq, NEW.chain_prev = v_prev, NEW.chain_hash = v_hash;
END;

-- Every link with the hash recomputed from the row as it is now (for the operators' verify).
CREATE OR REPLACE ALGORITHM = UNDEFINED DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey.history_chain_links AS
  SELECT 'tenant_history' AS history_table, history_id, tenant_id, chain_seq, chain_prev, chain_hash,
         datacovey.dc_chain_hash(chain_prev, 'tenant_history', chain_seq, tenant_id, entity_id, version, operation,
                                 actor_user_id, db_user, changed_at, row_image) AS computed_hash
    FROM datacovey.tenant_history
  UNION ALL
  SELECT 'user_history' AS history_table, history_id, tenant_id, chain_seq, chain_prev, chain_hash,
         datacovey.dc_chain_hash(chain_prev, 'user_history', chain_seq, tenant_id, entity_id, version, operation,
                                 actor_user_id, db_user, changed_at, row_image) AS computed_hash
    FROM datacovey.user_history
  UNION ALL
  SELECT 'project_history' AS history_table, history_id, tenant_id, chain_seq, chain_prev, chain_hash,
         datacovey.dc_chain_hash(chain_prev, 'project_history', chain_seq, tenant_id, entity_id, version, operation,
                                 actor_user_id, db_user, changed_at, row_image) AS computed_hash
    FROM datacovey.project_history
  UNION ALL
  SELECT 'dataset_history' AS history_table, history_id, tenant_id, chain_seq, chain_prev, chain_hash,
         datacovey.dc_chain_hash(chain_prev, 'dataset_history', chain_seq, tenant_id, entity_id, version, operation,
                                 actor_user_id, db_user, changed_at, row_image) AS computed_hash
    FROM datacovey.dataset_history
  UNION ALL
  SELECT 'table_history' AS history_table, history_id, tenant_id, chain_seq, chain_prev, chain_hash,
         datacovey.dc_chain_hash(chain_prev, 'table_history', chain_seq, tenant_id, entity_id, version, operation,
                                 actor_user_id, db_user, changed_at, row_image) AS computed_hash
    FROM datacovey.table_history
  UNION ALL
  SELECT 'table_column_history' AS history_table, history_id, tenant_id, chain_seq, chain_prev, chain_hash,
         datacovey.dc_chain_hash(chain_prev, 'table_column_history', chain_seq, tenant_id, entity_id, version, operation,
                                 actor_user_id, db_user, changed_at, row_image) AS computed_hash
    FROM datacovey.table_column_history
  UNION ALL
  SELECT 'query_history' AS history_table, history_id, tenant_id, chain_seq, chain_prev, chain_hash,
         datacovey.dc_chain_hash(chain_prev, 'query_history', chain_seq, tenant_id, entity_id, version, operation,
                                 actor_user_id, db_user, changed_at, row_image) AS computed_hash
    FROM datacovey.query_history
  UNION ALL
  SELECT 'import_job_history' AS history_table, history_id, tenant_id, chain_seq, chain_prev, chain_hash,
         datacovey.dc_chain_hash(chain_prev, 'import_job_history', chain_seq, tenant_id, entity_id, version, operation,
                                 actor_user_id, db_user, changed_at, row_image) AS computed_hash
    FROM datacovey.import_job_history
  UNION ALL
  SELECT 'export_job_history' AS history_table, history_id, tenant_id, chain_seq, chain_prev, chain_hash,
         datacovey.dc_chain_hash(chain_prev, 'export_job_history', chain_seq, tenant_id, entity_id, version, operation,
                                 actor_user_id, db_user, changed_at, row_image) AS computed_hash
    FROM datacovey.export_job_history
  UNION ALL
  SELECT 'api_token_history' AS history_table, history_id, tenant_id, chain_seq, chain_prev, chain_hash,
         datacovey.dc_chain_hash(chain_prev, 'api_token_history', chain_seq, tenant_id, entity_id, version, operation,
                                 actor_user_id, db_user, changed_at, row_image) AS computed_hash
    FROM datacovey.api_token_history
  UNION ALL
  SELECT 'row_change_history' AS history_table, history_id, tenant_id, chain_seq, chain_prev, chain_hash,
         datacovey.dc_chain_hash(chain_prev, 'row_change_history', chain_seq, tenant_id, entity_id, version, operation,
                                 actor_user_id, db_user, changed_at, row_image) AS computed_hash
    FROM datacovey.row_change_history;

-- The session's tenant's links and head (GET /api/v1/audit/verify), for the responder's account,
-- which reads nothing but tenant views and routines (SECURITY rule 4). Procedures, not views:
-- every view of datacovey_app is a MERGE tenant view with a cascaded check option (SECURITY
-- rule 2), and a UNION of eleven tables or a LEFT JOIN with the checkpoint can be neither. A
-- DEFINER procedure reads the tenant from the session (dc_tenant()) as the views do, and
-- answers that tenant's rows only.
CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
PROCEDURE datacovey_app.history_chain_links()
  READS SQL DATA SQL SECURITY DEFINER
  COMMENT 'The session tenant''s history chain links, each with its recomputed hash'
  SELECT history_table, history_id, chain_seq, chain_prev, chain_hash, computed_hash
    FROM datacovey.history_chain_links
   WHERE tenant_id = datacovey.dc_tenant()
   ORDER BY chain_seq, history_table, history_id;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
PROCEDURE datacovey_app.history_chain_head()
  READS SQL DATA SQL SECURITY DEFINER
  COMMENT 'The session tenant''s chain head and purge checkpoint (no row: no history yet)'
  SELECT h.seq, h.head_hash, c.seq AS checkpoint_seq, c.hash AS checkpoint_hash,
         c.kept_digest AS checkpoint_kept_digest, c.kept_links AS checkpoint_kept_links
    FROM datacovey.history_chain_heads h
    LEFT JOIN datacovey.history_chain_checkpoints c ON c.tenant_id = h.tenant_id
   WHERE h.tenant_id = datacovey.dc_tenant();

GRANT SELECT, INSERT, UPDATE ON datacovey.history_chain_heads TO 'dc_owner'@'localhost';
GRANT SELECT ON datacovey.history_chain_checkpoints TO 'dc_owner'@'localhost';
GRANT EXECUTE ON FUNCTION datacovey.dc_chain_hash TO 'dc_owner'@'localhost';
GRANT EXECUTE ON PROCEDURE datacovey.dc_chain_append TO 'dc_owner'@'localhost';
GRANT SELECT ON datacovey.history_chain_links TO 'dc_owner'@'localhost';
-- The definer needs EXECUTE on its own routines too (as for 0015's procedures).
GRANT EXECUTE ON PROCEDURE datacovey_app.history_chain_links TO 'dc_owner'@'localhost';
GRANT EXECUTE ON PROCEDURE datacovey_app.history_chain_head TO 'dc_owner'@'localhost';
GRANT EXECUTE ON PROCEDURE datacovey_app.history_chain_links TO 'dc_app'@'localhost';
GRANT EXECUTE ON PROCEDURE datacovey_app.history_chain_head TO 'dc_app'@'localhost';
