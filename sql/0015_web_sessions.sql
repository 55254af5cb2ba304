-- 0015_web_sessions.sql
-- Browser sessions (issue 7, DESIGN section 5): after an OpenID Connect sign-in
-- the responder keeps a server-side session, named by a random token in a
-- `__Host-` cookie. Only the token's SHA-256 is stored, so a read of this table
-- gives no usable cookie. A session expires, and is revoked on sign-out.
--
-- As with API tokens (0006 begin_request), a session is looked up before the
-- tenant is known, so the responder (dc_app) reaches this table only through
-- DEFINER procedures that take the token hash:
-- * open_web_session: a session for the enabled user with a verified `sub`;
-- * begin_web_request: scopes the connection (@dc_tenant, @dc_user) to a live
--   session's user, as begin_request does, and returns the user and the
--   session's CSRF token; no row for an unknown, expired or revoked session or
--   a disabled user or tenant;
-- * close_web_session: revokes it (sign-out);
-- * local_users: the users of the embedded development issuer (`local|…`
--   subjects), which its sign-in page lists; the responder calls it only when
--   no Auth0 domain is configured.

SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';

CREATE TABLE IF NOT EXISTS datacovey.web_sessions (
  id          BIGINT       NOT NULL AUTO_INCREMENT,
  token_hash  BINARY(32)   NOT NULL,
  tenant_id   BIGINT       NOT NULL,
  user_id     BIGINT       NOT NULL,
  csrf_token  CHAR(43)     CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  created_at  DATETIME(6)  NOT NULL,
  expires_at  DATETIME(6)  NOT NULL,
  revoked_at  DATETIME(6)  NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_web_sessions_token (token_hash),
  KEY ix_web_sessions_expires (expires_at),
  CONSTRAINT fk_web_sessions_user FOREIGN KEY (tenant_id, user_id)
    REFERENCES datacovey.users (tenant_id, id) ON DELETE CASCADE ON UPDATE RESTRICT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Browser sessions; the cookie holds the token, this table its SHA-256 (0015)';

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
PROCEDURE datacovey_app.open_web_session(
  IN p_subject VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  IN p_token_hash BINARY(32),
  IN p_csrf CHAR(43) CHARACTER SET ascii COLLATE ascii_bin,
  IN p_hours INT)
  MODIFIES SQL DATA SQL SECURITY DEFINER
  COMMENT 'A session for the enabled user with this sub; returns the user or no row'
BEGIN
  DECLARE v_user BIGINT DEFAULT NULL;
  DECLARE v_tenant BIGINT DEFAULT NULL;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_user = NULL;
  IF p_hours IS NULL OR p_hours NOT BETWEEN 1 AND 720 OR LENGTH(p_token_hash) <> 32 OR LENGTH(p_csrf) <> 43 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'open_web_session: bad arguments';
  END IF;
  SELECT u.id, u.tenant_id INTO v_user, v_tenant
    FROM datacovey.users u JOIN datacovey.tenants t ON t.id = u.tenant_id
   WHERE u.auth0_sub = p_subject AND u.disabled = 0 AND t.disabled = 0;
  IF v_user IS NOT NULL THEN
    INSERT INTO datacovey.web_sessions (token_hash, tenant_id, user_id, csrf_token, created_at, expires_at)
    VALUES (p_token_hash, v_tenant, v_user, p_csrf, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL p_hours HOUR);
  END IF;
  SELECT u.id AS user_id, u.tenant_id, t.name AS tenant_name, u.email, u.name, u.role
    FROM datacovey.users u JOIN datacovey.tenants t ON t.id = u.tenant_id
   WHERE u.id = v_user;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
PROCEDURE datacovey_app.begin_web_request(IN p_token_hash BINARY(32))
  READS SQL DATA SQL SECURITY DEFINER
  COMMENT 'Scope the connection to a live session''s user; returns the user and CSRF token or no row'
BEGIN
  DECLARE v_user BIGINT DEFAULT NULL;
  DECLARE v_tenant BIGINT DEFAULT NULL;
  DECLARE v_csrf CHAR(43) CHARACTER SET ascii COLLATE ascii_bin DEFAULT NULL;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_user = NULL;
  SET @dc_subject = NULL, @dc_tenant = NULL, @dc_user = NULL;
  SELECT u.id, u.tenant_id, s.csrf_token INTO v_user, v_tenant, v_csrf
    FROM datacovey.web_sessions s
    JOIN datacovey.users u ON u.id = s.user_id AND u.tenant_id = s.tenant_id
    JOIN datacovey.tenants t ON t.id = u.tenant_id
   WHERE s.token_hash = p_token_hash AND s.revoked_at IS NULL AND s.expires_at > UTC_TIMESTAMP(6)
     AND u.disabled = 0 AND t.disabled = 0;
  IF v_user IS NOT NULL THEN
    SET @dc_tenant = v_tenant, @dc_user = v_user;
  END IF;
  SELECT u.id AS user_id, u.tenant_id, t.name AS tenant_name, u.email, u.name, u.role, v_csrf AS csrf_token
    FROM datacovey.users u JOIN datacovey.tenants t ON t.id = u.tenant_id
   WHERE u.id = v_user;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
PROCEDURE datacovey_app.close_web_session(IN p_token_hash BINARY(32))
  MODIFIES SQL DATA SQL SECURITY DEFINER
  COMMENT 'Revoke a session (sign-out)'
BEGIN
  UPDATE datacovey.web_sessions SET revoked_at = UTC_TIMESTAMP(6)
   WHERE token_hash = p_token_hash AND revoked_at IS NULL;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
PROCEDURE datacovey_app.local_users(IN p_subject VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin)
  READS SQL DATA SQL SECURITY DEFINER
  COMMENT 'Enabled users of the development issuer (local| subjects): the first 200, or the one named'
BEGIN
  SELECT u.auth0_sub, u.email, u.name, u.role, t.name AS tenant_name
    FROM datacovey.users u JOIN datacovey.tenants t ON t.id = u.tenant_id
   WHERE u.auth0_sub LIKE 'local|%' AND u.disabled = 0 AND t.disabled = 0
     AND (p_subject IS NULL OR u.auth0_sub = p_subject)
   ORDER BY t.name, u.email
   LIMIT 200;
END;

-- The definer needs EXECUTE on its own routines too (as for begin_request in 0006).
GRANT EXECUTE ON PROCEDURE datacovey_app.local_users TO 'dc_owner'@'localhost';
GRANT EXECUTE ON PROCEDURE datacovey_app.open_web_session TO 'dc_owner'@'localhost';
GRANT EXECUTE ON PROCEDURE datacovey_app.begin_web_request TO 'dc_owner'@'localhost';
GRANT EXECUTE ON PROCEDURE datacovey_app.close_web_session TO 'dc_owner'@'localhost';
GRANT EXECUTE ON PROCEDURE datacovey_app.local_users TO 'dc_app'@'localhost';
GRANT EXECUTE ON PROCEDURE datacovey_app.open_web_session TO 'dc_app'@'localhost';
GRANT EXECUTE ON PROCEDURE datacovey_app.begin_web_request TO 'dc_app'@'localhost';
GRANT EXECUTE ON PROCEDURE datacovey_app.close_web_session TO 'dc_app'@'localhost';
