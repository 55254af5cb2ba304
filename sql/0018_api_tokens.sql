-- 0018_api_tokens.sql (generated: scripts/sqlgen/gen.py write 0018, from
-- columns/0018.tsv; edit the header, the footer or the generator, not this file)
-- API tokens for programs (issue 18): a tenant admin creates a named token with
-- a role and an expiry, sees its secret once, lists and revokes it.
-- * Only the secret's SHA-256 is stored (token_hash). Secrets are 32 random
--   bytes, so a fast hash is enough: nobody can search that space, and a
--   lookup by hash needs no per-token salt. A read of this table (or of a
--   backup) gives no usable token.
-- * Each token acts as a user row of its own (user_id), made with it: the
--   `created_by` columns and the history's actor_user_id then name the token,
--   not the admin who made it, so the audit log tells a program's writes from
--   a person's. That row can never sign in: its subject is
--   `datacovey-api-token|<hash prefix>` (no identity provider issues it, and
--   a non-NULL subject is no invitation that a sign-in could bind) and it is
--   disabled, which begin_request and open_web_session refuse. The token's
--   own row, not that user, decides whether it works and with which role.
-- * The responder (dc_app) creates and revokes through the api_tokens view,
--   whose history (api_token_history, generated below) records creation and
--   revocation. A request with a token starts with begin_token_request (like
--   begin_request for Auth0 tokens), which finds a live token by hash, scopes
--   the connection to its tenant and user, and counts the use.
-- * Uses are counted per token and hour in api_token_uses: one row per hour
--   in which the token was used (uses, first and last use). The audit log
--   lists those rows (kind token_uses, operation `use`): every use is
--   counted, and a busy token adds at most 24 rows a day, where a history
--   row per request would flood the log.

SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';

CREATE TABLE IF NOT EXISTS datacovey.api_tokens (
  id           BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id    BIGINT       NOT NULL,
  name         VARCHAR(64)  NOT NULL,
  -- The secret's first characters (`dct_` and 8 more), so people can tell
  -- their tokens apart; 48 bits of a 256-bit secret give nothing away.
  token_prefix VARCHAR(16)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  token_hash   BINARY(32)   NOT NULL,
  role         ENUM('admin','user','viewer') NOT NULL DEFAULT 'viewer',
  user_id      BIGINT       NOT NULL,
  expires_at   DATETIME(6)  NOT NULL,
  revoked_at   DATETIME(6)  NULL,
  revoked_by   BIGINT       NULL,
  created_by   BIGINT       NOT NULL,
  version      INT UNSIGNED NOT NULL DEFAULT 1,
  created_at   DATETIME(6)  NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  updated_at   DATETIME(6)  NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  PRIMARY KEY (id),
  UNIQUE KEY uq_api_tokens_hash (token_hash),
  UNIQUE KEY uq_api_tokens_tenant_id (tenant_id, id),
  UNIQUE KEY uq_api_tokens_user (user_id),
  CONSTRAINT fk_api_tokens_user FOREIGN KEY (tenant_id, user_id)
    REFERENCES datacovey.users (tenant_id, id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT fk_api_tokens_created_by FOREIGN KEY (tenant_id, created_by)
    REFERENCES datacovey.users (tenant_id, id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT fk_api_tokens_revoked_by FOREIGN KEY (tenant_id, revoked_by)
    REFERENCES datacovey.users (tenant_id, id) ON DELETE RESTRICT ON UPDATE RESTRICT,
  CONSTRAINT ck_api_tokens_name CHECK (CHAR_LENGTH(name) > 0),
  CONSTRAINT ck_api_tokens_hash CHECK (LENGTH(token_hash) = 32)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='API tokens; the secret is shown once, this table keeps its SHA-256 (0018)';

-- A log itself (like query_runs): written only by begin_token_request, no history.
CREATE TABLE IF NOT EXISTS datacovey.api_token_uses (
  id            BIGINT      NOT NULL AUTO_INCREMENT,
  tenant_id     BIGINT      NOT NULL,
  token_id      BIGINT      NOT NULL,
  user_id       BIGINT      NOT NULL,
  hour_start    DATETIME    NOT NULL,
  uses          BIGINT      NOT NULL DEFAULT 1,
  first_used_at DATETIME(6) NOT NULL,
  last_used_at  DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_api_token_uses_hour (token_id, hour_start),
  KEY ix_api_token_uses_tenant_first (tenant_id, first_used_at),
  CONSTRAINT fk_api_token_uses_token FOREIGN KEY (tenant_id, token_id)
    REFERENCES datacovey.api_tokens (tenant_id, id) ON DELETE RESTRICT ON UPDATE RESTRICT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Uses of API tokens, counted per token and hour (0018)';

-- ---------------------------------------------------------------------------
-- History tables. No FK to the entity: history outlives deletes.

CREATE TABLE IF NOT EXISTS datacovey.api_token_history (
  history_id    BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id     BIGINT       NOT NULL,
  entity_id     BIGINT       NOT NULL,
  version       INT UNSIGNED NOT NULL,
  operation     ENUM('insert','update','delete') NOT NULL,
  actor_user_id BIGINT       NULL,
  db_user       VARCHAR(128) NOT NULL,
  changed_at    DATETIME(6)  NOT NULL,
  row_image     JSON         NOT NULL,
  PRIMARY KEY (history_id),
  UNIQUE KEY uq_api_token_history_entity_version (entity_id, version),
  KEY ix_api_token_history_tenant_changed (tenant_id, changed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Versions of datacovey.api_tokens; written only by its triggers';

-- ---------------------------------------------------------------------------
-- api_tokens -> api_token_history

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.api_tokens_bi BEFORE INSERT ON datacovey.api_tokens FOR EACH ROW
BEGIN
  SET NEW.created_at = UTC_TIMESTAMP(6), NEW.updated_at = UTC_TIMESTAMP(6);
  IF NEW.id > 0 THEN
    -- Explicit id: a restore re-inserting a deleted entity continues its
    -- version sequence (UNIQUE (entity_id, version) would refuse 1 again).
    IF (SELECT h.tenant_id FROM datacovey.api_token_history h WHERE h.entity_id = NEW.id
        ORDER BY h.version DESC LIMIT 1) <> NEW.tenant_id THEN
      SIGNAL SQLSTATE '45000'
        SET MESSAGE_TEXT = 'datacovey: id belongs to another tenant';
    END IF;
    SET NEW.version = COALESCE(
      (SELECT MAX(h.version) FROM datacovey.api_token_history h WHERE h.entity_id = NEW.id), 0) + 1;
  ELSE
    SET NEW.version = 1;
  END IF;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.api_tokens_bu BEFORE UPDATE ON datacovey.api_tokens FOR EACH ROW
BEGIN
  SET NEW.created_at = OLD.created_at, NEW.updated_at = UTC_TIMESTAMP(6);
  SET NEW.version = OLD.version + 1;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.api_tokens_ai AFTER INSERT ON datacovey.api_tokens FOR EACH ROW
BEGIN
  INSERT INTO datacovey.api_token_history
    (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
  VALUES (NEW.tenant_id, NEW.id, NEW.version, 'insert', datacovey.dc_actor(),
    COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
    JSON_OBJECT(
      'id', NEW.id, 'tenant_id', NEW.tenant_id, 'name', NEW.name,
      'token_prefix', NEW.token_prefix, 'role', NEW.role,
      'user_id', NEW.user_id, 'expires_at', NEW.expires_at,
      'revoked_at', NEW.revoked_at, 'revoked_by', NEW.revoked_by,
      'created_by', NEW.created_by, 'version', NEW.version,
      'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.api_tokens_au AFTER UPDATE ON datacovey.api_tokens FOR EACH ROW
BEGIN
  IF NOT (NEW.id <=> OLD.id AND NEW.tenant_id <=> OLD.tenant_id) THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'datacovey: id and tenant_id cannot change';
  END IF;
  IF NEW.version <> OLD.version THEN
    INSERT INTO datacovey.api_token_history
      (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
    VALUES (NEW.tenant_id, NEW.id, NEW.version, 'update', datacovey.dc_actor(),
      COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
      JSON_OBJECT(
        'id', NEW.id, 'tenant_id', NEW.tenant_id, 'name', NEW.name,
        'token_prefix', NEW.token_prefix, 'role', NEW.role,
        'user_id', NEW.user_id, 'expires_at', NEW.expires_at,
        'revoked_at', NEW.revoked_at, 'revoked_by', NEW.revoked_by,
        'created_by', NEW.created_by, 'version', NEW.version,
        'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
  END IF;
END;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
TRIGGER datacovey.api_tokens_ad AFTER DELETE ON datacovey.api_tokens FOR EACH ROW
BEGIN
  -- REPLACE through a view deletes the conflicting row unchecked (see header).
  IF OLD.tenant_id <> datacovey.dc_tenant() THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'datacovey: row belongs to another tenant';
  END IF;
  INSERT INTO datacovey.api_token_history
    (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
  VALUES (OLD.tenant_id, OLD.id, OLD.version + 1, 'delete', datacovey.dc_actor(),
    COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),
    JSON_OBJECT(
      'id', OLD.id, 'tenant_id', OLD.tenant_id, 'name', OLD.name,
      'token_prefix', OLD.token_prefix, 'role', OLD.role,
      'user_id', OLD.user_id, 'expires_at', OLD.expires_at,
      'revoked_at', OLD.revoked_at, 'revoked_by', OLD.revoked_by,
      'created_by', OLD.created_by, 'version', OLD.version,
      'created_at', OLD.created_at, 'updated_at', OLD.updated_at));
END;

-- ---------------------------------------------------------------------------
-- Their tenant views and history views.

CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.api_tokens AS
  SELECT id, tenant_id, name, token_prefix, token_hash, role, user_id,
         expires_at, revoked_at, revoked_by, created_by, version,
         created_at, updated_at
  FROM datacovey.api_tokens
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;

CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.api_token_history AS
  SELECT history_id, tenant_id, entity_id, version, operation,
         actor_user_id, db_user, changed_at, row_image
  FROM datacovey.api_token_history
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;

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
