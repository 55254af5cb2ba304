-- 0007_idempotency_keys.sql
-- Idempotency-Key on POST (DESIGN §6): the first request with a key stores its response;
-- a retry with the same key and the same request gets that response again instead of
-- creating a second resource. Scoped per tenant and user, kept 24 hours (older rows are
-- ignored and replaced).
--
-- status is NULL while the first request is still running, so a concurrent retry is told
-- to wait (409) rather than racing it: the UNIQUE key makes the claim atomic.
-- Not a tracked entity: no version or history, only the tenant scoping every table gets.
SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';

CREATE TABLE IF NOT EXISTS datacovey.idempotency_keys (
  id              BIGINT        NOT NULL AUTO_INCREMENT,
  tenant_id       BIGINT        NOT NULL,
  user_id         BIGINT        NOT NULL,
  idempotency_key VARCHAR(255)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  request_hash    CHAR(64)      CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  status          SMALLINT      NULL,
  response_body   MEDIUMBLOB    NULL,
  location        VARCHAR(1024) NULL,
  etag            VARCHAR(64)   NULL,
  created_at      DATETIME(6)   NOT NULL DEFAULT UTC_TIMESTAMP(6),
  PRIMARY KEY (id),
  UNIQUE KEY uq_idempotency_keys (tenant_id, user_id, idempotency_key),
  KEY ix_idempotency_keys_created (created_at),
  CONSTRAINT fk_idempotency_keys_tenant FOREIGN KEY (tenant_id) REFERENCES datacovey.tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.idempotency_keys AS
  SELECT id, tenant_id, user_id, idempotency_key, request_hash, status, response_body, location, etag, created_at
  FROM datacovey.idempotency_keys
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;

GRANT SELECT, INSERT, UPDATE, DELETE ON datacovey_app.idempotency_keys TO 'dc_app'@'localhost';
