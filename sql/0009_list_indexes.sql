-- 0009_list_indexes.sql
-- Child lists page by (parent, id): `WHERE project_id = ? AND id > ? ORDER BY id LIMIT n`
-- through the tenant views. An index in exactly that order (after tenant_id, which every
-- view predicate fixes) returns the page without a sort; the unique (parent, name) keys
-- could only filter, then sort. Measured on the datasets list of scripts/bench.
SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;

ALTER TABLE datacovey.datasets ADD INDEX IF NOT EXISTS ix_datasets_project_id (tenant_id, project_id, id);
ALTER TABLE datacovey.dataset_tables ADD INDEX IF NOT EXISTS ix_dataset_tables_dataset_id (tenant_id, dataset_id, id);
