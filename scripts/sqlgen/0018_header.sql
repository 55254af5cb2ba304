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
