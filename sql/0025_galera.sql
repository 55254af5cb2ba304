-- DataCovey 0025: what a Galera cluster changes (issue 16; docs/DESIGN.md, "Galera").
--
-- 1. The rows an append import added, as runs of row ids. A revert deleted the block
--    first_row_id … first_row_id + rows_loaded - 1, which held only while one LOAD DATA took
--    consecutive ids (innodb_autoinc_lock_mode 1 on one server). Galera needs mode 2, and its
--    wsrep_auto_increment_control makes every node step by the cluster size from its own
--    offset; with inserts into the same table running at the same time (the rows API, another
--    import) the import's ids interleave with theirs. The worker now records exactly the ids it
--    added (ImportRowRuns): runs of ids with a constant step, usually a handful per import,
--    and the revert deletes those runs and nothing else. Jobs completed before keep their
--    first_row_id and are reverted as a block, as before (their server ran mode 1).
--    Not versioned, like import_rejects: a fact about the completed job, written once in the
--    transaction that completes it and removed only with the job.
-- 2. Every data table gets a PRIMARY KEY. A table without a key of the user's had only the
--    UNIQUE key on its hidden row id: InnoDB clusters it on that key, but Galera applies and
--    certifies row events by the primary key, and operators may run with
--    innodb_force_primary_key or wsrep_mode=REQUIRED_PRIMARY_KEY. Such tables now have
--    PRIMARY KEY (`_dc_row_id`) instead of the unique key (TableDefinition makes new ones so).
-- 3. dc_data loses LOCK TABLES: nothing takes table locks (they are node-local under Galera, not
--    replicated), so the grant is one that nothing should use.

SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';
-- The data tables are system-versioned (0023): an ALTER of one is refused without KEEP.
SET SESSION system_versioning_alter_history = KEEP;

-- Runs of ids: first_row_id, first_row_id + step, …, last_row_id (step = the loading session's
-- auto_increment_increment; a run of one row has first = last).
CREATE TABLE IF NOT EXISTS datacovey.import_row_runs (
  tenant_id    BIGINT NOT NULL,
  job_id       BIGINT NOT NULL,
  first_row_id BIGINT NOT NULL,
  last_row_id  BIGINT NOT NULL,
  step         INT    NOT NULL,
  PRIMARY KEY (tenant_id, job_id, first_row_id),
  CONSTRAINT import_row_runs_shape CHECK (step >= 1 AND last_row_id >= first_row_id
                                          AND MOD(last_row_id - first_row_id, step) = 0),
  CONSTRAINT fk_import_row_runs_job FOREIGN KEY (tenant_id, job_id)
    REFERENCES datacovey.import_jobs (tenant_id, id) ON DELETE RESTRICT ON UPDATE RESTRICT
) ENGINE=InnoDB;

CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.import_row_runs AS
  SELECT tenant_id, job_id, first_row_id, last_row_id, step
  FROM datacovey.import_row_runs
  WHERE tenant_id = datacovey.dc_tenant()
  WITH CASCADED CHECK OPTION;

-- The responder reads them to revert; the worker writes them (and, with the job's other
-- dependent rows, a purge or an operator's job removal deletes them: dc_ops holds DML on datacovey.*).
GRANT SELECT ON datacovey_app.import_row_runs TO 'dc_app'@'localhost';
GRANT SELECT, INSERT, DELETE ON datacovey.import_row_runs TO 'dc_worker'@'localhost';

-- 2. A primary key on every data table (re-runnable: only tables without one are altered).
BEGIN NOT ATOMIC
  DECLARE v_schema VARCHAR(64);
  DECLARE v_table VARCHAR(64);
  DECLARE v_drop VARCHAR(40);
  DECLARE v_done BOOL DEFAULT FALSE;
  DECLARE c_tables CURSOR FOR
    SELECT c.TABLE_SCHEMA, c.TABLE_NAME FROM information_schema.COLUMNS c
      JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
     WHERE c.TABLE_SCHEMA LIKE 'dcd\_%' AND c.COLUMN_NAME = '_dc_row_id'
       AND t.TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')
       AND NOT EXISTS (SELECT 1 FROM information_schema.TABLE_CONSTRAINTS k
                        WHERE k.TABLE_SCHEMA = c.TABLE_SCHEMA AND k.TABLE_NAME = c.TABLE_NAME
                          AND k.CONSTRAINT_TYPE = 'PRIMARY KEY');
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_done = TRUE;
  OPEN c_tables;
  tables: LOOP
    FETCH c_tables INTO v_schema, v_table;
    IF v_done THEN LEAVE tables; END IF;
    -- The unique key on the row id becomes redundant (the primary key is on it).
    SET v_drop = IF(EXISTS (SELECT 1 FROM information_schema.STATISTICS s
                             WHERE s.TABLE_SCHEMA = v_schema AND s.TABLE_NAME = v_table AND s.INDEX_NAME = '_dc_row_id'),
                    'DROP INDEX `_dc_row_id`, ', '');
    EXECUTE IMMEDIATE CONCAT('ALTER TABLE `', REPLACE(v_schema, '`', '``'), '`.`', REPLACE(v_table, '`', '``'),
      '` ', v_drop, 'ADD PRIMARY KEY (`_dc_row_id`)');
  END LOOP;
  CLOSE c_tables;
END;

-- 3. No table locks.
REVOKE LOCK TABLES ON `dcd\_%`.* FROM 'dc_data'@'localhost';
