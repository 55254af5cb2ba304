-- 0004_tenant_views.sql
-- The tenant-scoped views in `datacovey_app`: the only objects the responder
-- (dc_app) may touch (grants in 0005). Same names as the base tables; history
-- views as <entity>_history. GENERATED from the column lists of 0001 (explicit
-- columns, never `*`: a view stores its column list at creation, and an
-- explicit list keeps a later base-table column from appearing unreviewed).
--
-- Every view is (SECURITY rule 2):
-- * ALGORITHM = MERGE: the WHERE merges into the caller's statement, so
--   `tenant_id = dc_tenant()` is a constant ref on the tenant index and the
--   view is updatable (TEMPTABLE views are neither).
-- * SQL SECURITY DEFINER, DEFINER dc_owner (locked): the caller needs rights
--   on the view only, never on datacovey.* base tables.
-- * WHERE tenant_id = datacovey.dc_tenant(): a view cannot read @dc_tenant
--   (1351); the DETERMINISTIC function can, and keeps `ref` access (rule 1).
--   With @dc_tenant unset the function returns NULL and the view is empty.
-- * WITH CASCADED CHECK OPTION: an INSERT of another tenant's row, or an
--   UPDATE that moves a row to another tenant, fails with 1369; an UPDATE or
--   DELETE of another tenant's id matches 0 rows.
-- Read-only views (tenants, *_history, identities) have the same shape; 0005
-- grants SELECT only on them.
-- INSERT through a view must name tenant_id (the responder knows it: it set
-- @dc_tenant); the CHECK OPTION refuses any other value. id, version,
-- created_at, updated_at may be left out: AUTO_INCREMENT and the triggers of
-- 0003 fill them.

-- Pin the session: triggers and routines keep the sql_mode they were created
-- under (strict, so a bad value fails instead of being truncated), and the
-- string literals below assume backslash escapes and utf8mb4, whatever the
-- runner's connection defaults are.
SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';

-- ---------------------------------------------------------------------------
-- Writable views (dc_app: SELECT, INSERT, UPDATE, DELETE).

CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.users AS
  SELECT id, tenant_id, auth0_sub, email, name, role, disabled, version,
         created_at, updated_at
  FROM datacovey.users
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;

CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.projects AS
  SELECT id, tenant_id, name, description, created_by, version, created_at,
         updated_at
  FROM datacovey.projects
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;

CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.datasets AS
  SELECT id, tenant_id, project_id, name, description, data_database,
         created_by, version, created_at, updated_at
  FROM datacovey.datasets
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;

CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.dataset_tables AS
  SELECT id, tenant_id, dataset_id, name, description, physical_name,
         autodetect, created_by, version, created_at, updated_at
  FROM datacovey.dataset_tables
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;

CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.table_columns AS
  SELECT id, tenant_id, table_id, position, name, type, nullable,
         default_value, is_primary_key, version, created_at, updated_at
  FROM datacovey.table_columns
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;

CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.queries AS
  SELECT id, tenant_id, project_id, name, description, sql_text, parameters,
         created_by, version, created_at, updated_at
  FROM datacovey.queries
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;

CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.import_jobs AS
  SELECT id, tenant_id, table_id, status, format, mode, options, file_path,
         bytes_total, bytes_read, rows_loaded, rows_rejected, percent,
         error, idempotency_key, lease_owner, lease_expires_at, attempts,
         created_by, started_at, finished_at, version, created_at,
         updated_at
  FROM datacovey.import_jobs
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;

CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.export_jobs AS
  SELECT id, tenant_id, table_id, query_id, status, format, compression,
         options, file_path, bytes_total, bytes_written, rows_exported,
         percent, error, idempotency_key, lease_owner, lease_expires_at,
         attempts, created_by, started_at, finished_at, version, created_at,
         updated_at
  FROM datacovey.export_jobs
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;

CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.query_runs AS
  SELECT id, tenant_id, project_id, query_id, user_id, sql_text, params,
         status, started_at, finished_at, duration_ms, row_count, error,
         version, created_at, updated_at
  FROM datacovey.query_runs
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;

-- ---------------------------------------------------------------------------
-- Read-only views (dc_app: SELECT only, see 0005).

-- The session's own tenant.
CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.tenants AS
  SELECT id, name, display_name, disabled, version, created_at, updated_at
  FROM datacovey.tenants
  WHERE id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;

-- History of the session's tenant (restore reads row_image from here).
CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.tenant_history AS
  SELECT history_id, tenant_id, entity_id, version, operation,
         actor_user_id, db_user, changed_at, row_image
  FROM datacovey.tenant_history
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;

CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.user_history AS
  SELECT history_id, tenant_id, entity_id, version, operation,
         actor_user_id, db_user, changed_at, row_image
  FROM datacovey.user_history
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;

CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.project_history AS
  SELECT history_id, tenant_id, entity_id, version, operation,
         actor_user_id, db_user, changed_at, row_image
  FROM datacovey.project_history
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;

CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.dataset_history AS
  SELECT history_id, tenant_id, entity_id, version, operation,
         actor_user_id, db_user, changed_at, row_image
  FROM datacovey.dataset_history
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;

CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.table_history AS
  SELECT history_id, tenant_id, entity_id, version, operation,
         actor_user_id, db_user, changed_at, row_image
  FROM datacovey.table_history
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;

CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.table_column_history AS
  SELECT history_id, tenant_id, entity_id, version, operation,
         actor_user_id, db_user, changed_at, row_image
  FROM datacovey.table_column_history
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;

CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.query_history AS
  SELECT history_id, tenant_id, entity_id, version, operation,
         actor_user_id, db_user, changed_at, row_image
  FROM datacovey.query_history
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;

CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.import_job_history AS
  SELECT history_id, tenant_id, entity_id, version, operation,
         actor_user_id, db_user, changed_at, row_image
  FROM datacovey.import_job_history
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;

CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.export_job_history AS
  SELECT history_id, tenant_id, entity_id, version, operation,
         actor_user_id, db_user, changed_at, row_image
  FROM datacovey.export_job_history
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;

-- ---------------------------------------------------------------------------
-- Sign-in: the token's `sub` fixes the user and so the tenant (DESIGN.md
-- section 5), but every tenant view needs the tenant first. This view answers
-- "who is @dc_subject" across tenants, one row at most (uq_users_auth0_sub),
-- with what the responder needs to accept or refuse the request (disabled
-- user or tenant) and then `SET @dc_tenant = tenant_id, @dc_user = user_id`.
-- It shows nothing unless @dc_subject names a user, and only that user.
-- Granted SELECT only (0005). MERGE keeps the filter on the unique index
-- (const access). No CHECK OPTION: nobody writes through it.
CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.identities AS
  SELECT u.id AS user_id, u.tenant_id, u.auth0_sub, u.email, u.name, u.role,
         u.disabled AS user_disabled, u.version AS user_version,
         t.name AS tenant_name, t.disabled AS tenant_disabled
  FROM datacovey.users u
  JOIN datacovey.tenants t ON t.id = u.tenant_id
  WHERE u.auth0_sub = datacovey.dc_subject();
