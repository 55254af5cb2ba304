-- 0011_query_accounts.sql
-- User SQL runs under a MariaDB account of its project (DESIGN section 4, SECURITY rules
-- 7-10): `dcq_<project id>`@localhost, with SELECT on that project's data databases and
-- nothing else, and the resource limits of rule 10. Never shared between projects, since
-- information_schema.PROCESSLIST shows an account its own sessions' SQL.
--
-- Creating accounts and granting needs CREATE USER and GRANT OPTION, which the responder
-- must not hold: with them it could alter any account. So a locked account, dc_grantor,
-- holds them, and two DEFINER procedures are the only way to use them. They touch only
-- `dcq_<id>` accounts, only for a project of the session's own tenant (dc_tenant(), set by
-- begin_request), and only grant SELECT on that project's datasets' databases.
--
-- Passwords: the responder derives each account's password from a secret it reads from
-- its environment (HMAC of the account name) and passes only the mysql_native_password
-- hash here. Nothing stores the password, so no tenant view can read it back.
SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';

CREATE USER IF NOT EXISTS 'dc_grantor'@'localhost' ACCOUNT LOCK;
GRANT CREATE USER ON *.* TO 'dc_grantor'@'localhost';
GRANT SELECT ON `dcd\_%`.* TO 'dc_grantor'@'localhost' WITH GRANT OPTION;
GRANT SELECT ON datacovey.projects TO 'dc_grantor'@'localhost';
GRANT SELECT ON datacovey.datasets TO 'dc_grantor'@'localhost';
GRANT EXECUTE ON FUNCTION datacovey.dc_tenant TO 'dc_grantor'@'localhost';

-- Creates the project's account if missing, sets its password hash and limits, and makes
-- its grants exactly "SELECT on each data database of the project": everything is revoked,
-- then granted again, so a dataset deleted since the last call loses its grant. Called when
-- a project or dataset is created or deleted, and by the query executor when a login fails
-- (an account of a project made before this migration, or a rotated secret).
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
  DECLARE v_account VARCHAR(80) CHARACTER SET ascii;
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

  -- Every piece spliced below is checked above: a BIGINT, a [*0-9A-F] hash, integers.
  SET v_account = CONCAT('''dcq_', p_project, '''@''localhost''');
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
    -- The CHECK on datasets.data_database keeps it to dcd_<digits>; checked again here
    -- because it is spliced into a GRANT. In a GRANT, `_` is a wildcard: unescaped,
    -- `dcd_1` would also name `dcdX1` (and dc_grantor, holding `dcd\_%`, may not grant that).
    IF v_database REGEXP '^dcd_[0-9]{1,60}$' THEN
      EXECUTE IMMEDIATE CONCAT('GRANT SELECT ON `', REPLACE(v_database, '_', '\\_'), '`.* TO ', v_account);
    END IF;
  END LOOP;
  CLOSE c_databases;
END;

-- Drops the account of a deleted project. Only a project that no longer exists (in any
-- tenant) can lose its account, so a tenant can never take another's away.
CREATE OR REPLACE DEFINER = 'dc_grantor'@'localhost'
PROCEDURE datacovey_app.drop_query_account(IN p_project BIGINT)
  MODIFIES SQL DATA SQL SECURITY DEFINER
  COMMENT 'Drop dcq_<project> once its project is deleted'
BEGIN
  IF p_project IS NULL OR EXISTS (SELECT 1 FROM datacovey.projects p WHERE p.id = p_project) THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'drop_query_account: the project still exists';
  END IF;
  EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS ''dcq_', p_project, '''@''localhost''');
END;

GRANT EXECUTE ON PROCEDURE datacovey_app.sync_query_account TO 'dc_grantor'@'localhost';
GRANT EXECUTE ON PROCEDURE datacovey_app.drop_query_account TO 'dc_grantor'@'localhost';
GRANT EXECUTE ON PROCEDURE datacovey_app.sync_query_account TO 'dc_app'@'localhost';
GRANT EXECUTE ON PROCEDURE datacovey_app.drop_query_account TO 'dc_app'@'localhost';
