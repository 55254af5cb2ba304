-- 0001_core_tables.sql
-- Schemas, the owner account and the base tables of DataCovey's metadata.
--
-- Applied by `datacovey-admin migrate` as ONE multi-statement query (no
-- DELIMITER lines), as a superuser. Safe on an empty server and re-runnable:
-- IF NOT EXISTS everywhere.
--
-- Conventions every table follows (DESIGN.md section 4, CONTRACT.md):
-- * `id BIGINT AUTO_INCREMENT` primary key, `version`, `created_at`,
--   `updated_at`. The BEFORE INSERT / BEFORE UPDATE triggers of 0003 set them
--   (UTC, version bump) whatever the statement says, so no code path can
--   write a row without a new version. The UTC_TIMESTAMP(6) defaults are
--   needed anyway: without a default, INSERT ... SELECT fails with 1364 even
--   though the BEFORE INSERT trigger would set the column (10.11).
-- * Tenant-scoped tables carry `tenant_id` with an index that STARTS with
--   tenant_id: the views of 0004 filter `tenant_id = dc_tenant()` and must get
--   `ref` access on it (SECURITY rule 1).
-- * Every parent has UNIQUE (tenant_id, id) and children reference it with a
--   composite FK (tenant_id, parent_id): even a bug cannot attach a child to
--   another tenant's parent.
-- * ON DELETE RESTRICT, never CASCADE: MariaDB does not fire triggers for
--   cascaded changes, so a cascade would delete rows without history. Delete
--   children first (each delete records its own history row).
-- * utf8mb4 throughout. Names compare case-insensitively (utf8mb4_unicode_ci:
--   "Sales" and "sales" cannot coexist, and MariaDB column names are
--   case-insensitive anyway); identifiers that are matched exactly (Auth0 sub,
--   idempotency keys, physical database/table names, file paths) are
--   utf8mb4_bin.

-- Pin the session: triggers and routines keep the sql_mode they were created
-- under (strict, so a bad value fails instead of being truncated), and the
-- string literals below assume backslash escapes and utf8mb4, whatever the
-- runner's connection defaults are.
SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';

-- The runner may create `datacovey` itself (for schema_migrations) before
-- this file runs, with the server's default character set (latin1 on a stock
-- server); ALTER DATABASE makes the default right either way. Tables below
-- still name their character set explicitly.
CREATE DATABASE IF NOT EXISTS datacovey
  CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
ALTER DATABASE datacovey CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- Tenant-scoped views (0004) live in their own schema so that grants to the
-- responder can name views only, never a base table.
CREATE DATABASE IF NOT EXISTS datacovey_app
  CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
ALTER DATABASE datacovey_app CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- The owner account: DEFINER of the functions (0002), triggers (0003) and
-- views (0004). Nobody logs in with it (ACCOUNT LOCK, no password; SECURITY
-- rule 2). It is created here, before the first object it defines, because a
-- missing definer makes every use of such an object fail: 1449 for root, but
-- 1045 "Access denied for user 'dc_app'" for dc_app on the views (measured),
-- which looks like a password problem. Check definers at deploy (rule 6).
-- Privileges (SECURITY rule 6): triggers need TRIGGER and SELECT on their
-- subject table and INSERT (and SELECT, for the version look-up on re-insert)
-- on the history tables; DEFINER views need SELECT/INSERT/UPDATE/DELETE on the
-- base tables and EXECUTE on dc_tenant(). Schema-wide DML on datacovey is
-- enough; no DDL, and nothing on datacovey_app (a DEFINER view checks its
-- definer's rights on the underlying tables, not on the view; verified).
CREATE USER IF NOT EXISTS 'dc_owner'@'localhost' ACCOUNT LOCK;
GRANT SELECT, INSERT, UPDATE, DELETE, TRIGGER, EXECUTE
  ON datacovey.* TO 'dc_owner'@'localhost';

-- ---------------------------------------------------------------------------
-- tenants: an organization. Not tenant-scoped itself; its view shows the
-- session's own tenant only (0004).
CREATE TABLE IF NOT EXISTS datacovey.tenants (
  id           BIGINT       NOT NULL AUTO_INCREMENT,
  name         VARCHAR(64)  NOT NULL,
  display_name VARCHAR(200) NULL,
  disabled     BOOL         NOT NULL DEFAULT 0,
  version      INT UNSIGNED NOT NULL DEFAULT 1,
  created_at   DATETIME(6)  NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  updated_at   DATETIME(6)  NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  PRIMARY KEY (id),
  UNIQUE KEY uq_tenants_name (name),
  CONSTRAINT ck_tenants_name CHECK (CHAR_LENGTH(name) > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- users: a person of a tenant, identified by the Auth0 `sub` (global: the sub
-- fixes the tenant, DESIGN.md section 5).
-- role defaults to the LEAST privilege: an ENUM without a default would make
-- an INSERT that forgets the role fail (1364), but a default of 'admin' (the
-- first value) would be worse than 'viewer'.
CREATE TABLE IF NOT EXISTS datacovey.users (
  id         BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id  BIGINT       NOT NULL,
  auth0_sub  VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  email      VARCHAR(320) NOT NULL,
  name       VARCHAR(200) NULL,
  role       ENUM('admin','user','viewer') NOT NULL DEFAULT 'viewer',
  disabled   BOOL         NOT NULL DEFAULT 0,
  version    INT UNSIGNED NOT NULL DEFAULT 1,
  created_at DATETIME(6)  NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  updated_at DATETIME(6)  NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  PRIMARY KEY (id),
  UNIQUE KEY uq_users_auth0_sub (auth0_sub),
  UNIQUE KEY uq_users_tenant_email (tenant_id, email),
  UNIQUE KEY uq_users_tenant_id (tenant_id, id),
  CONSTRAINT fk_users_tenant FOREIGN KEY (tenant_id)
    REFERENCES datacovey.tenants (id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT ck_users_auth0_sub CHECK (CHAR_LENGTH(auth0_sub) > 0),
  CONSTRAINT ck_users_email CHECK (email LIKE '%_@_%')
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- projects: a workspace of a tenant.
CREATE TABLE IF NOT EXISTS datacovey.projects (
  id          BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id   BIGINT       NOT NULL,
  name        VARCHAR(64)  NOT NULL,
  description TEXT         NULL,
  created_by  BIGINT       NULL,
  version     INT UNSIGNED NOT NULL DEFAULT 1,
  created_at  DATETIME(6)  NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  updated_at  DATETIME(6)  NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  PRIMARY KEY (id),
  UNIQUE KEY uq_projects_tenant_id (tenant_id, id),
  UNIQUE KEY uq_projects_tenant_name (tenant_id, name),
  KEY ix_projects_created_by (tenant_id, created_by),
  CONSTRAINT fk_projects_tenant FOREIGN KEY (tenant_id)
    REFERENCES datacovey.tenants (id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT fk_projects_created_by FOREIGN KEY (tenant_id, created_by)
    REFERENCES datacovey.users (tenant_id, id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT ck_projects_name CHECK (CHAR_LENGTH(name) > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- datasets: a named group of tables; its rows live in the physical database
-- `dcd_<id>` (data_database). The CHECK keeps that name to the `dcd_<n>`
-- shape that dc_data's grant (`dcd\_%`) covers, and the UNIQUE key keeps two
-- datasets (possibly of two tenants) from ever sharing one database.
-- Name uniqueness is (tenant_id, project_id, name): the same rule as
-- (project_id, name) because a project has one tenant, and the key doubles as
-- the index of the composite FK to projects.
CREATE TABLE IF NOT EXISTS datacovey.datasets (
  id            BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id     BIGINT       NOT NULL,
  project_id    BIGINT       NOT NULL,
  name          VARCHAR(64)  NOT NULL,
  description   TEXT         NULL,
  data_database VARCHAR(64)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  created_by    BIGINT       NULL,
  version       INT UNSIGNED NOT NULL DEFAULT 1,
  created_at    DATETIME(6)  NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  updated_at    DATETIME(6)  NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  PRIMARY KEY (id),
  UNIQUE KEY uq_datasets_tenant_id (tenant_id, id),
  UNIQUE KEY uq_datasets_project_name (tenant_id, project_id, name),
  UNIQUE KEY uq_datasets_data_database (data_database),
  KEY ix_datasets_created_by (tenant_id, created_by),
  CONSTRAINT fk_datasets_tenant FOREIGN KEY (tenant_id)
    REFERENCES datacovey.tenants (id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT fk_datasets_project FOREIGN KEY (tenant_id, project_id)
    REFERENCES datacovey.projects (tenant_id, id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT fk_datasets_created_by FOREIGN KEY (tenant_id, created_by)
    REFERENCES datacovey.users (tenant_id, id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT ck_datasets_name CHECK (CHAR_LENGTH(name) > 0),
  CONSTRAINT ck_datasets_data_database
    CHECK (data_database IS NULL OR data_database REGEXP '^dcd_[0-9]+$')
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- dataset_tables: a dataset's tables (`TABLE` is a reserved word, hence the
-- name). physical_name is the MariaDB table inside the dataset's database;
-- the CHECK keeps it a plain identifier, so it can never smuggle a quote or a
-- dot into DDL.
CREATE TABLE IF NOT EXISTS datacovey.dataset_tables (
  id            BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id     BIGINT       NOT NULL,
  dataset_id    BIGINT       NOT NULL,
  name          VARCHAR(64)  NOT NULL,
  description   TEXT         NULL,
  physical_name VARCHAR(64)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  autodetect    BOOL         NOT NULL DEFAULT 0,
  created_by    BIGINT       NULL,
  version       INT UNSIGNED NOT NULL DEFAULT 1,
  created_at    DATETIME(6)  NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  updated_at    DATETIME(6)  NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  PRIMARY KEY (id),
  UNIQUE KEY uq_dataset_tables_tenant_id (tenant_id, id),
  UNIQUE KEY uq_dataset_tables_dataset_name (tenant_id, dataset_id, name),
  UNIQUE KEY uq_dataset_tables_physical_name (dataset_id, physical_name),
  KEY ix_dataset_tables_created_by (tenant_id, created_by),
  CONSTRAINT fk_dataset_tables_tenant FOREIGN KEY (tenant_id)
    REFERENCES datacovey.tenants (id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT fk_dataset_tables_dataset FOREIGN KEY (tenant_id, dataset_id)
    REFERENCES datacovey.datasets (tenant_id, id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT fk_dataset_tables_created_by FOREIGN KEY (tenant_id, created_by)
    REFERENCES datacovey.users (tenant_id, id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT ck_dataset_tables_name CHECK (CHAR_LENGTH(name) > 0),
  CONSTRAINT ck_dataset_tables_physical_name
    CHECK (physical_name IS NULL OR physical_name REGEXP '^[A-Za-z0-9_]{1,64}$')
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- table_columns: the typed columns of a dataset table. `type` is one of the
-- contract's column types (DESIGN.md section 6).
CREATE TABLE IF NOT EXISTS datacovey.table_columns (
  id             BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id      BIGINT       NOT NULL,
  table_id       BIGINT       NOT NULL,
  position       INT          NOT NULL,
  name           VARCHAR(64)  NOT NULL,
  type           VARCHAR(32)  NOT NULL,
  nullable       BOOL         NOT NULL DEFAULT 1,
  default_value  TEXT         NULL,
  is_primary_key BOOL         NOT NULL DEFAULT 0,
  version        INT UNSIGNED NOT NULL DEFAULT 1,
  created_at     DATETIME(6)  NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  updated_at     DATETIME(6)  NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  PRIMARY KEY (id),
  UNIQUE KEY uq_table_columns_tenant_id (tenant_id, id),
  UNIQUE KEY uq_table_columns_table_name (tenant_id, table_id, name),
  CONSTRAINT fk_table_columns_tenant FOREIGN KEY (tenant_id)
    REFERENCES datacovey.tenants (id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT fk_table_columns_table FOREIGN KEY (tenant_id, table_id)
    REFERENCES datacovey.dataset_tables (tenant_id, id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT ck_table_columns_name CHECK (CHAR_LENGTH(name) > 0),
  CONSTRAINT ck_table_columns_position CHECK (position >= 0),
  CONSTRAINT ck_table_columns_type CHECK (
    type IN ('int64','float64','bool','string','text','date','timestamp','json')
    OR type REGEXP '^decimal[(][0-9]{1,2},[0-9]{1,2}[)]$')
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- queries: saved SQL of a project.
CREATE TABLE IF NOT EXISTS datacovey.queries (
  id          BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id   BIGINT       NOT NULL,
  project_id  BIGINT       NOT NULL,
  name        VARCHAR(64)  NOT NULL,
  description TEXT         NULL,
  sql_text    MEDIUMTEXT   NOT NULL,
  parameters  JSON         NULL,
  created_by  BIGINT       NULL,
  version     INT UNSIGNED NOT NULL DEFAULT 1,
  created_at  DATETIME(6)  NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  updated_at  DATETIME(6)  NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  PRIMARY KEY (id),
  UNIQUE KEY uq_queries_tenant_id (tenant_id, id),
  UNIQUE KEY uq_queries_project_name (tenant_id, project_id, name),
  KEY ix_queries_created_by (tenant_id, created_by),
  CONSTRAINT fk_queries_tenant FOREIGN KEY (tenant_id)
    REFERENCES datacovey.tenants (id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT fk_queries_project FOREIGN KEY (tenant_id, project_id)
    REFERENCES datacovey.projects (tenant_id, id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT fk_queries_created_by FOREIGN KEY (tenant_id, created_by)
    REFERENCES datacovey.users (tenant_id, id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT ck_queries_name CHECK (CHAR_LENGTH(name) > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- import_jobs: pending -> running -> completed | failed (DESIGN.md section 7).
-- The worker claims with `status = 'pending' OR (status = 'running' AND
-- lease_expires_at < now)`, hence ix_import_jobs_claim. Progress and lease
-- columns are updated by heartbeats without a new version (see 0003).
CREATE TABLE IF NOT EXISTS datacovey.import_jobs (
  id               BIGINT        NOT NULL AUTO_INCREMENT,
  tenant_id        BIGINT        NOT NULL,
  table_id         BIGINT        NOT NULL,
  status           ENUM('pending','running','completed','failed') NOT NULL DEFAULT 'pending',
  format           VARCHAR(16)   NOT NULL,
  mode             ENUM('append','replace') NOT NULL DEFAULT 'append',
  options          JSON          NOT NULL DEFAULT '{}',
  file_path        VARCHAR(1024) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  bytes_total      BIGINT        NULL,
  bytes_read       BIGINT        NOT NULL DEFAULT 0,
  rows_loaded      BIGINT        NOT NULL DEFAULT 0,
  rows_rejected    BIGINT        NOT NULL DEFAULT 0,
  percent          DECIMAL(5,2)  NOT NULL DEFAULT 0,
  error            TEXT          NULL,
  idempotency_key  VARCHAR(255)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  lease_owner      VARCHAR(128)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  lease_expires_at DATETIME(6)   NULL,
  attempts         INT           NOT NULL DEFAULT 0,
  created_by       BIGINT        NULL,
  started_at       DATETIME(6)   NULL,
  finished_at      DATETIME(6)   NULL,
  version          INT UNSIGNED  NOT NULL DEFAULT 1,
  created_at       DATETIME(6)   NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  updated_at       DATETIME(6)   NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  PRIMARY KEY (id),
  UNIQUE KEY uq_import_jobs_tenant_id (tenant_id, id),
  UNIQUE KEY uq_import_jobs_idempotency (tenant_id, idempotency_key),
  KEY ix_import_jobs_table (tenant_id, table_id, id),
  KEY ix_import_jobs_created_by (tenant_id, created_by),
  KEY ix_import_jobs_claim (status, lease_expires_at),
  CONSTRAINT fk_import_jobs_tenant FOREIGN KEY (tenant_id)
    REFERENCES datacovey.tenants (id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT fk_import_jobs_table FOREIGN KEY (tenant_id, table_id)
    REFERENCES datacovey.dataset_tables (tenant_id, id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT fk_import_jobs_created_by FOREIGN KEY (tenant_id, created_by)
    REFERENCES datacovey.users (tenant_id, id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT ck_import_jobs_format CHECK (format IN ('csv','ndjson')),
  CONSTRAINT ck_import_jobs_percent CHECK (percent BETWEEN 0 AND 100),
  CONSTRAINT ck_import_jobs_counters CHECK (
    bytes_read >= 0 AND rows_loaded >= 0 AND rows_rejected >= 0 AND attempts >= 0
    AND (bytes_total IS NULL OR bytes_total >= 0))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- export_jobs: a table OR a saved query as the source (exactly one, CHECK).
-- Columns and filter of the export go in `options`.
CREATE TABLE IF NOT EXISTS datacovey.export_jobs (
  id               BIGINT        NOT NULL AUTO_INCREMENT,
  tenant_id        BIGINT        NOT NULL,
  table_id         BIGINT        NULL,
  query_id         BIGINT        NULL,
  status           ENUM('pending','running','completed','failed') NOT NULL DEFAULT 'pending',
  format           VARCHAR(16)   NOT NULL,
  compression      ENUM('none','gzip') NOT NULL DEFAULT 'none',
  options          JSON          NOT NULL DEFAULT '{}',
  file_path        VARCHAR(1024) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  bytes_total      BIGINT        NULL,
  bytes_written    BIGINT        NOT NULL DEFAULT 0,
  rows_exported    BIGINT        NOT NULL DEFAULT 0,
  percent          DECIMAL(5,2)  NOT NULL DEFAULT 0,
  error            TEXT          NULL,
  idempotency_key  VARCHAR(255)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  lease_owner      VARCHAR(128)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  lease_expires_at DATETIME(6)   NULL,
  attempts         INT           NOT NULL DEFAULT 0,
  created_by       BIGINT        NULL,
  started_at       DATETIME(6)   NULL,
  finished_at      DATETIME(6)   NULL,
  version          INT UNSIGNED  NOT NULL DEFAULT 1,
  created_at       DATETIME(6)   NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  updated_at       DATETIME(6)   NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  PRIMARY KEY (id),
  UNIQUE KEY uq_export_jobs_tenant_id (tenant_id, id),
  UNIQUE KEY uq_export_jobs_idempotency (tenant_id, idempotency_key),
  KEY ix_export_jobs_table (tenant_id, table_id, id),
  KEY ix_export_jobs_query (tenant_id, query_id, id),
  KEY ix_export_jobs_created_by (tenant_id, created_by),
  KEY ix_export_jobs_claim (status, lease_expires_at),
  CONSTRAINT fk_export_jobs_tenant FOREIGN KEY (tenant_id)
    REFERENCES datacovey.tenants (id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT fk_export_jobs_table FOREIGN KEY (tenant_id, table_id)
    REFERENCES datacovey.dataset_tables (tenant_id, id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT fk_export_jobs_query FOREIGN KEY (tenant_id, query_id)
    REFERENCES datacovey.queries (tenant_id, id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT fk_export_jobs_created_by FOREIGN KEY (tenant_id, created_by)
    REFERENCES datacovey.users (tenant_id, id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT ck_export_jobs_source CHECK ((table_id IS NULL) <> (query_id IS NULL)),
  CONSTRAINT ck_export_jobs_format CHECK (format IN ('csv','ndjson')),
  CONSTRAINT ck_export_jobs_percent CHECK (percent BETWEEN 0 AND 100),
  CONSTRAINT ck_export_jobs_counters CHECK (
    bytes_written >= 0 AND rows_exported >= 0 AND attempts >= 0
    AND (bytes_total IS NULL OR bytes_total >= 0))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- query_runs: one row per run of SQL (saved or ad hoc). It is itself a log,
-- so it has no history table, but it still gets version/timestamp triggers.
CREATE TABLE IF NOT EXISTS datacovey.query_runs (
  id          BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id   BIGINT       NOT NULL,
  project_id  BIGINT       NOT NULL,
  query_id    BIGINT       NULL,
  user_id     BIGINT       NULL,
  sql_text    MEDIUMTEXT   NOT NULL,
  params      JSON         NULL,
  status      ENUM('pending','running','completed','failed') NOT NULL DEFAULT 'pending',
  started_at  DATETIME(6)  NULL,
  finished_at DATETIME(6)  NULL,
  duration_ms BIGINT       NULL,
  row_count   BIGINT       NULL,
  error       TEXT         NULL,
  version     INT UNSIGNED NOT NULL DEFAULT 1,
  created_at  DATETIME(6)  NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  updated_at  DATETIME(6)  NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  PRIMARY KEY (id),
  UNIQUE KEY uq_query_runs_tenant_id (tenant_id, id),
  KEY ix_query_runs_project (tenant_id, project_id, id),
  KEY ix_query_runs_query (tenant_id, query_id, id),
  KEY ix_query_runs_user (tenant_id, user_id),
  CONSTRAINT fk_query_runs_tenant FOREIGN KEY (tenant_id)
    REFERENCES datacovey.tenants (id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT fk_query_runs_project FOREIGN KEY (tenant_id, project_id)
    REFERENCES datacovey.projects (tenant_id, id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT fk_query_runs_query FOREIGN KEY (tenant_id, query_id)
    REFERENCES datacovey.queries (tenant_id, id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT fk_query_runs_user FOREIGN KEY (tenant_id, user_id)
    REFERENCES datacovey.users (tenant_id, id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT ck_query_runs_counters CHECK (
    (duration_ms IS NULL OR duration_ms >= 0) AND (row_count IS NULL OR row_count >= 0))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
