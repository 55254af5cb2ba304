-- 0017_value_model.sql (generated: scripts/sqlgen/gen.py write 0017, from
-- columns/0017.tsv; edit the header or the generator, not this file)
-- The one value model (issue 13) names columns a file's header could not:
-- * table_columns.label keeps the header or member name a column was made of
--   when it could not be the column's name itself (`On Street` -> on_street,
--   `key` -> key_); NULL when the name is the header as written.
-- * import_jobs.header_mapping lists, for one import, the headers or members
--   that were matched to a column under another name:
--   [{"header": "On Street", "column": "on_street"}, ...]; NULL when none were.
-- * A first import that defined an autodetect table and then failed (or was a
--   dry run) takes its definition back, since the file itself refused it: the
--   worker deletes the columns it inserted and clears the physical name.

SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';

ALTER TABLE datacovey.table_columns
  ADD COLUMN IF NOT EXISTS label VARCHAR(255) NULL AFTER name;

ALTER TABLE datacovey.import_jobs
  ADD COLUMN IF NOT EXISTS header_mapping JSON NULL,
  ADD CONSTRAINT ck_import_jobs_header_mapping
    CHECK (header_mapping IS NULL OR JSON_TYPE(header_mapping) = 'ARRAY');

GRANT DELETE ON datacovey.table_columns TO 'dc_worker'@'localhost';

-- ---------------------------------------------------------------------------
-- table_columns -> table_column_history: row images and heartbeat checks with the new columns.

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
      'position', NEW.position, 'name', NEW.name, 'label', NEW.label,
      'type', NEW.type, 'nullable', NEW.nullable,
      'default_value', NEW.default_value,
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
        'position', NEW.position, 'name', NEW.name, 'label', NEW.label,
        'type', NEW.type, 'nullable', NEW.nullable,
        'default_value', NEW.default_value,
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
      'position', OLD.position, 'name', OLD.name, 'label', OLD.label,
      'type', OLD.type, 'nullable', OLD.nullable,
      'default_value', OLD.default_value,
      'is_primary_key', OLD.is_primary_key, 'version', OLD.version,
      'created_at', OLD.created_at, 'updated_at', OLD.updated_at));
END;

-- ---------------------------------------------------------------------------
-- import_jobs -> import_job_history: row images and heartbeat checks with the new columns.

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
     NEW.finished_at <=> OLD.finished_at AND
     NEW.trash_id <=> OLD.trash_id AND
     NEW.first_row_id <=> OLD.first_row_id AND
     NEW.previous_table <=> OLD.previous_table AND
     NEW.column_signature <=> OLD.column_signature AND
     NEW.reverted_at <=> OLD.reverted_at AND
     NEW.reverted_by <=> OLD.reverted_by AND
     NEW.header_mapping <=> OLD.header_mapping THEN
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
      'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
      'first_row_id', NEW.first_row_id,
      'previous_table', NEW.previous_table,
      'column_signature', NEW.column_signature,
      'reverted_at', NEW.reverted_at, 'reverted_by', NEW.reverted_by,
      'header_mapping', NEW.header_mapping));
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.import_jobs_au AFTER UPDATE ON datacovey.import_jobs FOR EACH ROW
BEGIN
  IF NOT (NEW.id <=> OLD.id AND NEW.tenant_id <=> OLD.tenant_id) THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'datacovey: id and tenant_id cannot change';
  END IF;
  IF NEW.version <> OLD.version THEN
    -- Into the trash is a delete, out of it an insert (0014).
    INSERT INTO datacovey.import_job_history
      (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
    VALUES (NEW.tenant_id, NEW.id, NEW.version, CASE WHEN OLD.trash_id = 0 AND NEW.trash_id <> 0 THEN 'delete'
        WHEN OLD.trash_id <> 0 AND NEW.trash_id = 0 THEN 'insert' ELSE 'update' END, datacovey.dc_actor(),
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
        'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
        'first_row_id', NEW.first_row_id,
        'previous_table', NEW.previous_table,
        'column_signature', NEW.column_signature,
        'reverted_at', NEW.reverted_at, 'reverted_by', NEW.reverted_by,
        'header_mapping', NEW.header_mapping));
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
      'created_at', OLD.created_at, 'updated_at', OLD.updated_at,
      'first_row_id', OLD.first_row_id,
      'previous_table', OLD.previous_table,
      'column_signature', OLD.column_signature,
      'reverted_at', OLD.reverted_at, 'reverted_by', OLD.reverted_by,
      'header_mapping', OLD.header_mapping));
END;

-- ---------------------------------------------------------------------------
-- Their tenant views.

CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.table_columns AS
  SELECT id, tenant_id, table_id, position, name, label, type, nullable,
         default_value, is_primary_key, version, created_at, updated_at
  FROM datacovey.table_columns
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;

CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.import_jobs AS
  SELECT id, tenant_id, table_id, status, format, mode, options, file_path,
         bytes_total, bytes_read, rows_loaded, rows_rejected, percent,
         error, idempotency_key, lease_owner, lease_expires_at, attempts,
         created_by, started_at, finished_at, version, created_at,
         updated_at, first_row_id, previous_table, column_signature,
         reverted_at, reverted_by, header_mapping
  FROM datacovey.import_jobs
  WHERE tenant_id = datacovey.dc_tenant() AND trash_id = 0
  WITH CASCADED CHECK OPTION;

CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.import_jobs_with_trash AS
  SELECT id, tenant_id, table_id, status, format, mode, options, file_path,
         bytes_total, bytes_read, rows_loaded, rows_rejected, percent,
         error, idempotency_key, lease_owner, lease_expires_at, attempts,
         created_by, started_at, finished_at, version, created_at,
         updated_at, trash_id, first_row_id, previous_table,
         column_signature, reverted_at, reverted_by, header_mapping
  FROM datacovey.import_jobs
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;
