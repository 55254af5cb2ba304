-- DataCovey 0022: the audit of changes to a table's rows (issue 15).
--
-- The metadata has history tables written by triggers (0003); a table's rows change by the
-- rows API (insert, update, delete, restore) on the data account (dc_data), in the data
-- databases. Each such change leaves one row here: who, which table, how many rows, and what
-- selected them (the filter or key, or the instant restored), as `row_image` JSON. The rows'
-- own versions are kept by system versioning on the data tables; this is who did what.
--
-- Why these choices:
-- * Same shape as every other history table (history_id, tenant_id, entity_id = the table's
--   id, version = the table's change number, operation, actor, db_user, changed_at,
--   row_image), so the audit log merges it like the others and the history chain covers it.
-- * Written by dc_data in the transaction that changes the rows: a change is recorded if and
--   only if it commits. That is dc_data's one right outside the data databases (INSERT here,
--   nothing else); the BEFORE INSERT trigger (DEFINER dc_owner) refuses an entry whose table
--   is not the entry's tenant's, and sets the version, time and database user itself, so an
--   entry cannot claim another tenant or another time.
-- * The version is the table's next change number, counted in row_change_versions: the
--   trigger's INSERT … ON DUPLICATE KEY UPDATE locks the table's counter row, so two writers of
--   one table take turns instead of colliding on the unique key. (A trigger may not take a
--   locking read of its own table: error 1442; and a plain MAX() would read the transaction's
--   snapshot, not the latest version.)
-- * Read by tenants through the tenant view datacovey_app.row_change_history.
SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';

CREATE TABLE IF NOT EXISTS datacovey.row_change_history (
  history_id    BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id     BIGINT       NOT NULL,
  entity_id     BIGINT       NOT NULL,
  version       INT UNSIGNED NOT NULL,
  operation     ENUM('insert','update','delete','restore') NOT NULL,
  actor_user_id BIGINT       NULL,
  db_user       VARCHAR(128) NOT NULL,
  changed_at    DATETIME(6)  NOT NULL,
  row_image     JSON         NOT NULL,
  PRIMARY KEY (history_id),
  UNIQUE KEY uq_row_change_history_entity_version (entity_id, version),
  KEY ix_row_change_history_tenant_changed (tenant_id, changed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Changes to the rows of data tables, one per statement of the rows API';

CREATE TABLE IF NOT EXISTS datacovey.row_change_versions (
  entity_id BIGINT       NOT NULL,
  version   INT UNSIGNED NOT NULL,
  PRIMARY KEY (entity_id)
) ENGINE=InnoDB COMMENT='The last row_change_history version of each table';

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.row_change_history_bi BEFORE INSERT ON datacovey.row_change_history FOR EACH ROW
BEGIN
  IF NOT EXISTS (SELECT 1 FROM datacovey.dataset_tables t WHERE t.id = NEW.entity_id AND t.tenant_id = NEW.tenant_id) THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'datacovey: the table is not the tenant''s';
  END IF;
  INSERT INTO datacovey.row_change_versions (entity_id, version) VALUES (NEW.entity_id, 1)
    ON DUPLICATE KEY UPDATE version = version + 1;
  SET NEW.version = (SELECT v.version FROM datacovey.row_change_versions v WHERE v.entity_id = NEW.entity_id);
  SET NEW.changed_at = UTC_TIMESTAMP(6), NEW.db_user = COALESCE(LEFT(SESSION_USER(), 128), '');
END;

-- History is never changed: no UPDATE or DELETE by anyone but the operators' maintenance.
CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.row_change_history AS
  SELECT history_id, tenant_id, entity_id, version, operation,
         actor_user_id, db_user, changed_at, row_image
  FROM datacovey.row_change_history
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;

GRANT SELECT, INSERT ON datacovey.row_change_history TO 'dc_owner'@'localhost';
GRANT SELECT, INSERT, UPDATE ON datacovey.row_change_versions TO 'dc_owner'@'localhost';
GRANT SELECT ON datacovey.dataset_tables TO 'dc_owner'@'localhost';
GRANT INSERT ON datacovey.row_change_history TO 'dc_data'@'localhost';
GRANT SELECT ON datacovey_app.row_change_history TO 'dc_app'@'localhost';
