-- DataCovey 0021: which job workers are alive (issue 14).
--
-- Nothing showed whether a worker ran: jobs would just wait. Each worker now keeps a row
-- here, written on its heartbeat (every third of the job lease) with `expires_at` one lease
-- ahead, and deleted when it stops. A row whose `expires_at` has passed is a worker that
-- died without stopping (kill -9, a crashed host); a worker that starts removes
-- such rows once they are a day old. The responder reads only how many are alive, through the function
-- datacovey_app.live_workers() (for /readyz: a count, no tenant's data, so not a view —
-- every view of datacovey_app is a tenant view); operators read the rows
-- (`datacovey-admin jobs workers`).

SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';

CREATE TABLE IF NOT EXISTS datacovey.worker_heartbeats (
  -- host:pid:random, the lease owner the worker writes on the jobs it runs.
  owner       VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  version     VARCHAR(32)  NOT NULL,
  slots       INT          NOT NULL,
  running     INT          NOT NULL DEFAULT 0,
  started_at  DATETIME(6)  NOT NULL,
  seen_at     DATETIME(6)  NOT NULL,
  expires_at  DATETIME(6)  NOT NULL,
  PRIMARY KEY (owner),
  KEY ix_worker_heartbeats_expires (expires_at)
) ENGINE=InnoDB;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
FUNCTION datacovey_app.live_workers() RETURNS INT
  NOT DETERMINISTIC READS SQL DATA SQL SECURITY DEFINER
  COMMENT 'How many job workers are alive (heartbeat within their lease): a count, no tenant data'
  RETURN (SELECT COUNT(*) FROM datacovey.worker_heartbeats WHERE expires_at > UTC_TIMESTAMP(6));

GRANT SELECT ON datacovey.worker_heartbeats TO 'dc_owner'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON datacovey.worker_heartbeats TO 'dc_worker'@'localhost';
-- The definer needs EXECUTE on its own routine too (as for 0015's procedures).
GRANT EXECUTE ON FUNCTION datacovey_app.live_workers TO 'dc_owner'@'localhost';
GRANT EXECUTE ON FUNCTION datacovey_app.live_workers TO 'dc_app'@'localhost';
