-- DataCovey 0023: time travel on every data table (issue 15).
--
-- Every data table becomes `WITH SYSTEM VERSIONING` (MariaDB's own system-versioned tables): an
-- UPDATE or DELETE keeps the row as it was, stamped with the instants it was valid, in the same
-- table (hidden ROW_START/ROW_END columns). `GET …/rows?as_of=`, exports, row history and
-- restore read them with `FOR SYSTEM_TIME`. New tables are created so (TableDefinition); this
-- converts the tables that exist.
--
-- Why these choices:
-- * Timestamp-based versioning (the implicit ROW_START/ROW_END TIMESTAMP(6) columns), not
--   transaction-id based: no mysql.transaction_registry to grow and purge, nothing Galera
--   (issue 16) would have to replicate besides the rows, and `AS OF TIMESTAMP` reads the table's
--   own columns. A timestamp is a statement's start, so a change of several statements pins the
--   session's @@timestamp for its transaction (TimeTravel.pinned) to stamp its rows alike.
-- * Every `dcd\_%` database, the trash (`dcd_0`) included: a table comes back from the trash and
--   must then be versioned like any other; converting only adds two invisible columns.
-- * Re-runnable: only tables not yet versioned are altered (information_schema.TABLES'
--   TABLE_TYPE is 'SYSTEM VERSIONED' once they are).
-- * Existing rows' versions start now: nothing before this migration can be travelled to, so
--   `time_travel_start` records the instant, and an as_of before it is refused (410) rather
--   than shown as an empty table. It also tells an import replaced the old way (a RENAME swap,
--   its rows in the trash) from one replaced in place (ImportRevert).
-- * Retention per tenant lives in a small settings table of its own, not in `tenants` (whose
--   history triggers are generated): absent means the site's DATACOVEY_TIME_TRAVEL_DAYS.
-- * dc_data may `DELETE HISTORY` in the data databases: `datacovey-admin maintenance` purges
--   versions older than each tenant's retention on that account.
-- * Nothing here assumes contiguous ids (issue 16, Galera): rows are matched by their row id or
--   key, never by an id range.
SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';

CREATE TABLE IF NOT EXISTS datacovey.time_travel_start (
  id          TINYINT     NOT NULL DEFAULT 1,
  versioned_since DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT ck_time_travel_start_one CHECK (id = 1)
) ENGINE=InnoDB COMMENT='When every data table became system-versioned (0023)';
INSERT IGNORE INTO datacovey.time_travel_start (id, versioned_since) VALUES (1, UTC_TIMESTAMP(6));

CREATE TABLE IF NOT EXISTS datacovey.time_travel_retention (
  tenant_id BIGINT       NOT NULL,
  days      INT UNSIGNED NOT NULL,
  PRIMARY KEY (tenant_id),
  CONSTRAINT fk_time_travel_retention_tenant FOREIGN KEY (tenant_id) REFERENCES datacovey.tenants (id) ON DELETE CASCADE,
  CONSTRAINT ck_time_travel_retention_days CHECK (days BETWEEN 1 AND 36500)
) ENGINE=InnoDB COMMENT='A tenant''s time-travel retention in days, when not the site default';

-- What the responder reads: the session tenant's retention (NULL: the site's) and the start
-- of time travel, one row through the tenant's primary key (a tenant view like the others:
-- empty without @dc_tenant). Read-only by grant (SELECT) and, being a join, not updatable, so
-- it has no CHECK OPTION, like `identities`.
CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.time_travel AS
  SELECT t.id AS tenant_id, r.days, s.versioned_since
  FROM datacovey.tenants t
  LEFT JOIN datacovey.time_travel_retention r ON r.tenant_id = t.id
  LEFT JOIN datacovey.time_travel_start s ON s.id = 1
  WHERE t.id = datacovey.dc_tenant();

GRANT SELECT ON datacovey.time_travel_retention TO 'dc_owner'@'localhost';
GRANT SELECT ON datacovey.time_travel_start TO 'dc_owner'@'localhost';
GRANT SELECT ON datacovey_app.time_travel TO 'dc_app'@'localhost';
GRANT DELETE HISTORY ON `dcd\_%`.* TO 'dc_data'@'localhost';

BEGIN NOT ATOMIC
  DECLARE v_schema VARCHAR(64);
  DECLARE v_table VARCHAR(64);
  DECLARE v_done BOOL DEFAULT FALSE;
  DECLARE c_tables CURSOR FOR
    SELECT t.TABLE_SCHEMA, t.TABLE_NAME FROM information_schema.TABLES t
     WHERE t.TABLE_SCHEMA LIKE 'dcd\_%' AND t.TABLE_TYPE = 'BASE TABLE';
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_done = TRUE;
  OPEN c_tables;
  tables: LOOP
    FETCH c_tables INTO v_schema, v_table;
    IF v_done THEN LEAVE tables; END IF;
    EXECUTE IMMEDIATE CONCAT('ALTER TABLE `', REPLACE(v_schema, '`', '``'), '`.`', REPLACE(v_table, '`', '``'),
      '` ADD SYSTEM VERSIONING');
  END LOOP;
  CLOSE c_tables;
END;
