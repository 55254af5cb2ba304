-- 0019_column_descriptions.sql (generated: scripts/sqlgen/gen.py write 0019, from
-- columns/0019.tsv; edit the header or the generator, not this file)
-- A column may have a description (issue 18: the new-table form takes one per column),
-- shown by GET /tables/{id} and kept in the column's history like its other fields.

SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';

ALTER TABLE datacovey.table_columns
  ADD COLUMN IF NOT EXISTS description TEXT NULL AFTER is_primary_key;

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
      'is_primary_key', NEW.is_primary_key, 'description', NEW.description,
      'version', NEW.version, 'created_at', NEW.created_at,
      'updated_at', NEW.updated_at));
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
        'is_primary_key', NEW.is_primary_key,
        'description', NEW.description, 'version', NEW.version,
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
      'is_primary_key', OLD.is_primary_key, 'description', OLD.description,
      'version', OLD.version, 'created_at', OLD.created_at,
      'updated_at', OLD.updated_at));
END;

-- ---------------------------------------------------------------------------
-- Their tenant views.

CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.table_columns AS
  SELECT id, tenant_id, table_id, position, name, label, type, nullable,
         default_value, is_primary_key, description, version, created_at,
         updated_at
  FROM datacovey.table_columns
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;
