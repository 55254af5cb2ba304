-- 0012_invisible_row_id.sql
-- The hidden row id of every data table (`_dc_row_id`, TableDefinition) becomes INVISIBLE,
-- so `SELECT *` in user SQL returns the user's columns only. New tables are created so;
-- this converts the tables that exist. Re-runnable: only visible ones are altered.
SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;

BEGIN NOT ATOMIC
  DECLARE v_schema VARCHAR(64);
  DECLARE v_table VARCHAR(64);
  DECLARE v_done BOOL DEFAULT FALSE;
  DECLARE c_tables CURSOR FOR
    SELECT c.TABLE_SCHEMA, c.TABLE_NAME FROM information_schema.COLUMNS c
     WHERE c.TABLE_SCHEMA LIKE 'dcd\_%' AND c.COLUMN_NAME = '_dc_row_id'
       AND c.EXTRA NOT LIKE '%INVISIBLE%';
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_done = TRUE;
  OPEN c_tables;
  tables: LOOP
    FETCH c_tables INTO v_schema, v_table;
    IF v_done THEN LEAVE tables; END IF;
    EXECUTE IMMEDIATE CONCAT('ALTER TABLE `', REPLACE(v_schema, '`', '``'), '`.`', REPLACE(v_table, '`', '``'),
      '` MODIFY `_dc_row_id` BIGINT NOT NULL AUTO_INCREMENT INVISIBLE');
  END LOOP;
  CLOSE c_tables;
END;
