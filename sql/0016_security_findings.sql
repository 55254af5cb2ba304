-- 0016_security_findings.sql
-- Findings of an adversarial probe (issue 19):
-- * Identity subjects are no longer chosen by tenant admins. A user a tenant
--   admin adds is an invitation: `auth0_sub` stays NULL until that person first
--   signs in through the identity provider, whose ID token proves the e-mail
--   (`email_verified`); open_web_session then binds the subject to the one
--   invitation with that e-mail. Operators (datacovey-admin) may still set a
--   subject. Subjects stay unique across tenants (a person signs in to one
--   tenant), but since no tenant can pick one, no answer reveals another
--   tenant's users and no tenant can claim a person before their own tenant.
-- * Dry runs (EXPLAIN) are recorded in the run history like runs: EXPLAIN
--   evaluates constant subqueries, so a dry run reads data and must leave a
--   trace. `dry_run` tells them apart.

SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';

-- NULL = invited, not signed in yet. The unique key allows many NULLs; the
-- CHECK (CHAR_LENGTH > 0) of 0001 still refuses an empty subject.
ALTER TABLE datacovey.users
  MODIFY auth0_sub VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL;

ALTER TABLE datacovey.query_runs
  ADD COLUMN dry_run BOOL NOT NULL DEFAULT 0 AFTER params;

CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.query_runs AS
  SELECT id, tenant_id, project_id, query_id, user_id, sql_text, params, dry_run,
         status, started_at, finished_at, duration_ms, row_count, error,
         version, created_at, updated_at
  FROM datacovey.query_runs
  WHERE tenant_id = datacovey.dc_tenant() AND trash_id = 0
  WITH CASCADED CHECK OPTION;

CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.query_runs_with_trash AS
  SELECT id, tenant_id, project_id, query_id, user_id, sql_text, params, dry_run,
         status, started_at, finished_at, duration_ms, row_count, error,
         version, created_at, updated_at, trash_id
  FROM datacovey.query_runs
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;

-- open_web_session now takes the ID token's e-mail when the provider verified
-- it (NULL otherwise). A subject not known yet is bound to the single enabled
-- invitation (auth0_sub IS NULL) with that e-mail in an enabled tenant; with
-- invitations in several tenants nothing is bound and the sign-in is refused
-- (SIGNAL), since the sign-in cannot tell which tenant the person means.
CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
PROCEDURE datacovey_app.open_web_session(
  IN p_subject VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  IN p_email VARCHAR(320),
  IN p_token_hash BINARY(32),
  IN p_csrf CHAR(43) CHARACTER SET ascii COLLATE ascii_bin,
  IN p_hours INT)
  MODIFIES SQL DATA SQL SECURITY DEFINER
  COMMENT 'A session for the enabled user with this sub (binding an invitation by verified e-mail); returns the user or no row'
BEGIN
  DECLARE v_user BIGINT DEFAULT NULL;
  DECLARE v_tenant BIGINT DEFAULT NULL;
  DECLARE v_invitations INT DEFAULT 0;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_user = NULL;
  IF p_hours IS NULL OR p_hours NOT BETWEEN 1 AND 720 OR LENGTH(p_token_hash) <> 32 OR LENGTH(p_csrf) <> 43
     OR p_subject IS NULL OR CHAR_LENGTH(p_subject) = 0 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'open_web_session: bad arguments';
  END IF;
  IF p_email IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM datacovey.users WHERE auth0_sub = p_subject) THEN
    SELECT COUNT(*), MIN(u.id) INTO v_invitations, v_user
      FROM datacovey.users u JOIN datacovey.tenants t ON t.id = u.tenant_id
     WHERE u.auth0_sub IS NULL AND u.email = LOWER(p_email) AND u.disabled = 0 AND t.disabled = 0;
    IF v_invitations > 1 THEN
      SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'datacovey: invited by several tenants';
    END IF;
    IF v_invitations = 1 THEN
      -- The history records the person as the one who bound their account.
      SET @dc_user = v_user;
      UPDATE datacovey.users SET auth0_sub = p_subject WHERE id = v_user AND auth0_sub IS NULL;
      SET @dc_user = NULL;
    END IF;
    SET v_user = NULL;
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

-- The development provider's users: those with a `local|` subject, and the
-- invitations, under the subject the provider will sign for them
-- (`local|user-<id>`), which their first sign-in binds.
CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
PROCEDURE datacovey_app.local_users(IN p_subject VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin)
  READS SQL DATA SQL SECURITY DEFINER
  COMMENT 'Enabled users of the development issuer (local| subjects and invitations): the first 200, or the one named'
BEGIN
  SELECT COALESCE(u.auth0_sub, CONCAT('local|user-', u.id)) AS subject, u.email, COALESCE(u.name, u.email) AS name,
         u.role, t.name AS tenant_name
    FROM datacovey.users u JOIN datacovey.tenants t ON t.id = u.tenant_id
   WHERE (u.auth0_sub LIKE 'local|%' OR u.auth0_sub IS NULL) AND u.disabled = 0 AND t.disabled = 0
     AND (p_subject IS NULL OR u.auth0_sub = p_subject
          OR (u.auth0_sub IS NULL AND CONCAT('local|user-', u.id) = p_subject))
   ORDER BY t.name, u.email
   LIMIT 200;
END;

GRANT EXECUTE ON PROCEDURE datacovey_app.open_web_session TO 'dc_owner'@'localhost';
GRANT EXECUTE ON PROCEDURE datacovey_app.open_web_session TO 'dc_app'@'localhost';
GRANT EXECUTE ON PROCEDURE datacovey_app.local_users TO 'dc_owner'@'localhost';
GRANT EXECUTE ON PROCEDURE datacovey_app.local_users TO 'dc_app'@'localhost';
