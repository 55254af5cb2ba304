-- 0010_worker_autodetect.sql
-- An autodetect table takes its columns from its first import: the worker, having read the
-- file, writes the column metadata and the table's physical name (then creates the table in
-- the data database). These writes pass the history triggers like any other, with the
-- importing user as actor.
SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;

GRANT INSERT ON datacovey.table_columns  TO 'dc_worker'@'localhost';
GRANT UPDATE ON datacovey.dataset_tables TO 'dc_worker'@'localhost';
