-- 0019_column_descriptions.sql (generated: scripts/sqlgen/gen.py write 0019, from
-- columns/0019.tsv; edit the header or the generator, not this file)
-- A column may have a description (issue 18: the new-table form takes one per column),
-- shown by GET /tables/{id} and kept in the column's history like its other fields.

SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';

ALTER TABLE datacovey.table_columns
  ADD COLUMN IF NOT EXISTS description TEXT NULL AFTER is_primary_key;
