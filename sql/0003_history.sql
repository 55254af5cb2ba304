-- 0003_history.sql
-- Versions and history for every tracked table, written by triggers on the
-- base tables, so no code path (responder, worker, operator, a bug) can change
-- a row without leaving its version (DESIGN.md section 4).
-- GENERATED from the column lists of 0001 so that every row image and every
-- change check names every column; when a column is added to a base table,
-- add it to the JSON_OBJECT of that table's three AFTER triggers (and to the
-- heartbeat comparison of import_jobs/export_jobs) in a later migration.
--
-- Per tracked table T with history table H:
--   T_bi  BEFORE INSERT  created_at = updated_at = UTC_TIMESTAMP(6); version = 1
--                        (an INSERT with an explicit id - a restore of a
--                        deleted entity - continues at MAX(H.version) + 1, and
--                        is refused if that id's history is another tenant's)
--   T_bu  BEFORE UPDATE  created_at kept; updated_at = now; version = OLD + 1
--   T_ai  AFTER INSERT   H row: 'insert', version, NEW image
--   T_au  AFTER UPDATE   refuses a change of id/tenant_id; H row: 'update'
--   T_ad  AFTER DELETE   refuses deleting another tenant's row while
--                        @dc_tenant is set; H row: 'delete', version
--                        OLD.version + 1, OLD image
-- So create, two updates and a delete give versions 1, 2, 3, 4.
--
-- Why these choices:
-- * DEFINER dc_owner (created in 0001, locked): triggers run with its
--   privileges, so the responder needs no right on history tables. SECURITY
--   rule 6: the definer needs TRIGGER/SELECT on the subject and INSERT on the
--   history table, and a dropped definer makes every write fail (1449).
-- * actor_user_id = dc_actor() (@dc_user); NULL when no acting user is set -
--   the write still succeeds and is recorded (worker, operator, migration).
-- * db_user = SESSION_USER(), never CURRENT_USER(): inside a DEFINER trigger
--   CURRENT_USER() is dc_owner (SECURITY rule 3). LEFT(..., 128) so an odd
--   long host name can never make a legitimate write fail.
-- * row_image = the full row as JSON (JSON columns embed as JSON, not as
--   strings). It is what a restore writes back.
-- * The id/tenant_id guard sits in AFTER UPDATE, not BEFORE UPDATE: through a
--   view, WITH CHECK OPTION is checked after BEFORE triggers and before AFTER
--   triggers, so a tenant move through a view still fails with 1369 (SECURITY
--   rule 2), and a move by dc_ops fails with 45000 (1644). The statement is
--   rolled back either way.
-- * The delete guard closes a hole of MariaDB views: REPLACE through a view
--   checks the NEW row against WITH CHECK OPTION but deletes the row it
--   conflicts with unchecked. Measured on 10.11: as dc_app with @dc_tenant=5,
--   `REPLACE INTO datacovey_app.users (...)` with tenant 6's auth0_sub
--   deleted tenant 6's user. Any unique key that does not start with
--   tenant_id (PRIMARY KEY, users.auth0_sub, datasets.data_database) is such
--   a path. So: while a session is scoped to a tenant, it may delete only
--   that tenant's rows; with @dc_tenant unset (operators, worker) the guard
--   is off. INSERT ... ON DUPLICATE KEY UPDATE needs no guard: its update is
--   checked against the view (1369).
-- * Heartbeats: on import_jobs and export_jobs an UPDATE that changes ONLY
--   progress/lease columns (bytes_read, rows_loaded, rows_rejected,
--   bytes_written, rows_exported, percent, lease_owner, lease_expires_at)
--   keeps the version and writes no history - a heartbeat every second would
--   flood history. updated_at still moves (it shows progress is alive); the
--   version (ETag) does not. Compared NULL-safely (<=>).
-- * Changes through ON DELETE/UPDATE CASCADE would bypass these triggers; the
--   FKs of 0001 are RESTRICT for that reason.
-- * UTC_TIMESTAMP(6) is fixed at statement start, so updated_at and
--   changed_at of one statement are equal whatever the session time zone.
-- * CREATE OR REPLACE TRIGGER: re-runnable and atomic per trigger.
-- * query_runs is a log itself: version/timestamps and the id and delete
--   guards, no history table.

-- Pin the session: triggers and routines keep the sql_mode they were created
-- under (strict, so a bad value fails instead of being truncated), and the
-- string literals below assume backslash escapes and utf8mb4, whatever the
-- runner's connection defaults are.
SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';

-- ---------------------------------------------------------------------------
-- History tables. No FK to the entity: history outlives deletes.

CREATE TABLE IF NOT EXISTS datacovey.tenant_history (
  history_id    BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id     BIGINT       NOT NULL,
  entity_id     BIGINT       NOT NULL,
  version       INT UNSIGNED NOT NULL,
  operation     ENUM('insert','update','delete') NOT NULL,
  actor_user_id BIGINT       NULL,
  db_user       VARCHAR(128) NOT NULL,
  changed_at    DATETIME(6)  NOT NULL,
  row_image     JSON         NOT NULL,
  PRIMARY KEY (history_id),
  UNIQUE KEY uq_tenant_history_entity_version (entity_id, version),
  KEY ix_tenant_history_tenant_changed (tenant_id, changed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Versions of datacovey.tenants; written only by its triggers';

CREATE TABLE IF NOT EXISTS datacovey.user_history (
  history_id    BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id     BIGINT       NOT NULL,
  entity_id     BIGINT       NOT NULL,
  version       INT UNSIGNED NOT NULL,
  operation     ENUM('insert','update','delete') NOT NULL,
  actor_user_id BIGINT       NULL,
  db_user       VARCHAR(128) NOT NULL,
  changed_at    DATETIME(6)  NOT NULL,
  row_image     JSON         NOT NULL,
  PRIMARY KEY (history_id),
  UNIQUE KEY uq_user_history_entity_version (entity_id, version),
  KEY ix_user_history_tenant_changed (tenant_id, changed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Versions of datacovey.users; written only by its triggers';

CREATE TABLE IF NOT EXISTS datacovey.project_history (
  history_id    BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id     BIGINT       NOT NULL,
  entity_id     BIGINT       NOT NULL,
  version       INT UNSIGNED NOT NULL,
  operation     ENUM('insert','update','delete') NOT NULL,
  actor_user_id BIGINT       NULL,
  db_user       VARCHAR(128) NOT NULL,
  changed_at    DATETIME(6)  NOT NULL,
  row_image     JSON         NOT NULL,
  PRIMARY KEY (history_id),
  UNIQUE KEY uq_project_history_entity_version (entity_id, version),
  KEY ix_project_history_tenant_changed (tenant_id, changed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Versions of datacovey.projects; written only by its triggers';

CREATE TABLE IF NOT EXISTS datacovey.dataset_history (
  history_id    BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id     BIGINT       NOT NULL,
  entity_id     BIGINT       NOT NULL,
  version       INT UNSIGNED NOT NULL,
  operation     ENUM('insert','update','delete') NOT NULL,
  actor_user_id BIGINT       NULL,
  db_user       VARCHAR(128) NOT NULL,
  changed_at    DATETIME(6)  NOT NULL,
  row_image     JSON         NOT NULL,
  PRIMARY KEY (history_id),
  UNIQUE KEY uq_dataset_history_entity_version (entity_id, version),
  KEY ix_dataset_history_tenant_changed (tenant_id, changed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Versions of datacovey.datasets; written only by its triggers';

CREATE TABLE IF NOT EXISTS datacovey.table_history (
  history_id    BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id     BIGINT       NOT NULL,
  entity_id     BIGINT       NOT NULL,
  version       INT UNSIGNED NOT NULL,
  operation     ENUM('insert','update','delete') NOT NULL,
  actor_user_id BIGINT       NULL,
  db_user       VARCHAR(128) NOT NULL,
  changed_at    DATETIME(6)  NOT NULL,
  row_image     JSON         NOT NULL,
  PRIMARY KEY (history_id),
  UNIQUE KEY uq_table_history_entity_version (entity_id, version),
  KEY ix_table_history_tenant_changed (tenant_id, changed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Versions of datacovey.dataset_tables; written only by its triggers';

CREATE TABLE IF NOT EXISTS datacovey.table_column_history (
  history_id    BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id     BIGINT       NOT NULL,
  entity_id     BIGINT       NOT NULL,
  version       INT UNSIGNED NOT NULL,
  operation     ENUM('insert','update','delete') NOT NULL,
  actor_user_id BIGINT       NULL,
  db_user       VARCHAR(128) NOT NULL,
  changed_at    DATETIME(6)  NOT NULL,
  row_image     JSON         NOT NULL,
  PRIMARY KEY (history_id),
  UNIQUE KEY uq_table_column_history_entity_version (entity_id, version),
  KEY ix_table_column_history_tenant_changed (tenant_id, changed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Versions of datacovey.table_columns; written only by its triggers';

CREATE TABLE IF NOT EXISTS datacovey.query_history (
  history_id    BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id     BIGINT       NOT NULL,
  entity_id     BIGINT       NOT NULL,
  version       INT UNSIGNED NOT NULL,
  operation     ENUM('insert','update','delete') NOT NULL,
  actor_user_id BIGINT       NULL,
  db_user       VARCHAR(128) NOT NULL,
  changed_at    DATETIME(6)  NOT NULL,
  row_image     JSON         NOT NULL,
  PRIMARY KEY (history_id),
  UNIQUE KEY uq_query_history_entity_version (entity_id, version),
  KEY ix_query_history_tenant_changed (tenant_id, changed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Versions of datacovey.queries; written only by its triggers';

CREATE TABLE IF NOT EXISTS datacovey.import_job_history (
  history_id    BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id     BIGINT       NOT NULL,
  entity_id     BIGINT       NOT NULL,
  version       INT UNSIGNED NOT NULL,
  operation     ENUM('insert','update','delete') NOT NULL,
  actor_user_id BIGINT       NULL,
  db_user       VARCHAR(128) NOT NULL,
  changed_at    DATETIME(6)  NOT NULL,
  row_image     JSON         NOT NULL,
  PRIMARY KEY (history_id),
  UNIQUE KEY uq_import_job_history_entity_version (entity_id, version),
  KEY ix_import_job_history_tenant_changed (tenant_id, changed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Versions of datacovey.import_jobs; written only by its triggers';

CREATE TABLE IF NOT EXISTS datacovey.export_job_history (
  history_id    BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id     BIGINT       NOT NULL,
  entity_id     BIGINT       NOT NULL,
  version       INT UNSIGNED NOT NULL,
  operation     ENUM('insert','update','delete') NOT NULL,
  actor_user_id BIGINT       NULL,
  db_user       VARCHAR(128) NOT NULL,
  changed_at    DATETIME(6)  NOT NULL,
  row_image     JSON         NOT NULL,
  PRIMARY KEY (history_id),
  UNIQUE KEY uq_export_job_history_entity_version (entity_id, version),
  KEY ix_export_job_history_tenant_changed (tenant_id, changed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Versions of datacovey.export_jobs; written only by its triggers';

-- ---------------------------------------------------------------------------
-- tenants -> tenant_history

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.tenants_bi BEFORE INSERT ON datacovey.tenants FOR EACH ROW
BEGIN
  SET NEW.created_at = UTC_TIMESTAMP(6), NEW.updated_at = UTC_TIMESTAMP(6);
  IF NEW.id > 0 THEN
    -- Explicit id: a restore re-inserting a deleted entity continues its
    -- version sequence (UNIQUE (entity_id, version) would refuse 1 again).
    SET NEW.version = COALESCE(
      (SELECT MAX(h.version) FROM datacovey.tenant_history h WHERE h.entity_id = NEW.id), 0) + 1;
  ELSE
    SET NEW.version = 1;
  END IF;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.tenants_bu BEFORE UPDATE ON datacovey.tenants FOR EACH ROW
BEGIN
  SET NEW.created_at = OLD.created_at, NEW.updated_at = UTC_TIMESTAMP(6);
  SET NEW.version = OLD.version + 1;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.tenants_ai AFTER INSERT ON datacovey.tenants FOR EACH ROW
BEGIN
  INSERT INTO datacovey.tenant_history
    (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
  VALUES (NEW.id, NEW.id, NEW.version, 'insert', datacovey.dc_actor(),
    COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
    JSON_OBJECT(
      'id', NEW.id, 'name', NEW.name, 'display_name', NEW.display_name,
      'disabled', NEW.disabled, 'version', NEW.version,
      'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.tenants_au AFTER UPDATE ON datacovey.tenants FOR EACH ROW
BEGIN
  IF NOT (NEW.id <=> OLD.id) THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'datacovey: id cannot change';
  END IF;
  IF NEW.version <> OLD.version THEN
    INSERT INTO datacovey.tenant_history
      (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
    VALUES (NEW.id, NEW.id, NEW.version, 'update', datacovey.dc_actor(),
      COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
      JSON_OBJECT(
        'id', NEW.id, 'name', NEW.name, 'display_name', NEW.display_name,
        'disabled', NEW.disabled, 'version', NEW.version,
        'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
  END IF;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.tenants_ad AFTER DELETE ON datacovey.tenants FOR EACH ROW
BEGIN
  INSERT INTO datacovey.tenant_history
    (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
  VALUES (OLD.id, OLD.id, OLD.version + 1, 'delete', datacovey.dc_actor(),
    COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
    JSON_OBJECT(
      'id', OLD.id, 'name', OLD.name, 'display_name', OLD.display_name,
      'disabled', OLD.disabled, 'version', OLD.version,
      'created_at', OLD.created_at, 'updated_at', OLD.updated_at));
END;

-- ---------------------------------------------------------------------------
-- users -> user_history

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.users_bi BEFORE INSERT ON datacovey.users FOR EACH ROW
BEGIN
  SET NEW.created_at = UTC_TIMESTAMP(6), NEW.updated_at = UTC_TIMESTAMP(6);
  IF NEW.id > 0 THEN
    -- Explicit id: a restore re-inserting a deleted entity continues its
    -- version sequence (UNIQUE (entity_id, version) would refuse 1 again).
    IF (SELECT h.tenant_id FROM datacovey.user_history h WHERE h.entity_id = NEW.id
        ORDER BY h.version DESC LIMIT 1) <> NEW.tenant_id THEN
      SIGNAL SQLSTATE '45000'
        SET MESSAGE_TEXT = 'datacovey: id belongs to another tenant';
    END IF;
    SET NEW.version = COALESCE(
      (SELECT MAX(h.version) FROM datacovey.user_history h WHERE h.entity_id = NEW.id), 0) + 1;
  ELSE
    SET NEW.version = 1;
  END IF;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.users_bu BEFORE UPDATE ON datacovey.users FOR EACH ROW
BEGIN
  SET NEW.created_at = OLD.created_at, NEW.updated_at = UTC_TIMESTAMP(6);
  SET NEW.version = OLD.version + 1;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.users_ai AFTER INSERT ON datacovey.users FOR EACH ROW
BEGIN
  INSERT INTO datacovey.user_history
    (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
  VALUES (NEW.tenant_id, NEW.id, NEW.version, 'insert', datacovey.dc_actor(),
    COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
    JSON_OBJECT(
      'id', NEW.id, 'tenant_id', NEW.tenant_id, 'auth0_sub', NEW.auth0_sub,
      'email', NEW.email, 'name', NEW.name, 'role', NEW.role,
      'disabled', NEW.disabled, 'version', NEW.version,
      'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.users_au AFTER UPDATE ON datacovey.users FOR EACH ROW
BEGIN
  IF NOT (NEW.id <=> OLD.id AND NEW.tenant_id <=> OLD.tenant_id) THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'datacovey: id and tenant_id cannot change';
  END IF;
  IF NEW.version <> OLD.version THEN
    INSERT INTO datacovey.user_history
      (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
    VALUES (NEW.tenant_id, NEW.id, NEW.version, 'update', datacovey.dc_actor(),
      COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
      JSON_OBJECT(
        'id', NEW.id, 'tenant_id', NEW.tenant_id,
        'auth0_sub', NEW.auth0_sub, 'email', NEW.email, 'name', NEW.name,
        'role', NEW.role, 'disabled', NEW.disabled, 'version', NEW.version,
        'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
  END IF;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.users_ad AFTER DELETE ON datacovey.users FOR EACH ROW
BEGIN
  -- REPLACE through a view deletes the conflicting row unchecked (see header).
  IF OLD.tenant_id <> datacovey.dc_tenant() THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'datacovey: row belongs to another tenant';
  END IF;
  INSERT INTO datacovey.user_history
    (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
  VALUES (OLD.tenant_id, OLD.id, OLD.version + 1, 'delete', datacovey.dc_actor(),
    COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
    JSON_OBJECT(
      'id', OLD.id, 'tenant_id', OLD.tenant_id, 'auth0_sub', OLD.auth0_sub,
      'email', OLD.email, 'name', OLD.name, 'role', OLD.role,
      'disabled', OLD.disabled, 'version', OLD.version,
      'created_at', OLD.created_at, 'updated_at', OLD.updated_at));
END;

-- ---------------------------------------------------------------------------
-- projects -> project_history

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.projects_bi BEFORE INSERT ON datacovey.projects FOR EACH ROW
BEGIN
  SET NEW.created_at = UTC_TIMESTAMP(6), NEW.updated_at = UTC_TIMESTAMP(6);
  IF NEW.id > 0 THEN
    -- Explicit id: a restore re-inserting a deleted entity continues its
    -- version sequence (UNIQUE (entity_id, version) would refuse 1 again).
    IF (SELECT h.tenant_id FROM datacovey.project_history h WHERE h.entity_id = NEW.id
        ORDER BY h.version DESC LIMIT 1) <> NEW.tenant_id THEN
      SIGNAL SQLSTATE '45000'
        SET MESSAGE_TEXT = 'datacovey: id belongs to another tenant';
    END IF;
    SET NEW.version = COALESCE(
      (SELECT MAX(h.version) FROM datacovey.project_history h WHERE h.entity_id = NEW.id), 0) + 1;
  ELSE
    SET NEW.version = 1;
  END IF;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.projects_bu BEFORE UPDATE ON datacovey.projects FOR EACH ROW
BEGIN
  SET NEW.created_at = OLD.created_at, NEW.updated_at = UTC_TIMESTAMP(6);
  SET NEW.version = OLD.version + 1;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.projects_ai AFTER INSERT ON datacovey.projects FOR EACH ROW
BEGIN
  INSERT INTO datacovey.project_history
    (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
  VALUES (NEW.tenant_id, NEW.id, NEW.version, 'insert', datacovey.dc_actor(),
    COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
    JSON_OBJECT(
      'id', NEW.id, 'tenant_id', NEW.tenant_id, 'name', NEW.name,
      'description', NEW.description, 'created_by', NEW.created_by,
      'version', NEW.version, 'created_at', NEW.created_at,
      'updated_at', NEW.updated_at));
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.projects_au AFTER UPDATE ON datacovey.projects FOR EACH ROW
BEGIN
  IF NOT (NEW.id <=> OLD.id AND NEW.tenant_id <=> OLD.tenant_id) THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'datacovey: id and tenant_id cannot change';
  END IF;
  IF NEW.version <> OLD.version THEN
    INSERT INTO datacovey.project_history
      (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
    VALUES (NEW.tenant_id, NEW.id, NEW.version, 'update', datacovey.dc_actor(),
      COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
      JSON_OBJECT(
        'id', NEW.id, 'tenant_id', NEW.tenant_id, 'name', NEW.name,
        'description', NEW.description, 'created_by', NEW.created_by,
        'version', NEW.version, 'created_at', NEW.created_at,
        'updated_at', NEW.updated_at));
  END IF;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.projects_ad AFTER DELETE ON datacovey.projects FOR EACH ROW
BEGIN
  -- REPLACE through a view deletes the conflicting row unchecked (see header).
  IF OLD.tenant_id <> datacovey.dc_tenant() THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'datacovey: row belongs to another tenant';
  END IF;
  INSERT INTO datacovey.project_history
    (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
  VALUES (OLD.tenant_id, OLD.id, OLD.version + 1, 'delete', datacovey.dc_actor(),
    COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
    JSON_OBJECT(
      'id', OLD.id, 'tenant_id', OLD.tenant_id, 'name', OLD.name,
      'description', OLD.description, 'created_by', OLD.created_by,
      'version', OLD.version, 'created_at', OLD.created_at,
      'updated_at', OLD.updated_at));
END;

-- ---------------------------------------------------------------------------
-- datasets -> dataset_history

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.datasets_bi BEFORE INSERT ON datacovey.datasets FOR EACH ROW
BEGIN
  SET NEW.created_at = UTC_TIMESTAMP(6), NEW.updated_at = UTC_TIMESTAMP(6);
  IF NEW.id > 0 THEN
    -- Explicit id: a restore re-inserting a deleted entity continues its
    -- version sequence (UNIQUE (entity_id, version) would refuse 1 again).
    IF (SELECT h.tenant_id FROM datacovey.dataset_history h WHERE h.entity_id = NEW.id
        ORDER BY h.version DESC LIMIT 1) <> NEW.tenant_id THEN
      SIGNAL SQLSTATE '45000'
        SET MESSAGE_TEXT = 'datacovey: id belongs to another tenant';
    END IF;
    SET NEW.version = COALESCE(
      (SELECT MAX(h.version) FROM datacovey.dataset_history h WHERE h.entity_id = NEW.id), 0) + 1;
  ELSE
    SET NEW.version = 1;
  END IF;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.datasets_bu BEFORE UPDATE ON datacovey.datasets FOR EACH ROW
BEGIN
  SET NEW.created_at = OLD.created_at, NEW.updated_at = UTC_TIMESTAMP(6);
  SET NEW.version = OLD.version + 1;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.datasets_ai AFTER INSERT ON datacovey.datasets FOR EACH ROW
BEGIN
  INSERT INTO datacovey.dataset_history
    (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
  VALUES (NEW.tenant_id, NEW.id, NEW.version, 'insert', datacovey.dc_actor(),
    COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
    JSON_OBJECT(
      'id', NEW.id, 'tenant_id', NEW.tenant_id,
      'project_id', NEW.project_id, 'name', NEW.name,
      'description', NEW.description, 'data_database', NEW.data_database,
      'created_by', NEW.created_by, 'version', NEW.version,
      'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.datasets_au AFTER UPDATE ON datacovey.datasets FOR EACH ROW
BEGIN
  IF NOT (NEW.id <=> OLD.id AND NEW.tenant_id <=> OLD.tenant_id) THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'datacovey: id and tenant_id cannot change';
  END IF;
  IF NEW.version <> OLD.version THEN
    INSERT INTO datacovey.dataset_history
      (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
    VALUES (NEW.tenant_id, NEW.id, NEW.version, 'update', datacovey.dc_actor(),
      COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
      JSON_OBJECT(
        'id', NEW.id, 'tenant_id', NEW.tenant_id,
        'project_id', NEW.project_id, 'name', NEW.name,
        'description', NEW.description, 'data_database', NEW.data_database,
        'created_by', NEW.created_by, 'version', NEW.version,
        'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
  END IF;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.datasets_ad AFTER DELETE ON datacovey.datasets FOR EACH ROW
BEGIN
  -- REPLACE through a view deletes the conflicting row unchecked (see header).
  IF OLD.tenant_id <> datacovey.dc_tenant() THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'datacovey: row belongs to another tenant';
  END IF;
  INSERT INTO datacovey.dataset_history
    (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
  VALUES (OLD.tenant_id, OLD.id, OLD.version + 1, 'delete', datacovey.dc_actor(),
    COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
    JSON_OBJECT(
      'id', OLD.id, 'tenant_id', OLD.tenant_id,
      'project_id', OLD.project_id, 'name', OLD.name,
      'description', OLD.description, 'data_database', OLD.data_database,
      'created_by', OLD.created_by, 'version', OLD.version,
      'created_at', OLD.created_at, 'updated_at', OLD.updated_at));
END;

-- ---------------------------------------------------------------------------
-- dataset_tables -> table_history

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.dataset_tables_bi BEFORE INSERT ON datacovey.dataset_tables FOR EACH ROW
BEGIN
  SET NEW.created_at = UTC_TIMESTAMP(6), NEW.updated_at = UTC_TIMESTAMP(6);
  IF NEW.id > 0 THEN
    -- Explicit id: a restore re-inserting a deleted entity continues its
    -- version sequence (UNIQUE (entity_id, version) would refuse 1 again).
    IF (SELECT h.tenant_id FROM datacovey.table_history h WHERE h.entity_id = NEW.id
        ORDER BY h.version DESC LIMIT 1) <> NEW.tenant_id THEN
      SIGNAL SQLSTATE '45000'
        SET MESSAGE_TEXT = 'datacovey: id belongs to another tenant';
    END IF;
    SET NEW.version = COALESCE(
      (SELECT MAX(h.version) FROM datacovey.table_history h WHERE h.entity_id = NEW.id), 0) + 1;
  ELSE
    SET NEW.version = 1;
  END IF;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.dataset_tables_bu BEFORE UPDATE ON datacovey.dataset_tables FOR EACH ROW
BEGIN
  SET NEW.created_at = OLD.created_at, NEW.updated_at = UTC_TIMESTAMP(6);
  SET NEW.version = OLD.version + 1;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.dataset_tables_ai AFTER INSERT ON datacovey.dataset_tables FOR EACH ROW
BEGIN
  INSERT INTO datacovey.table_history
    (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
  VALUES (NEW.tenant_id, NEW.id, NEW.version, 'insert', datacovey.dc_actor(),
    COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
    JSON_OBJECT(
      'id', NEW.id, 'tenant_id', NEW.tenant_id,
      'dataset_id', NEW.dataset_id, 'name', NEW.name,
      'description', NEW.description, 'physical_name', NEW.physical_name,
      'autodetect', NEW.autodetect, 'created_by', NEW.created_by,
      'version', NEW.version, 'created_at', NEW.created_at,
      'updated_at', NEW.updated_at));
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.dataset_tables_au AFTER UPDATE ON datacovey.dataset_tables FOR EACH ROW
BEGIN
  IF NOT (NEW.id <=> OLD.id AND NEW.tenant_id <=> OLD.tenant_id) THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'datacovey: id and tenant_id cannot change';
  END IF;
  IF NEW.version <> OLD.version THEN
    INSERT INTO datacovey.table_history
      (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
    VALUES (NEW.tenant_id, NEW.id, NEW.version, 'update', datacovey.dc_actor(),
      COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
      JSON_OBJECT(
        'id', NEW.id, 'tenant_id', NEW.tenant_id,
        'dataset_id', NEW.dataset_id, 'name', NEW.name,
        'description', NEW.description, 'physical_name', NEW.physical_name,
        'autodetect', NEW.autodetect, 'created_by', NEW.created_by,
        'version', NEW.version, 'created_at', NEW.created_at,
        'updated_at', NEW.updated_at));
  END IF;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.dataset_tables_ad AFTER DELETE ON datacovey.dataset_tables FOR EACH ROW
BEGIN
  -- REPLACE through a view deletes the conflicting row unchecked (see header).
  IF OLD.tenant_id <> datacovey.dc_tenant() THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'datacovey: row belongs to another tenant';
  END IF;
  INSERT INTO datacovey.table_history
    (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
  VALUES (OLD.tenant_id, OLD.id, OLD.version + 1, 'delete', datacovey.dc_actor(),
    COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
    JSON_OBJECT(
      'id', OLD.id, 'tenant_id', OLD.tenant_id,
      'dataset_id', OLD.dataset_id, 'name', OLD.name,
      'description', OLD.description, 'physical_name', OLD.physical_name,
      'autodetect', OLD.autodetect, 'created_by', OLD.created_by,
      'version', OLD.version, 'created_at', OLD.created_at,
      'updated_at', OLD.updated_at));
END;

-- ---------------------------------------------------------------------------
-- table_columns -> table_column_history

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.table_columns_bi BEFORE INSERT ON datacovey.table_columns FOR EACH ROW
BEGIN
  SET NEW.created_at = UTC_TIMESTAMP(6), NEW.updated_at = UTC_TIMESTAMP(6);
  IF NEW.id > 0 THEN
    -- Explicit id: a restore re-inserting a deleted entity continues its
    -- version sequence (UNIQUE (entity_id, version) would refuse 1 again).
    IF (SELECT h.tenant_id FROM datacovey.table_column_history h WHERE h.entity_id = NEW.id
        ORDER BY h.version DESC LIMIT 1) <> NEW.tenant_id THEN
      SIGNAL SQLSTATE '45000'
        SET MESSAGE_TEXT = 'datacovey: id belongs to another tenant';
    END IF;
    SET NEW.version = COALESCE(
      (SELECT MAX(h.version) FROM datacovey.table_column_history h WHERE h.entity_id = NEW.id), 0) + 1;
  ELSE
    SET NEW.version = 1;
  END IF;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.table_columns_bu BEFORE UPDATE ON datacovey.table_columns FOR EACH ROW
BEGIN
  SET NEW.created_at = OLD.created_at, NEW.updated_at = UTC_TIMESTAMP(6);
  SET NEW.version = OLD.version + 1;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.table_columns_ai AFTER INSERT ON datacovey.table_columns FOR EACH ROW
BEGIN
  INSERT INTO datacovey.table_column_history
    (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
  VALUES (NEW.tenant_id, NEW.id, NEW.version, 'insert', datacovey.dc_actor(),
    COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
    JSON_OBJECT(
      'id', NEW.id, 'tenant_id', NEW.tenant_id, 'table_id', NEW.table_id,
      'position', NEW.position, 'name', NEW.name, 'type', NEW.type,
      'nullable', NEW.nullable, 'default_value', NEW.default_value,
      'is_primary_key', NEW.is_primary_key, 'version', NEW.version,
      'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.table_columns_au AFTER UPDATE ON datacovey.table_columns FOR EACH ROW
BEGIN
  IF NOT (NEW.id <=> OLD.id AND NEW.tenant_id <=> OLD.tenant_id) THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'datacovey: id and tenant_id cannot change';
  END IF;
  IF NEW.version <> OLD.version THEN
    INSERT INTO datacovey.table_column_history
      (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
    VALUES (NEW.tenant_id, NEW.id, NEW.version, 'update', datacovey.dc_actor(),
      COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
      JSON_OBJECT(
        'id', NEW.id, 'tenant_id', NEW.tenant_id, 'table_id', NEW.table_id,
        'position', NEW.position, 'name', NEW.name, 'type', NEW.type,
        'nullable', NEW.nullable, 'default_value', NEW.default_value,
        'is_primary_key', NEW.is_primary_key, 'version', NEW.version,
        'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
  END IF;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.table_columns_ad AFTER DELETE ON datacovey.table_columns FOR EACH ROW
BEGIN
  -- REPLACE through a view deletes the conflicting row unchecked (see header).
  IF OLD.tenant_id <> datacovey.dc_tenant() THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'datacovey: row belongs to another tenant';
  END IF;
  INSERT INTO datacovey.table_column_history
    (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
  VALUES (OLD.tenant_id, OLD.id, OLD.version + 1, 'delete', datacovey.dc_actor(),
    COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
    JSON_OBJECT(
      'id', OLD.id, 'tenant_id', OLD.tenant_id, 'table_id', OLD.table_id,
      'position', OLD.position, 'name', OLD.name, 'type', OLD.type,
      'nullable', OLD.nullable, 'default_value', OLD.default_value,
      'is_primary_key', OLD.is_primary_key, 'version', OLD.version,
      'created_at', OLD.created_at, 'updated_at', OLD.updated_at));
END;

-- ---------------------------------------------------------------------------
-- queries -> query_history

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.queries_bi BEFORE INSERT ON datacovey.queries FOR EACH ROW
BEGIN
  SET NEW.created_at = UTC_TIMESTAMP(6), NEW.updated_at = UTC_TIMESTAMP(6);
  IF NEW.id > 0 THEN
    -- Explicit id: a restore re-inserting a deleted entity continues its
    -- version sequence (UNIQUE (entity_id, version) would refuse 1 again).
    IF (SELECT h.tenant_id FROM datacovey.query_history h WHERE h.entity_id = NEW.id
        ORDER BY h.version DESC LIMIT 1) <> NEW.tenant_id THEN
      SIGNAL SQLSTATE '45000'
        SET MESSAGE_TEXT = 'datacovey: id belongs to another tenant';
    END IF;
    SET NEW.version = COALESCE(
      (SELECT MAX(h.version) FROM datacovey.query_history h WHERE h.entity_id = NEW.id), 0) + 1;
  ELSE
    SET NEW.version = 1;
  END IF;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.queries_bu BEFORE UPDATE ON datacovey.queries FOR EACH ROW
BEGIN
  SET NEW.created_at = OLD.created_at, NEW.updated_at = UTC_TIMESTAMP(6);
  SET NEW.version = OLD.version + 1;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.queries_ai AFTER INSERT ON datacovey.queries FOR EACH ROW
BEGIN
  INSERT INTO datacovey.query_history
    (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
  VALUES (NEW.tenant_id, NEW.id, NEW.version, 'insert', datacovey.dc_actor(),
    COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
    JSON_OBJECT(
      'id', NEW.id, 'tenant_id', NEW.tenant_id,
      'project_id', NEW.project_id, 'name', NEW.name,
      'description', NEW.description, 'sql_text', NEW.sql_text,
      'parameters', NEW.parameters, 'created_by', NEW.created_by,
      'version', NEW.version, 'created_at', NEW.created_at,
      'updated_at', NEW.updated_at));
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.queries_au AFTER UPDATE ON datacovey.queries FOR EACH ROW
BEGIN
  IF NOT (NEW.id <=> OLD.id AND NEW.tenant_id <=> OLD.tenant_id) THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'datacovey: id and tenant_id cannot change';
  END IF;
  IF NEW.version <> OLD.version THEN
    INSERT INTO datacovey.query_history
      (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
    VALUES (NEW.tenant_id, NEW.id, NEW.version, 'update', datacovey.dc_actor(),
      COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
      JSON_OBJECT(
        'id', NEW.id, 'tenant_id', NEW.tenant_id,
        'project_id', NEW.project_id, 'name', NEW.name,
        'description', NEW.description, 'sql_text', NEW.sql_text,
        'parameters', NEW.parameters, 'created_by', NEW.created_by,
        'version', NEW.version, 'created_at', NEW.created_at,
        'updated_at', NEW.updated_at));
  END IF;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.queries_ad AFTER DELETE ON datacovey.queries FOR EACH ROW
BEGIN
  -- REPLACE through a view deletes the conflicting row unchecked (see header).
  IF OLD.tenant_id <> datacovey.dc_tenant() THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'datacovey: row belongs to another tenant';
  END IF;
  INSERT INTO datacovey.query_history
    (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
  VALUES (OLD.tenant_id, OLD.id, OLD.version + 1, 'delete', datacovey.dc_actor(),
    COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
    JSON_OBJECT(
      'id', OLD.id, 'tenant_id', OLD.tenant_id,
      'project_id', OLD.project_id, 'name', OLD.name,
      'description', OLD.description, 'sql_text', OLD.sql_text,
      'parameters', OLD.parameters, 'created_by', OLD.created_by,
      'version', OLD.version, 'created_at', OLD.created_at,
      'updated_at', OLD.updated_at));
END;

-- ---------------------------------------------------------------------------
-- import_jobs -> import_job_history

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.import_jobs_bi BEFORE INSERT ON datacovey.import_jobs FOR EACH ROW
BEGIN
  SET NEW.created_at = UTC_TIMESTAMP(6), NEW.updated_at = UTC_TIMESTAMP(6);
  IF NEW.id > 0 THEN
    -- Explicit id: a restore re-inserting a deleted entity continues its
    -- version sequence (UNIQUE (entity_id, version) would refuse 1 again).
    IF (SELECT h.tenant_id FROM datacovey.import_job_history h WHERE h.entity_id = NEW.id
        ORDER BY h.version DESC LIMIT 1) <> NEW.tenant_id THEN
      SIGNAL SQLSTATE '45000'
        SET MESSAGE_TEXT = 'datacovey: id belongs to another tenant';
    END IF;
    SET NEW.version = COALESCE(
      (SELECT MAX(h.version) FROM datacovey.import_job_history h WHERE h.entity_id = NEW.id), 0) + 1;
  ELSE
    SET NEW.version = 1;
  END IF;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.import_jobs_bu BEFORE UPDATE ON datacovey.import_jobs FOR EACH ROW
BEGIN
  SET NEW.created_at = OLD.created_at, NEW.updated_at = UTC_TIMESTAMP(6);
  -- Heartbeat: only progress/lease columns changed -> same version,
  -- and the AFTER UPDATE trigger writes no history.
  IF NEW.id <=> OLD.id AND NEW.tenant_id <=> OLD.tenant_id AND
     NEW.table_id <=> OLD.table_id AND NEW.status <=> OLD.status AND
     NEW.format <=> OLD.format AND NEW.mode <=> OLD.mode AND
     NEW.options <=> OLD.options AND NEW.file_path <=> OLD.file_path AND
     NEW.bytes_total <=> OLD.bytes_total AND NEW.error <=> OLD.error AND
     NEW.idempotency_key <=> OLD.idempotency_key AND
     NEW.attempts <=> OLD.attempts AND NEW.created_by <=> OLD.created_by AND
     NEW.started_at <=> OLD.started_at AND
     NEW.finished_at <=> OLD.finished_at THEN
    SET NEW.version = OLD.version;
  ELSE
    SET NEW.version = OLD.version + 1;
  END IF;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.import_jobs_ai AFTER INSERT ON datacovey.import_jobs FOR EACH ROW
BEGIN
  INSERT INTO datacovey.import_job_history
    (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
  VALUES (NEW.tenant_id, NEW.id, NEW.version, 'insert', datacovey.dc_actor(),
    COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
    JSON_OBJECT(
      'id', NEW.id, 'tenant_id', NEW.tenant_id, 'table_id', NEW.table_id,
      'status', NEW.status, 'format', NEW.format, 'mode', NEW.mode,
      'options', NEW.options, 'file_path', NEW.file_path,
      'bytes_total', NEW.bytes_total, 'bytes_read', NEW.bytes_read,
      'rows_loaded', NEW.rows_loaded, 'rows_rejected', NEW.rows_rejected,
      'percent', NEW.percent, 'error', NEW.error,
      'idempotency_key', NEW.idempotency_key,
      'lease_owner', NEW.lease_owner,
      'lease_expires_at', NEW.lease_expires_at, 'attempts', NEW.attempts,
      'created_by', NEW.created_by, 'started_at', NEW.started_at,
      'finished_at', NEW.finished_at, 'version', NEW.version,
      'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.import_jobs_au AFTER UPDATE ON datacovey.import_jobs FOR EACH ROW
BEGIN
  IF NOT (NEW.id <=> OLD.id AND NEW.tenant_id <=> OLD.tenant_id) THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'datacovey: id and tenant_id cannot change';
  END IF;
  IF NEW.version <> OLD.version THEN
    INSERT INTO datacovey.import_job_history
      (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
    VALUES (NEW.tenant_id, NEW.id, NEW.version, 'update', datacovey.dc_actor(),
      COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
      JSON_OBJECT(
        'id', NEW.id, 'tenant_id', NEW.tenant_id, 'table_id', NEW.table_id,
        'status', NEW.status, 'format', NEW.format, 'mode', NEW.mode,
        'options', NEW.options, 'file_path', NEW.file_path,
        'bytes_total', NEW.bytes_total, 'bytes_read', NEW.bytes_read,
        'rows_loaded', NEW.rows_loaded, 'rows_rejected', NEW.rows_rejected,
        'percent', NEW.percent, 'error', NEW.error,
        'idempotency_key', NEW.idempotency_key,
        'lease_owner', NEW.lease_owner,
        'lease_expires_at', NEW.lease_expires_at, 'attempts', NEW.attempts,
        'created_by', NEW.created_by, 'started_at', NEW.started_at,
        'finished_at', NEW.finished_at, 'version', NEW.version,
        'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
  END IF;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.import_jobs_ad AFTER DELETE ON datacovey.import_jobs FOR EACH ROW
BEGIN
  -- REPLACE through a view deletes the conflicting row unchecked (see header).
  IF OLD.tenant_id <> datacovey.dc_tenant() THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'datacovey: row belongs to another tenant';
  END IF;
  INSERT INTO datacovey.import_job_history
    (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
  VALUES (OLD.tenant_id, OLD.id, OLD.version + 1, 'delete', datacovey.dc_actor(),
    COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
    JSON_OBJECT(
      'id', OLD.id, 'tenant_id', OLD.tenant_id, 'table_id', OLD.table_id,
      'status', OLD.status, 'format', OLD.format, 'mode', OLD.mode,
      'options', OLD.options, 'file_path', OLD.file_path,
      'bytes_total', OLD.bytes_total, 'bytes_read', OLD.bytes_read,
      'rows_loaded', OLD.rows_loaded, 'rows_rejected', OLD.rows_rejected,
      'percent', OLD.percent, 'error', OLD.error,
      'idempotency_key', OLD.idempotency_key,
      'lease_owner', OLD.lease_owner,
      'lease_expires_at', OLD.lease_expires_at, 'attempts', OLD.attempts,
      'created_by', OLD.created_by, 'started_at', OLD.started_at,
      'finished_at', OLD.finished_at, 'version', OLD.version,
      'created_at', OLD.created_at, 'updated_at', OLD.updated_at));
END;

-- ---------------------------------------------------------------------------
-- export_jobs -> export_job_history

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.export_jobs_bi BEFORE INSERT ON datacovey.export_jobs FOR EACH ROW
BEGIN
  SET NEW.created_at = UTC_TIMESTAMP(6), NEW.updated_at = UTC_TIMESTAMP(6);
  IF NEW.id > 0 THEN
    -- Explicit id: a restore re-inserting a deleted entity continues its
    -- version sequence (UNIQUE (entity_id, version) would refuse 1 again).
    IF (SELECT h.tenant_id FROM datacovey.export_job_history h WHERE h.entity_id = NEW.id
        ORDER BY h.version DESC LIMIT 1) <> NEW.tenant_id THEN
      SIGNAL SQLSTATE '45000'
        SET MESSAGE_TEXT = 'datacovey: id belongs to another tenant';
    END IF;
    SET NEW.version = COALESCE(
      (SELECT MAX(h.version) FROM datacovey.export_job_history h WHERE h.entity_id = NEW.id), 0) + 1;
  ELSE
    SET NEW.version = 1;
  END IF;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.export_jobs_bu BEFORE UPDATE ON datacovey.export_jobs FOR EACH ROW
BEGIN
  SET NEW.created_at = OLD.created_at, NEW.updated_at = UTC_TIMESTAMP(6);
  -- Heartbeat: only progress/lease columns changed -> same version,
  -- and the AFTER UPDATE trigger writes no history.
  IF NEW.id <=> OLD.id AND NEW.tenant_id <=> OLD.tenant_id AND
     NEW.table_id <=> OLD.table_id AND NEW.query_id <=> OLD.query_id AND
     NEW.status <=> OLD.status AND NEW.format <=> OLD.format AND
     NEW.compression <=> OLD.compression AND NEW.options <=> OLD.options AND
     NEW.file_path <=> OLD.file_path AND
     NEW.bytes_total <=> OLD.bytes_total AND NEW.error <=> OLD.error AND
     NEW.idempotency_key <=> OLD.idempotency_key AND
     NEW.attempts <=> OLD.attempts AND NEW.created_by <=> OLD.created_by AND
     NEW.started_at <=> OLD.started_at AND
     NEW.finished_at <=> OLD.finished_at THEN
    SET NEW.version = OLD.version;
  ELSE
    SET NEW.version = OLD.version + 1;
  END IF;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.export_jobs_ai AFTER INSERT ON datacovey.export_jobs FOR EACH ROW
BEGIN
  INSERT INTO datacovey.export_job_history
    (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
  VALUES (NEW.tenant_id, NEW.id, NEW.version, 'insert', datacovey.dc_actor(),
    COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
    JSON_OBJECT(
      'id', NEW.id, 'tenant_id', NEW.tenant_id, 'table_id', NEW.table_id,
      'query_id', NEW.query_id, 'status', NEW.status, 'format', NEW.format,
      'compression', NEW.compression, 'options', NEW.options,
      'file_path', NEW.file_path, 'bytes_total', NEW.bytes_total,
      'bytes_written', NEW.bytes_written,
      'rows_exported', NEW.rows_exported, 'percent', NEW.percent,
      'error', NEW.error, 'idempotency_key', NEW.idempotency_key,
      'lease_owner', NEW.lease_owner,
      'lease_expires_at', NEW.lease_expires_at, 'attempts', NEW.attempts,
      'created_by', NEW.created_by, 'started_at', NEW.started_at,
      'finished_at', NEW.finished_at, 'version', NEW.version,
      'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.export_jobs_au AFTER UPDATE ON datacovey.export_jobs FOR EACH ROW
BEGIN
  IF NOT (NEW.id <=> OLD.id AND NEW.tenant_id <=> OLD.tenant_id) THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'datacovey: id and tenant_id cannot change';
  END IF;
  IF NEW.version <> OLD.version THEN
    INSERT INTO datacovey.export_job_history
      (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
    VALUES (NEW.tenant_id, NEW.id, NEW.version, 'update', datacovey.dc_actor(),
      COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
      JSON_OBJECT(
        'id', NEW.id, 'tenant_id', NEW.tenant_id, 'table_id', NEW.table_id,
        'query_id', NEW.query_id, 'status', NEW.status,
        'format', NEW.format, 'compression', NEW.compression,
        'options', NEW.options, 'file_path', NEW.file_path,
        'bytes_total', NEW.bytes_total, 'bytes_written', NEW.bytes_written,
        'rows_exported', NEW.rows_exported, 'percent', NEW.percent,
        'error', NEW.error, 'idempotency_key', NEW.idempotency_key,
        'lease_owner', NEW.lease_owner,
        'lease_expires_at', NEW.lease_expires_at, 'attempts', NEW.attempts,
        'created_by', NEW.created_by, 'started_at', NEW.started_at,
        'finished_at', NEW.finished_at, 'version', NEW.version,
        'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
  END IF;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.export_jobs_ad AFTER DELETE ON datacovey.export_jobs FOR EACH ROW
BEGIN
  -- REPLACE through a view deletes the conflicting row unchecked (see header).
  IF OLD.tenant_id <> datacovey.dc_tenant() THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'datacovey: row belongs to another tenant';
  END IF;
  INSERT INTO datacovey.export_job_history
    (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
  VALUES (OLD.tenant_id, OLD.id, OLD.version + 1, 'delete', datacovey.dc_actor(),
    COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
    JSON_OBJECT(
      'id', OLD.id, 'tenant_id', OLD.tenant_id, 'table_id', OLD.table_id,
      'query_id', OLD.query_id, 'status', OLD.status, 'format', OLD.format,
      'compression', OLD.compression, 'options', OLD.options,
      'file_path', OLD.file_path, 'bytes_total', OLD.bytes_total,
      'bytes_written', OLD.bytes_written,
      'rows_exported', OLD.rows_exported, 'percent', OLD.percent,
      'error', OLD.error, 'idempotency_key', OLD.idempotency_key,
      'lease_owner', OLD.lease_owner,
      'lease_expires_at', OLD.lease_expires_at, 'attempts', OLD.attempts,
      'created_by', OLD.created_by, 'started_at', OLD.started_at,
      'finished_at', OLD.finished_at, 'version', OLD.version,
      'created_at', OLD.created_at, 'updated_at', OLD.updated_at));
END;

-- ---------------------------------------------------------------------------
-- query_runs: a log itself, so versions and timestamps but no history.

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.query_runs_bi BEFORE INSERT ON datacovey.query_runs FOR EACH ROW
BEGIN
  SET NEW.created_at = UTC_TIMESTAMP(6), NEW.updated_at = UTC_TIMESTAMP(6);
  SET NEW.version = 1;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.query_runs_bu BEFORE UPDATE ON datacovey.query_runs FOR EACH ROW
BEGIN
  SET NEW.created_at = OLD.created_at, NEW.updated_at = UTC_TIMESTAMP(6),
      NEW.version = OLD.version + 1;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.query_runs_au AFTER UPDATE ON datacovey.query_runs FOR EACH ROW
BEGIN
  IF NOT (NEW.id <=> OLD.id AND NEW.tenant_id <=> OLD.tenant_id) THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'datacovey: id and tenant_id cannot change';
  END IF;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.query_runs_ad AFTER DELETE ON datacovey.query_runs FOR EACH ROW
BEGIN
  -- REPLACE through a view deletes the conflicting row unchecked (see header).
  IF OLD.tenant_id <> datacovey.dc_tenant() THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'datacovey: row belongs to another tenant';
  END IF;
END;
