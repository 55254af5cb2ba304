# shellcheck shell=bash
# DataCovey — a text picture of a stack's MariaDB server and data files, for comparing a
# restored stack with its source line by line. Used by test_backup_restore.sh.
#
#   dc_snapshot_rows SQL_CLIENT [EXCLUDE_SQL...]   one line per base table of datacovey,
#       datacovey_app and every dcd_* database: name, row count, SHA-256 of all its rows (every
#       column, invisible ones such as _dc_row_id included; every version of a system-versioned
#       table, with its ROW_START and ROW_END), sorted
#   dc_snapshot_schema SQL_CLIENT   views, triggers, routines, accounts and grants
#   dc_snapshot_files DIR           one line per file: path and SHA-256 (.part files skipped)
#
# SQL_CLIENT is a command that runs the mariadb client as the superuser, e.g. "dc_mariadb_root".
# EXCLUDE_SQL: "db.table:WHERE clause" pairs that leave some rows out of one table.

dc_snapshot_rows() {
    local client="$1" table db name type columns where exclude count digest source
    shift
    while IFS=$'\t' read -r db name type; do
        table="$db.$name"
        where=""
        for exclude in "$@"; do
            [[ "${exclude%%:*}" == "$table" ]] && where=" WHERE ${exclude#*:}"
        done
        columns="$($client -N -B -e "SELECT GROUP_CONCAT(CONCAT('\`', column_name, '\`') ORDER BY ordinal_position)
            FROM information_schema.columns WHERE table_schema = '$db' AND table_name = '$name'" </dev/null)"
        # A system-versioned table (every data table, sql/0023): every version of every row,
        # with the instants it was valid between, so its history is compared too.
        source="\`$db\`.\`$name\`"
        if [[ "$type" == "SYSTEM VERSIONED" ]]; then
            columns="$columns,ROW_START,ROW_END"
            source="$source FOR SYSTEM_TIME ALL"
        fi
        count="$($client -N -B -e "SELECT COUNT(*) FROM $source$where" </dev/null)"
        digest="$($client -N -B -e "SELECT $columns FROM $source$where" </dev/null | LC_ALL=C sort | sha256sum | cut -c1-64)"
        printf '%s\t%s\t%s\n' "$table" "$count" "$digest"
    done < <($client -N -B -e "SELECT table_schema, table_name, table_type FROM information_schema.tables
        WHERE table_type IN ('BASE TABLE', 'SYSTEM VERSIONED')
          AND (table_schema IN ('datacovey', 'datacovey_app') OR table_schema LIKE 'dcd\\_%')
        ORDER BY table_schema, table_name")
}

dc_snapshot_schema() {
    local client="$1"
    $client -N -B -e "
        SELECT 'view', table_schema, table_name, definer, security_type, SHA2(view_definition, 256)
            FROM information_schema.views WHERE table_schema LIKE 'datacovey%' OR table_schema LIKE 'dcd\\_%'
            ORDER BY 2, 3;
        SELECT 'trigger', trigger_schema, trigger_name, definer, SHA2(action_statement, 256)
            FROM information_schema.triggers ORDER BY 2, 3;
        SELECT 'routine', routine_schema, routine_name, routine_type, definer, SHA2(routine_definition, 256)
            FROM information_schema.routines WHERE routine_schema NOT IN ('sys', 'mysql') ORDER BY 2, 3;
        SELECT 'account', user, host, SHA2(priv, 256) FROM mysql.global_priv ORDER BY 2, 3;
        SELECT 'db grant', db, user, host, SHA2(CONCAT_WS(',', Select_priv, Insert_priv, Update_priv, Delete_priv,
            Create_priv, Drop_priv, Alter_priv, Execute_priv, Trigger_priv, Create_view_priv), 256) FROM mysql.db ORDER BY 2, 3, 4;
        SELECT 'table grant', db, table_name, user, host, table_priv FROM mysql.tables_priv ORDER BY 2, 3, 4, 5;
        SELECT 'routine grant', db, routine_name, user, host, proc_priv FROM mysql.procs_priv ORDER BY 2, 3, 4, 5;"
}

dc_snapshot_files() {
    local dir="$1"
    [[ -d "$dir" ]] || return 0
    (cd "$dir" && find . -type f ! -name '*.part' -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)
}
