-- DataCovey 0027: a new dataset is granted to its project's query account alone (issue 16).
--
-- Creating a dataset called sync_query_account (0020), which repairs the whole account: ALTER
-- USER, REVOKE ALL, then one GRANT per dataset of the project. On a Galera cluster every one
-- of those statements is DDL run in total order on all nodes, so a project's hundredth dataset
-- cost a hundred cluster-wide grants (measured: creates took up to 18 s with 170 datasets in
-- the project). A new dataset needs one GRANT: this procedure gives exactly that, and fails
-- (error 1133, sql_mode NO_AUTO_CREATE_USER) when the account does not exist yet, which the
-- responder answers by the full sync (QueryAccounts.grant).
SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';

CREATE OR REPLACE DEFINER = 'dc_grantor'@'localhost'
PROCEDURE datacovey_app.grant_query_dataset(IN p_dataset BIGINT)
  MODIFIES SQL DATA SQL SECURITY DEFINER
  COMMENT 'Grant dcq_<project> SELECT on one dataset''s data database of the session tenant'
BEGIN
  DECLARE v_project BIGINT;
  DECLARE v_database VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
  DECLARE v_host VARCHAR(255) CHARACTER SET ascii;

  SELECT d.project_id, d.data_database INTO v_project, v_database FROM datacovey.datasets d
   WHERE d.id = p_dataset AND d.tenant_id = datacovey.dc_tenant();
  IF v_project IS NULL OR v_database IS NULL OR v_database NOT REGEXP '^dcd_[0-9]{1,60}$' THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'grant_query_dataset: no such dataset in the session tenant';
  END IF;
  SELECT value INTO v_host FROM datacovey.account_settings WHERE name = 'account_host';
  IF v_host IS NULL OR v_host NOT REGEXP '^[A-Za-z0-9.%_:-]{1,255}$' THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'grant_query_dataset: no valid account host';
  END IF;
  -- Every piece spliced is checked above: a BIGINT, dcd_<digits>, a host without quotes. See
  -- 0011: `_` is a wildcard in a GRANT, so it is escaped.
  EXECUTE IMMEDIATE CONCAT('GRANT SELECT ON `', REPLACE(v_database, '_', '\\_'), '`.* TO ''dcq_', v_project,
                           '''@''', v_host, '''');
END;

GRANT EXECUTE ON PROCEDURE datacovey_app.grant_query_dataset TO 'dc_grantor'@'localhost';
GRANT EXECUTE ON PROCEDURE datacovey_app.grant_query_dataset TO 'dc_app'@'localhost';
