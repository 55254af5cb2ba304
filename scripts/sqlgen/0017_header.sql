-- 0017_value_model.sql (generated: scripts/sqlgen/gen.py write 0017, from
-- columns/0017.tsv; edit the header or the generator, not this file)
-- The one value model (issue 13) names columns a file's header could not:
-- * table_columns.label keeps the header or member name a column was made of
--   when it could not be the column's name itself (`On Street` -> on_street,
--   `key` -> key_); NULL when the name is the header as written.
-- * import_jobs.header_mapping lists, for one import, the headers or members
--   that were matched to a column under another name:
--   [{"header": "On Street", "column": "on_street"}, ...]; NULL when none were.
-- * A first import that defined an autodetect table and then failed (or was a
--   dry run) takes its definition back, since the file itself refused it: the
--   worker deletes the columns it inserted and clears the physical name.

SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';

ALTER TABLE datacovey.table_columns
  ADD COLUMN IF NOT EXISTS label VARCHAR(255) NULL AFTER name;

ALTER TABLE datacovey.import_jobs
  ADD COLUMN IF NOT EXISTS header_mapping JSON NULL,
  ADD CONSTRAINT ck_import_jobs_header_mapping
    CHECK (header_mapping IS NULL OR JSON_TYPE(header_mapping) = 'ARRAY');

GRANT DELETE ON datacovey.table_columns TO 'dc_worker'@'localhost';
