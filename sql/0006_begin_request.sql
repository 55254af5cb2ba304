-- 0006_begin_request.sql
-- One round trip to start an authenticated request: datacovey_app.begin_request(sub)
-- clears the session's scope, looks up the enabled user of an enabled tenant that the
-- Auth0 `sub` names, and — only then — scopes the session to that tenant and user
-- (@dc_tenant, @dc_user, read by dc_tenant()/dc_actor()). It returns that user's row,
-- or no row (and an unscoped session) for an unknown or disabled user.
--
-- Why a procedure: the identities view needs @dc_subject set by an earlier statement,
-- then the tenant needs a third; three round trips per request were most of the cost
-- of an API call. A CALL is one prepared statement execution.
--
-- Why it is safe to grant: dc_app can already set @dc_tenant itself (it is trusted
-- code; user SQL never runs on this account, SECURITY rule 7). The procedure grants no
-- new reach; it lets the responder do the lookup and the scoping atomically.
-- SQL SECURITY DEFINER (dc_owner) reads the base tables dc_app cannot see; it lives in
-- datacovey_app with the views so dc_app holds nothing on `datacovey`.
SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
PROCEDURE datacovey_app.begin_request(IN p_subject VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin)
  READS SQL DATA SQL SECURITY DEFINER
  COMMENT 'Scope the session to the enabled user named by an Auth0 sub; returns the user or no row'
BEGIN
  DECLARE v_user BIGINT DEFAULT NULL;
  DECLARE v_tenant BIGINT DEFAULT NULL;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_user = NULL;
  -- Whatever an earlier lease of this connection set is gone before anything is read.
  SET @dc_subject = NULL, @dc_tenant = NULL, @dc_user = NULL;
  SELECT u.id, u.tenant_id INTO v_user, v_tenant
    FROM datacovey.users u JOIN datacovey.tenants t ON t.id = u.tenant_id
   WHERE u.auth0_sub = p_subject AND u.disabled = 0 AND t.disabled = 0;
  IF v_user IS NOT NULL THEN
    SET @dc_tenant = v_tenant, @dc_user = v_user;
  END IF;
  SELECT u.id AS user_id, u.tenant_id, t.name AS tenant_name, u.email, u.name, u.role
    FROM datacovey.users u JOIN datacovey.tenants t ON t.id = u.tenant_id
   WHERE u.id = v_user;
END;

-- A DEFINER routine runs with the definer's rights, which must include running it.
GRANT EXECUTE ON PROCEDURE datacovey_app.begin_request TO 'dc_owner'@'localhost';
GRANT EXECUTE ON PROCEDURE datacovey_app.begin_request TO 'dc_app'@'localhost';
