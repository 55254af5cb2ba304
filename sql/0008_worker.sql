-- 0008_worker.sql
-- The job worker's account and the reject list of imports (DESIGN §7, SECURITY rule 22).
--
-- Why its own account: an import commits its rows and its `completed` state in one
-- transaction, so one connection must reach both the job row (in `datacovey`, across
-- tenants: the worker serves every tenant) and the data database (`dcd_*`). Neither the
-- responder's dc_app (tenant views only) nor dc_data (which the responder also uses) may
-- hold that: the responder would then own a cross-tenant account. dc_worker is used by
-- datacovey-worker alone, which runs no user SQL, and reaches only the job tables, the
-- metadata it needs to find a table, and the data databases.
SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';

-- Rows an import rejected: where (line, column), what (the value, cut to 1,000 characters)
-- and why. Written by the worker, kept after the job ends, removed with a retried attempt
-- (the retry starts from scratch). Not versioned: a reject is a fact about one attempt.
CREATE TABLE IF NOT EXISTS datacovey.import_rejects (
  id          BIGINT        NOT NULL AUTO_INCREMENT,
  tenant_id   BIGINT        NOT NULL,
  job_id      BIGINT        NOT NULL,
  line        BIGINT        NOT NULL,
  column_name VARCHAR(64)   NULL,
  value       VARCHAR(1000) NULL,
  reason      VARCHAR(500)  NOT NULL,
  PRIMARY KEY (id),
  KEY ix_import_rejects_job (tenant_id, job_id, id),
  CONSTRAINT fk_import_rejects_job FOREIGN KEY (tenant_id, job_id)
    REFERENCES datacovey.import_jobs (tenant_id, id) ON DELETE RESTRICT ON UPDATE RESTRICT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.import_rejects AS
  SELECT id, tenant_id, job_id, line, column_name, value, reason
  FROM datacovey.import_rejects
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;

GRANT SELECT, DELETE ON datacovey_app.import_rejects TO 'dc_app'@'localhost';

CREATE USER IF NOT EXISTS 'dc_worker'@'localhost' ACCOUNT LOCK;
GRANT SELECT, UPDATE ON datacovey.import_jobs    TO 'dc_worker'@'localhost';
GRANT SELECT, UPDATE ON datacovey.export_jobs    TO 'dc_worker'@'localhost';
GRANT SELECT, INSERT, DELETE ON datacovey.import_rejects TO 'dc_worker'@'localhost';
GRANT SELECT ON datacovey.dataset_tables TO 'dc_worker'@'localhost';
GRANT SELECT ON datacovey.table_columns  TO 'dc_worker'@'localhost';
GRANT SELECT ON datacovey.datasets       TO 'dc_worker'@'localhost';
GRANT CREATE, DROP, ALTER, INDEX, SELECT, INSERT, UPDATE, DELETE
  ON `dcd\_%`.* TO 'dc_worker'@'localhost';
