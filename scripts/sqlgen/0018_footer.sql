
-- ---------------------------------------------------------------------------
-- The uses, shaped like a history view so the audit log merges them with the
-- other kinds: one entry per token and hour, at its first use, operation `use`,
-- by the token's user; the record carries the count so far. The types match the
-- history tables' (a UNION of INT UNSIGNED with a plain 1 is DECIMAL; a literal
-- takes the view creator's connection collation unless it is named).
CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.api_token_use_log AS
  SELECT id AS history_id, tenant_id, token_id AS entity_id, CAST(1 AS UNSIGNED) AS version,
         'use' COLLATE utf8mb4_unicode_ci AS operation, user_id AS actor_user_id,
         'begin_token_request' COLLATE utf8mb4_unicode_ci AS db_user, first_used_at AS changed_at,
         JSON_OBJECT('token_id', token_id, 'hour_start', hour_start, 'uses', uses,
                     'first_used_at', first_used_at, 'last_used_at', last_used_at) AS row_image
  FROM datacovey.api_token_uses
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;

-- Last use per token, for the list (the uses table is indexed by token first).
CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.api_token_uses AS
  SELECT id, tenant_id, token_id, user_id, hour_start, uses, first_used_at, last_used_at
  FROM datacovey.api_token_uses
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;

-- ---------------------------------------------------------------------------
-- begin_token_request: begin_request for API tokens. Clears the session's
-- scope, finds the token by its hash — live (not revoked, not expired) in an
-- enabled tenant — and only then scopes the session to that tenant and the
-- token's user, counts the use, and returns the identity with the token's own
-- role (the role it was created with; its user row's role is not read, so
-- nothing done to that row can widen it). No row and an unscoped session for
-- anything else. Whether its creator is still an admin does not matter: a
-- token belongs to the tenant, and admins revoke it here.
CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
PROCEDURE datacovey_app.begin_token_request(IN p_token_hash BINARY(32))
  MODIFIES SQL DATA SQL SECURITY DEFINER
  COMMENT 'Scope the session to a live API token; counts the use; returns its identity or no row'
BEGIN
  DECLARE v_token BIGINT DEFAULT NULL;
  DECLARE v_tenant BIGINT DEFAULT NULL;
  DECLARE v_user BIGINT DEFAULT NULL;
  DECLARE v_now DATETIME(6) DEFAULT UTC_TIMESTAMP(6);
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_token = NULL;
  SET @dc_subject = NULL, @dc_tenant = NULL, @dc_user = NULL;
  SELECT k.id, k.tenant_id, k.user_id INTO v_token, v_tenant, v_user
    FROM datacovey.api_tokens k JOIN datacovey.tenants t ON t.id = k.tenant_id
   WHERE k.token_hash = p_token_hash AND k.revoked_at IS NULL AND k.expires_at > v_now AND t.disabled = 0;
  IF v_token IS NOT NULL THEN
    INSERT INTO datacovey.api_token_uses (tenant_id, token_id, user_id, hour_start, uses, first_used_at, last_used_at)
    VALUES (v_tenant, v_token, v_user, DATE_FORMAT(v_now, '%Y-%m-%d %H:00:00'), 1, v_now, v_now)
    ON DUPLICATE KEY UPDATE uses = uses + 1, last_used_at = VALUES(last_used_at);
    SET @dc_tenant = v_tenant, @dc_user = v_user;
  END IF;
  SELECT u.id AS user_id, k.tenant_id, t.name AS tenant_name, u.email, u.name, k.role, k.id AS token_id
    FROM datacovey.api_tokens k
    JOIN datacovey.users u ON u.id = k.user_id AND u.tenant_id = k.tenant_id
    JOIN datacovey.tenants t ON t.id = k.tenant_id
   WHERE k.id = v_token;
END;

GRANT EXECUTE ON PROCEDURE datacovey_app.begin_token_request TO 'dc_owner'@'localhost';
GRANT EXECUTE ON PROCEDURE datacovey_app.begin_token_request TO 'dc_app'@'localhost';

-- ---------------------------------------------------------------------------
-- Grants (SECURITY rule 4: views only). Tokens are created and revoked, never
-- edited or deleted: history keeps what each one was.
GRANT SELECT, INSERT ON datacovey_app.api_tokens TO 'dc_app'@'localhost';
GRANT UPDATE (revoked_at, revoked_by) ON datacovey_app.api_tokens TO 'dc_app'@'localhost';
GRANT SELECT ON datacovey_app.api_token_history TO 'dc_app'@'localhost';
GRANT SELECT ON datacovey_app.api_token_use_log TO 'dc_app'@'localhost';
GRANT SELECT ON datacovey_app.api_token_uses TO 'dc_app'@'localhost';
