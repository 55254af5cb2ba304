-- 0005_accounts.sql
-- The login accounts and their grants (CONTRACT.md "Databases and accounts").
-- dc_owner (the definer) is created in 0001, before the objects it owns.
--
-- All accounts are created ACCOUNT LOCK without a password: `datacovey-admin
-- migrate` sets each password from configuration and unlocks it after the
-- files are applied. CREATE USER IF NOT EXISTS leaves an existing (unlocked,
-- in use) account alone, and GRANT only adds, so this file is re-runnable.
-- GRANT never revokes: a privilege removed here later needs an explicit
-- REVOKE in a new migration.

-- Pin the session: triggers and routines keep the sql_mode they were created
-- under (strict, so a bad value fails instead of being truncated), and the
-- string literals below assume backslash escapes and utf8mb4, whatever the
-- runner's connection defaults are.
SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';

-- ---------------------------------------------------------------------------
-- dc_app: the responder (SECURITY rules 2 and 4). Rights on individual views
-- only: no schema-wide grant (a new view must be granted on purpose), nothing
-- on datacovey.* base tables, no EXECUTE (the views call dc_tenant() with the
-- definer's rights), no FILE, PROCESS, SUPER, SHOW VIEW (the view text would
-- show the tenant predicate and base-table names).
CREATE USER IF NOT EXISTS 'dc_app'@'localhost' ACCOUNT LOCK;

-- Writable tenant views.
GRANT SELECT, INSERT, UPDATE, DELETE ON datacovey_app.users          TO 'dc_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON datacovey_app.projects       TO 'dc_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON datacovey_app.datasets       TO 'dc_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON datacovey_app.dataset_tables TO 'dc_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON datacovey_app.table_columns  TO 'dc_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON datacovey_app.queries        TO 'dc_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON datacovey_app.import_jobs    TO 'dc_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON datacovey_app.export_jobs    TO 'dc_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON datacovey_app.query_runs     TO 'dc_app'@'localhost';

-- Read-only views: the own tenant, sign-in look-up, and history (history is
-- written by triggers only; a restore reads row_image here and writes the
-- entity's own view).
GRANT SELECT ON datacovey_app.tenants              TO 'dc_app'@'localhost';
GRANT SELECT ON datacovey_app.identities           TO 'dc_app'@'localhost';
GRANT SELECT ON datacovey_app.tenant_history       TO 'dc_app'@'localhost';
GRANT SELECT ON datacovey_app.user_history         TO 'dc_app'@'localhost';
GRANT SELECT ON datacovey_app.project_history      TO 'dc_app'@'localhost';
GRANT SELECT ON datacovey_app.dataset_history      TO 'dc_app'@'localhost';
GRANT SELECT ON datacovey_app.table_history        TO 'dc_app'@'localhost';
GRANT SELECT ON datacovey_app.table_column_history TO 'dc_app'@'localhost';
GRANT SELECT ON datacovey_app.query_history        TO 'dc_app'@'localhost';
GRANT SELECT ON datacovey_app.import_job_history   TO 'dc_app'@'localhost';
GRANT SELECT ON datacovey_app.export_job_history   TO 'dc_app'@'localhost';

-- ---------------------------------------------------------------------------
-- dc_data: DDL and row loading in the per-dataset databases `dcd_<id>` only
-- (DESIGN.md section 4). The backslash makes `_` literal: `dcd\_%` matches
-- dcd_1 but not dcdx or `dcd` itself. Nothing on datacovey or datacovey_app.
CREATE USER IF NOT EXISTS 'dc_data'@'localhost' ACCOUNT LOCK;
GRANT CREATE, DROP, ALTER, INDEX, SELECT, INSERT, UPDATE, DELETE,
      CREATE VIEW, SHOW VIEW, LOCK TABLES, CREATE TEMPORARY TABLES
  ON `dcd\_%`.* TO 'dc_data'@'localhost';

-- ---------------------------------------------------------------------------
-- dc_ops: operators through datacovey-admin (tenants, users, job and history
-- maintenance, isolation self-check). DML on the base tables - writes still
-- pass the triggers, so they are versioned and recorded with db_user dc_ops -
-- no DDL; read access to the views (with @dc_tenant set) to see what a tenant
-- sees; EXECUTE to call dc_tenant()/dc_actor() directly.
CREATE USER IF NOT EXISTS 'dc_ops'@'localhost' ACCOUNT LOCK;
GRANT SELECT, INSERT, UPDATE, DELETE, EXECUTE ON datacovey.*     TO 'dc_ops'@'localhost';
GRANT SELECT, SHOW VIEW                       ON datacovey_app.* TO 'dc_ops'@'localhost';
