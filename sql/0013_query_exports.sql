-- 0013_query_exports.sql
-- An export may take a saved query as its source (export_jobs.query_id). The worker reads the
-- query, resolves its tables (it already reads datasets and dataset_tables), and runs it as the
-- project's own account, never as itself (SECURITY rule 7). It may repair that account the way
-- the responder does, through sync_query_account, scoped to the job's tenant.
SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;

GRANT SELECT ON datacovey.queries TO 'dc_worker'@'localhost';
GRANT EXECUTE ON PROCEDURE datacovey_app.sync_query_account TO 'dc_worker'@'localhost';
