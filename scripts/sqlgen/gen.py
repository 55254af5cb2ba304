#!/usr/bin/env python3
"""Generates the migrations of sql/ that list every column of the tracked tables
(history triggers' row images, tenant views) from a pinned snapshot of the
schema as it stood at that migration (columns/NNNN.tsv: table, columns in order).

Usage: scripts/sqlgen/gen.py check          regenerate every generated migration and
                                            compare with sql/ (exit 1 and a diff when
                                            they disagree; a test runs this)
       scripts/sqlgen/gen.py write NNNN      (re)write sql/NNNN_*.sql from its recipe
Applied migrations are never edited: when a later migration adds columns, add a
snapshot columns/NNNN.tsv and a recipe below, and generate a NEW numbered file."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# The snapshot in use: set by use_snapshot() before generating.
cols = {}


def use_snapshot(name):
    cols.clear()
    for line in open(os.path.join(HERE, 'columns', name)):
        t, c = line.rstrip('\n').split('\t')
        cols[t] = c.split(',')

OWNER = "'dc_owner'@'localhost'"

# base table -> history table (DESIGN.md names), in FK order.
TRACKED = [
    ('tenants', 'tenant_history'),
    ('users', 'user_history'),
    ('projects', 'project_history'),
    ('datasets', 'dataset_history'),
    ('dataset_tables', 'table_history'),
    ('table_columns', 'table_column_history'),
    ('queries', 'query_history'),
    ('import_jobs', 'import_job_history'),
    ('export_jobs', 'export_job_history'),
]
UNTRACKED = ['query_runs']

# Columns a heartbeat may change without a new version (0003 header).
PROGRESS = {
    'import_jobs': ['bytes_read', 'rows_loaded', 'rows_rejected', 'percent',
                    'lease_owner', 'lease_expires_at'],
    'export_jobs': ['bytes_written', 'rows_exported', 'percent',
                    'lease_owner', 'lease_expires_at'],
}
# Set by the triggers themselves, never compared.
TRIGGER_SET = ['version', 'created_at', 'updated_at']


def wrap(items, indent, width=76, sep=', '):
    """Joins items with sep, breaking lines before width."""
    lines, cur = [], ''
    for i, it in enumerate(items):
        piece = it + (sep.rstrip() if i < len(items) - 1 else '')
        if cur and len(indent) + len(cur) + 1 + len(piece) > width:
            lines.append(cur)
            cur = piece
        else:
            cur = (cur + ' ' + piece) if cur else piece
    lines.append(cur)
    return ('\n' + indent).join(lines)


# Kept out of row images: the trash mark is the operation, not a field (0014).
NOT_IMAGED = ['trash_id']
# Kept out of row images too: an API token's hash (0018). Not a secret, but the
# audit log has no use for it, and it is one thing fewer to copy around.
NOT_IMAGED += ['token_hash']
# Tables whose rows can be trashed (0014), and the views that filter them.
TRASHABLE = ['projects', 'datasets', 'dataset_tables', 'queries', 'import_jobs',
             'export_jobs', 'query_runs']


def row_image(table, ref, ind):
    pairs = [f"'{c}', {ref}.{c}" for c in cols[table] if c not in NOT_IMAGED]
    return 'JSON_OBJECT(\n' + ind + wrap(pairs, ind) + ')'


def tenant_expr(table, ref):
    return f'{ref}.id' if table == 'tenants' else f'{ref}.tenant_id'


def history_insert(table, hist, ref, version, op, ind='  '):
    op_sql = op if op.startswith('CASE') else f"'{op}'"
    return (f"{ind}INSERT INTO datacovey.{hist}\n"
            f"{ind}  (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)\n"
            f"{ind}VALUES ({tenant_expr(table, ref)}, {ref}.id, {version}, {op_sql}, datacovey.dc_actor(),\n"
            f"{ind}  COALESCE(LEFT(SESSION_USER(), 128), ''), UTC_TIMESTAMP(6),\n"
            f"{ind}  {row_image(table, ref, ind + '    ')});\n")


def trig(name, timing, table, body):
    return (f"CREATE OR REPLACE DEFINER = {OWNER}\n"
            f"TRIGGER datacovey.{name} {timing} ON datacovey.{table} FOR EACH ROW\n"
            f"BEGIN\n{body}END;\n")


def before_insert(table, hist):
    body = "  SET NEW.created_at = UTC_TIMESTAMP(6), NEW.updated_at = UTC_TIMESTAMP(6);\n"
    if hist is None:
        body += "  SET NEW.version = 1;\n"
        return trig(f'{table}_bi', 'BEFORE INSERT', table, body)
    body += (f"  IF NEW.id > 0 THEN\n"
             f"    -- Explicit id: a restore re-inserting a deleted entity continues its\n"
             f"    -- version sequence (UNIQUE (entity_id, version) would refuse 1 again).\n")
    if table != 'tenants':
        body += (f"    IF (SELECT h.tenant_id FROM datacovey.{hist} h WHERE h.entity_id = NEW.id\n"
                 f"        ORDER BY h.version DESC LIMIT 1) <> NEW.tenant_id THEN\n"
                 f"      SIGNAL SQLSTATE '45000'\n"
                 f"        SET MESSAGE_TEXT = 'datacovey: id belongs to another tenant';\n"
                 f"    END IF;\n")
    body += (f"    SET NEW.version = COALESCE(\n"
             f"      (SELECT MAX(h.version) FROM datacovey.{hist} h WHERE h.entity_id = NEW.id), 0) + 1;\n"
             f"  ELSE\n"
             f"    SET NEW.version = 1;\n"
             f"  END IF;\n")
    return trig(f'{table}_bi', 'BEFORE INSERT', table, body)


def before_update(table):
    body = "  SET NEW.created_at = OLD.created_at, NEW.updated_at = UTC_TIMESTAMP(6);\n"
    if table in PROGRESS:
        compared = [c for c in cols[table] if c not in PROGRESS[table] + TRIGGER_SET]
        conds = [f"NEW.{c} <=> OLD.{c}" for c in compared]
        body += ("  -- Heartbeat: only progress/lease columns changed -> same version,\n"
                 "  -- and the AFTER UPDATE trigger writes no history.\n"
                 "  IF " + wrap(conds, '     ', sep=' AND') + " THEN\n"
                 "    SET NEW.version = OLD.version;\n"
                 "  ELSE\n"
                 "    SET NEW.version = OLD.version + 1;\n"
                 "  END IF;\n")
    else:
        body += "  SET NEW.version = OLD.version + 1;\n"
    return trig(f'{table}_bu', 'BEFORE UPDATE', table, body)


def guard(table):
    keep = ['id'] if table == 'tenants' else ['id', 'tenant_id']
    cond = ' AND '.join(f'NEW.{c} <=> OLD.{c}' for c in keep)
    what = ' and '.join(keep)
    return (f"  IF NOT ({cond}) THEN\n"
            f"    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'datacovey: {what} cannot change';\n"
            f"  END IF;\n")


def delete_guard(table):
    if table == 'tenants':
        return ''
    return ("  -- REPLACE through a view deletes the conflicting row unchecked (see header).\n"
            "  IF OLD.tenant_id <> datacovey.dc_tenant() THEN\n"
            "    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'datacovey: row belongs to another tenant';\n"
            "  END IF;\n")


TRASH_OPERATION = ("CASE WHEN OLD.trash_id = 0 AND NEW.trash_id <> 0 THEN 'delete'\n"
                   "        WHEN OLD.trash_id <> 0 AND NEW.trash_id = 0 THEN 'insert' ELSE 'update' END")


def after_update(table, hist):
    body = guard(table)
    body += "  IF NEW.version <> OLD.version THEN\n"
    if 'trash_id' in cols[table]:
        body += "    -- Into the trash is a delete, out of it an insert (0014).\n"
    op = TRASH_OPERATION if 'trash_id' in cols[table] else 'update'
    body += history_insert(table, hist, 'NEW', 'NEW.version', op, '    ')
    body += "  END IF;\n"
    return trig(f'{table}_au', 'AFTER UPDATE', table, body)


def history_table(table, hist):
    return f"""CREATE TABLE IF NOT EXISTS datacovey.{hist} (
  history_id    BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id     BIGINT       NOT NULL,
  entity_id     BIGINT       NOT NULL,
  version       INT UNSIGNED NOT NULL,
  operation     ENUM('insert','update','delete') NOT NULL,
  actor_user_id BIGINT       NULL,
  db_user       VARCHAR(128) NOT NULL,
  changed_at    DATETIME(6)  NOT NULL,
  row_image     JSON         NOT NULL,
  PRIMARY KEY (history_id),
  UNIQUE KEY uq_{hist}_entity_version (entity_id, version),
  KEY ix_{hist}_tenant_changed (tenant_id, changed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Versions of datacovey.{table}; written only by its triggers';
"""


def image_triggers(table, hist):
    """The triggers that write a table's row images: BEFORE UPDATE (versions, heartbeats),
    AFTER INSERT, AFTER UPDATE and AFTER DELETE. Every migration that changes a tracked
    table's columns generates them again."""
    return (before_update(table) + '\n'
            + trig(f'{table}_ai', 'AFTER INSERT', table,
                   history_insert(table, hist, 'NEW', 'NEW.version', 'insert')) + '\n'
            + after_update(table, hist) + '\n'
            + trig(f'{table}_ad', 'AFTER DELETE', table,
                   delete_guard(table) + history_insert(table, hist, 'OLD', 'OLD.version + 1', 'delete')))


def gen_history():
    out = [open(os.path.join(HERE, '0003_header.sql')).read()]
    out.append("\n-- ---------------------------------------------------------------------------\n"
               "-- History tables. No FK to the entity: history outlives deletes.\n\n")
    for t, h in TRACKED:
        out.append(history_table(t, h) + '\n')
    for t, h in TRACKED:
        out.append("-- ---------------------------------------------------------------------------\n"
                   f"-- {t} -> {h}\n\n")
        out.append(before_insert(t, h) + '\n')
        out.append(image_triggers(t, h) + '\n')
    for t in UNTRACKED:
        out.append("-- ---------------------------------------------------------------------------\n"
                   f"-- {t}: a log itself, so versions and timestamps but no history.\n\n")
        out.append(before_insert(t, None) + '\n')
        body = ("  SET NEW.created_at = OLD.created_at, NEW.updated_at = UTC_TIMESTAMP(6),\n"
                "      NEW.version = OLD.version + 1;\n")
        out.append(trig(f'{t}_bu', 'BEFORE UPDATE', t, body) + '\n')
        out.append(trig(f'{t}_au', 'AFTER UPDATE', t, guard(t)) + '\n')
        out.append(trig(f'{t}_ad', 'AFTER DELETE', t, delete_guard(t)) + '\n')
    return ''.join(out).rstrip('\n') + '\n'


def view(name, table, where, columns):
    return (f"CREATE OR REPLACE ALGORITHM = MERGE DEFINER = {OWNER} SQL SECURITY DEFINER\n"
            f"VIEW datacovey_app.{name} AS\n"
            f"  SELECT {wrap(columns, '         ')}\n"
            f"  FROM datacovey.{table}\n"
            f"  WHERE {where}\n"
            f"  WITH CASCADED CHECK OPTION;\n")


HIST_COLS = ['history_id', 'tenant_id', 'entity_id', 'version', 'operation',
             'actor_user_id', 'db_user', 'changed_at', 'row_image']


def gen_views():
    out = [open(os.path.join(HERE, '0004_header.sql')).read()]
    out.append("\n-- ---------------------------------------------------------------------------\n"
               "-- Writable views (dc_app: SELECT, INSERT, UPDATE, DELETE).\n\n")
    for t in ['users', 'projects', 'datasets', 'dataset_tables', 'table_columns',
              'queries', 'import_jobs', 'export_jobs', 'query_runs']:
        out.append(view(t, t, 'tenant_id = datacovey.dc_tenant()', cols[t]) + '\n')
    out.append("-- ---------------------------------------------------------------------------\n"
               "-- Read-only views (dc_app: SELECT only, see 0005).\n\n"
               "-- The session's own tenant.\n")
    out.append(view('tenants', 'tenants', 'id = datacovey.dc_tenant()', cols['tenants']) + '\n')
    out.append("-- History of the session's tenant (restore reads row_image from here).\n")
    for t, h in TRACKED:
        out.append(view(h, h, 'tenant_id = datacovey.dc_tenant()', HIST_COLS) + '\n')
    out.append(open(os.path.join(HERE, '0004_identities.sql')).read())
    return ''.join(out).rstrip('\n') + '\n'


def gen_trash():
    out = [open(os.path.join(HERE, '0014_header.sql')).read()]
    for t, h in TRACKED:
        if 'trash_id' not in cols[t]:
            continue
        out.append("\n-- ---------------------------------------------------------------------------\n"
                   f"-- {t} -> {h}: row images and heartbeat checks with the new columns,\n"
                   "-- trash marks as 'delete'/'insert'.\n\n")
        out.append(before_insert(t, h) + '\n')
        out.append(image_triggers(t, h))
    out.append("\n-- ---------------------------------------------------------------------------\n"
               "-- The tenant views of trashable tables now also hide trashed rows; trash_id\n"
               "-- stays out of them (always 0 there). INSERTs leave it at its default 0.\n\n")
    for t in TRASHABLE:
        live = [c for c in cols[t] if c != 'trash_id']
        out.append(view(t, t, 'tenant_id = datacovey.dc_tenant() AND trash_id = 0', live) + '\n')
    out.append("-- The same rows with trashed ones included: only the trash code reads and\n"
               "-- marks through these (dc_app: SELECT, UPDATE).\n\n")
    for t in TRASHABLE:
        out.append(view(f'{t}_with_trash', t, 'tenant_id = datacovey.dc_tenant()', cols[t]) + '\n')
    out.append(view('trash', 'trash', 'tenant_id = datacovey.dc_tenant()',
                    ['id', 'tenant_id', 'kind', 'entity_id', 'name', 'parent_id', 'deleted_by',
                     'deleted_at', 'expires_at']) + '\n')
    out.append("-- ---------------------------------------------------------------------------\n"
               "-- Grants.\n\n")
    for t in TRASHABLE:
        out.append(f"GRANT SELECT, UPDATE ON datacovey_app.{t}_with_trash TO 'dc_app'@'localhost';\n")
    out.append("GRANT SELECT, INSERT, DELETE ON datacovey_app.trash TO 'dc_app'@'localhost';\n")
    out.append("-- `trash purge` (datacovey-admin, as dc_ops) drops a purged project's query account.\n"
               "GRANT EXECUTE ON PROCEDURE datacovey_app.drop_query_account TO 'dc_ops'@'localhost';\n")
    return ''.join(out).rstrip('\n') + '\n'


def gen_columns(header, tables):
    """A migration that added columns to `tables`: its header (the ALTERs), then
    those tables' triggers and tenant views again, so images and views list the
    new columns."""
    out = [open(os.path.join(HERE, header)).read()]
    history = dict(TRACKED)
    for t in tables:
        h = history[t]
        out.append("\n-- ---------------------------------------------------------------------------\n"
                   f"-- {t} -> {h}: row images and heartbeat checks with the new columns.\n\n")
        out.append(image_triggers(t, h))
    out.append("\n-- ---------------------------------------------------------------------------\n"
               "-- Their tenant views.\n\n")
    for t in tables:
        if t in TRASHABLE:
            live = [c for c in cols[t] if c != 'trash_id']
            out.append(view(t, t, 'tenant_id = datacovey.dc_tenant() AND trash_id = 0', live) + '\n')
            out.append(view(f'{t}_with_trash', t, 'tenant_id = datacovey.dc_tenant()', cols[t]) + '\n')
        else:
            out.append(view(t, t, 'tenant_id = datacovey.dc_tenant()', cols[t]) + '\n')
    return ''.join(out).rstrip('\n') + '\n'


def gen_new_tracked(header, footer, tracked):
    """A migration that adds tracked tables (`tracked`: (table, history) pairs, created
    in its header): their history tables, triggers, tenant views and history views,
    then the footer (routines and grants that name those views)."""
    out = [open(os.path.join(HERE, header)).read()]
    out.append("\n-- ---------------------------------------------------------------------------\n"
               "-- History tables. No FK to the entity: history outlives deletes.\n\n")
    for t, h in tracked:
        out.append(history_table(t, h))
    for t, h in tracked:
        out.append("\n-- ---------------------------------------------------------------------------\n"
                   f"-- {t} -> {h}\n\n")
        out.append(before_insert(t, h) + '\n')
        out.append(image_triggers(t, h))
    out.append("\n-- ---------------------------------------------------------------------------\n"
               "-- Their tenant views and history views.\n\n")
    for t, h in tracked:
        out.append(view(t, t, 'tenant_id = datacovey.dc_tenant()', cols[t]) + '\n')
        out.append(view(h, h, 'tenant_id = datacovey.dc_tenant()', HIST_COLS))
    out.append(open(os.path.join(HERE, footer)).read())
    return ''.join(out).rstrip('\n') + '\n'


# Each generated migration: its file, the snapshot it was generated from, and how.
RECIPES = [
    ('0003_history.sql', '0003.tsv', lambda: gen_history()),
    ('0004_tenant_views.sql', '0003.tsv', lambda: gen_views()),
    ('0014_trash.sql', '0014.tsv', lambda: gen_trash()),
    ('0017_value_model.sql', '0017.tsv', lambda: gen_columns('0017_header.sql', ['table_columns', 'import_jobs'])),
    ('0018_api_tokens.sql', '0018.tsv',
     lambda: gen_new_tracked('0018_header.sql', '0018_footer.sql', [('api_tokens', 'api_token_history')])),
    ('0019_column_descriptions.sql', '0019.tsv', lambda: gen_columns('0019_header.sql', ['table_columns'])),
]
SQL = os.path.join(HERE, '..', '..', 'sql')


def generate(name, snapshot, recipe):
    use_snapshot(snapshot)
    return recipe()


if __name__ == '__main__':
    import difflib
    which = sys.argv[1] if len(sys.argv) > 1 else 'check'
    if which == 'write':
        for name, snapshot, recipe in RECIPES:
            if name.startswith(sys.argv[2]):
                open(os.path.join(SQL, name), 'w').write(generate(name, snapshot, recipe))
    elif which == 'check':
        failed = False
        for name, snapshot, recipe in RECIPES:
            want = generate(name, snapshot, recipe)
            have = open(os.path.join(SQL, name)).read()
            if want != have:
                failed = True
                sys.stdout.writelines(difflib.unified_diff(have.splitlines(True), want.splitlines(True),
                                                           'sql/' + name, 'generated', n=1))
        print('sql/ and scripts/sqlgen disagree' if failed else 'sql/ is what scripts/sqlgen generates')
        sys.exit(1 if failed else 0)
    else:
        sys.exit('usage: gen.py check | write NNNN')
