-- DataCovey 0020: the host of the database accounts, configurable (issue 14).
--
-- Every login account was 'name'@'localhost', which only a client on the database host
-- itself (through the unix socket) can use: a remote MariaDB, or a Galera cluster, could not
-- be reached. `datacovey-admin migrate` now takes DATACOVEY_DB_ACCOUNT_HOST (default
-- localhost; e.g. '10.0.0.%', the application subnet): it gives dc_app, dc_data, dc_ops and
-- dc_worker an account at that host with exactly the grants of their 'localhost' account,
-- and records the host here, where the procedures below read it to create each project's
-- query account (dcq_<project>) at the same host.
--
-- Definers (dc_owner, dc_grantor) stay at 'localhost': they never log in, they are only the
-- identities views, triggers and procedures run as.

CREATE TABLE IF NOT EXISTS datacovey.account_settings (
  name  VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  value VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  -- Spliced into CREATE USER by the procedures below: never a quote or a backslash.
  CONSTRAINT account_settings_host CHECK (name <> 'account_host' OR value REGEXP '^[A-Za-z0-9.%_:-]{1,255}$')
) ENGINE=InnoDB;

INSERT IGNORE INTO datacovey.account_settings (name, value) VALUES ('account_host', 'localhost');

GRANT SELECT ON datacovey.account_settings TO 'dc_grantor'@'localhost';
GRANT SELECT ON datacovey.account_settings TO 'dc_ops'@'localhost';

-- As 0011's, with the account at the recorded host.
CREATE OR REPLACE DEFINER = 'dc_grantor'@'localhost'
PROCEDURE datacovey_app.sync_query_account(
  IN p_project BIGINT,
  IN p_password_hash VARCHAR(41) CHARACTER SET ascii COLLATE ascii_bin,
  IN p_max_connections INT,
  IN p_max_queries_per_hour INT,
  IN p_max_statement_seconds INT)
  MODIFIES SQL DATA SQL SECURITY DEFINER
  COMMENT 'Create or repair dcq_<project>: password hash, limits, SELECT on the project data databases'
BEGIN
  DECLARE v_account VARCHAR(300) CHARACTER SET ascii;
  DECLARE v_host VARCHAR(255) CHARACTER SET ascii;
  DECLARE v_database VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
  DECLARE v_done BOOL DEFAULT FALSE;
  DECLARE c_databases CURSOR FOR
    SELECT d.data_database FROM datacovey.datasets d
     WHERE d.tenant_id = datacovey.dc_tenant() AND d.project_id = p_project
       AND d.data_database IS NOT NULL;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_done = TRUE;

  IF p_project IS NULL OR NOT EXISTS (
       SELECT 1 FROM datacovey.projects p WHERE p.id = p_project AND p.tenant_id = datacovey.dc_tenant()) THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'sync_query_account: no such project in the session tenant';
  END IF;
  IF p_password_hash IS NULL OR p_password_hash NOT REGEXP '^[*][0-9A-F]{40}$' THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'sync_query_account: not a mysql_native_password hash';
  END IF;
  IF p_max_connections IS NULL OR p_max_connections NOT BETWEEN 1 AND 1000
     OR p_max_queries_per_hour IS NULL OR p_max_queries_per_hour NOT BETWEEN 1 AND 100000000
     OR p_max_statement_seconds IS NULL OR p_max_statement_seconds NOT BETWEEN 1 AND 86400 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'sync_query_account: limit out of range';
  END IF;
  SELECT value INTO v_host FROM datacovey.account_settings WHERE name = 'account_host';
  IF v_host IS NULL OR v_host NOT REGEXP '^[A-Za-z0-9.%_:-]{1,255}$' THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'sync_query_account: no valid account host';
  END IF;

  -- Every piece spliced below is checked above: a BIGINT, a [*0-9A-F] hash, integers, a host
  -- without quotes.
  SET v_account = CONCAT('''dcq_', p_project, '''@''', v_host, '''');
  EXECUTE IMMEDIATE CONCAT('CREATE USER IF NOT EXISTS ', v_account,
    ' IDENTIFIED BY PASSWORD ''', p_password_hash, '''');
  EXECUTE IMMEDIATE CONCAT('ALTER USER ', v_account,
    ' IDENTIFIED BY PASSWORD ''', p_password_hash, '''',
    ' WITH MAX_USER_CONNECTIONS ', p_max_connections,
    ' MAX_QUERIES_PER_HOUR ', p_max_queries_per_hour,
    ' MAX_STATEMENT_TIME ', p_max_statement_seconds);
  EXECUTE IMMEDIATE CONCAT('REVOKE ALL PRIVILEGES, GRANT OPTION FROM ', v_account);
  OPEN c_databases;
  grants: LOOP
    FETCH c_databases INTO v_database;
    IF v_done THEN LEAVE grants; END IF;
    -- See 0011: `_` is a wildcard in a GRANT, so it is escaped.
    IF v_database REGEXP '^dcd_[0-9]{1,60}$' THEN
      EXECUTE IMMEDIATE CONCAT('GRANT SELECT ON `', REPLACE(v_database, '_', '\\_'), '`.* TO ', v_account);
    END IF;
  END LOOP;
  CLOSE c_databases;
END;

-- As 0011's: the account at the recorded host and, from before a host was configured, at
-- localhost.
CREATE OR REPLACE DEFINER = 'dc_grantor'@'localhost'
PROCEDURE datacovey_app.drop_query_account(IN p_project BIGINT)
  MODIFIES SQL DATA SQL SECURITY DEFINER
  COMMENT 'Drop dcq_<project> once its project is deleted'
BEGIN
  DECLARE v_host VARCHAR(255) CHARACTER SET ascii;
  IF p_project IS NULL OR EXISTS (SELECT 1 FROM datacovey.projects p WHERE p.id = p_project) THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'drop_query_account: the project still exists';
  END IF;
  SELECT value INTO v_host FROM datacovey.account_settings WHERE name = 'account_host';
  EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS ''dcq_', p_project, '''@''localhost''');
  IF v_host REGEXP '^[A-Za-z0-9.%_:-]{1,255}$' THEN
    EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS ''dcq_', p_project, '''@''', v_host, '''');
  END IF;
END;

-- Replacing a procedure does not keep who may run it.
GRANT EXECUTE ON PROCEDURE datacovey_app.sync_query_account TO 'dc_grantor'@'localhost';
GRANT EXECUTE ON PROCEDURE datacovey_app.drop_query_account TO 'dc_grantor'@'localhost';
GRANT EXECUTE ON PROCEDURE datacovey_app.sync_query_account TO 'dc_app'@'localhost';
GRANT EXECUTE ON PROCEDURE datacovey_app.drop_query_account TO 'dc_app'@'localhost';
