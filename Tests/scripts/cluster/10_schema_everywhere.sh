#!/usr/bin/env bash
# The schema is the same on every node: the migrations were applied once (through node 1; a second
# `migrate` through another node finds nothing to do), and the triggers, views, procedures and
# accounts they made, and a per-project query account made later by a responder, exist identically
# on every node (DDL, CREATE USER and GRANT replicate in total order). The demo tenant answers
# through both responders.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/checks.sh"

# One line per kind of object: its count and a digest of names and definitions.
signature() {
    cl_sql "$1" "SET SESSION group_concat_max_len = 64 * 1024 * 1024;
        SELECT 'migrations', COUNT(*), MD5(GROUP_CONCAT(version, ':', name, ':', checksum ORDER BY version))
          FROM datacovey.schema_migrations;
        SELECT 'tables', COUNT(*), MD5(GROUP_CONCAT(table_schema, '.', table_name, ':', engine, ':', table_type
                                                    ORDER BY table_schema, table_name))
          FROM information_schema.tables WHERE table_schema LIKE 'datacovey%' OR table_schema LIKE 'dcd\\_%';
        SELECT 'triggers', COUNT(*), MD5(GROUP_CONCAT(trigger_schema, '.', trigger_name, ':', definer, ':', action_statement
                                                      ORDER BY trigger_schema, trigger_name))
          FROM information_schema.triggers WHERE trigger_schema LIKE 'datacovey%' OR trigger_schema LIKE 'dcd\\_%';
        SELECT 'views', COUNT(*), MD5(GROUP_CONCAT(table_schema, '.', table_name, ':', definer, ':', security_type, ':',
                                                   check_option, ':', view_definition ORDER BY table_schema, table_name))
          FROM information_schema.views WHERE table_schema LIKE 'datacovey%' OR table_schema LIKE 'dcd\\_%';
        SELECT 'routines', COUNT(*), MD5(GROUP_CONCAT(routine_schema, '.', routine_name, ':', definer, ':', security_type,
                                                      ':', routine_definition ORDER BY routine_schema, routine_name))
          FROM information_schema.routines WHERE routine_schema LIKE 'datacovey%';
        SELECT 'accounts', COUNT(*), GROUP_CONCAT(user, '@', host ORDER BY user, host SEPARATOR ' ')
          FROM mysql.user WHERE user LIKE 'dc%';
        SELECT 'grants', COUNT(*), MD5(GROUP_CONCAT(g ORDER BY g)) FROM (
            SELECT CONCAT(grantee, privilege_type, is_grantable) AS g FROM information_schema.user_privileges WHERE grantee LIKE '''dc%'
            UNION ALL SELECT CONCAT(grantee, table_schema, privilege_type) FROM information_schema.schema_privileges WHERE grantee LIKE '''dc%'
            UNION ALL SELECT CONCAT(grantee, table_schema, table_name, privilege_type) FROM information_schema.table_privileges WHERE grantee LIKE '''dc%'
            UNION ALL SELECT CONCAT(grantee, table_schema, table_name, column_name, privilege_type) FROM information_schema.column_privileges WHERE grantee LIKE '''dc%'
        ) AS every_grant;"
}

dc_test "a per-project query account made by responder 2"
project="$(cl_api "$CLUSTER_URL_1" POST /api/v1/projects -H 'Content-Type: application/json' -d "{\"name\": \"schema_$$\"}" | cl_json "['id']")"
dc_assert_eq 200 "$(cl_status "$CLUSTER_URL_2" POST "/api/v1/projects/$project/query" -H 'Content-Type: application/json' \
    -d '{"sql": "SELECT 1 AS n"}')" "a query through responder 2 (creates the project's query account)"

dc_test "migrations applied once, the same on every node"
files="$(find "$REPO_DIR/sql" -maxdepth 1 -name '[0-9]*.sql' | wc -l)"
first="$(signature 1)"
dc_assert_eq "migrations	$files" "$(grep '^migrations' <<<"$first" | cut -f1,2)" "schema_migrations rows on node 1 (one per sql/ file)"
for n in 2 3; do
    other="$(signature "$n")"
    while IFS=$'\t' read -r kind count digest; do
        dc_assert_eq "$kind	$count	$digest" "$(grep "^$kind	" <<<"$other")" "$kind on node $n as on node 1"
    done <<<"$first"
done
while IFS=$'\t' read -r kind count _; do cl_figure "$kind on every node" "$count"; done <<<"$first"
for kind in triggers views routines; do
    count="$(grep "^$kind	" <<<"$first" | cut -f2)"
    [[ "${count:-0}" -gt 0 ]] || dc_fail "no $kind at all on node 1"
done
accounts="$(grep '^accounts' <<<"$first" | cut -f3)"
for account in dc_app@127.0.0.1 dc_data@127.0.0.1 dc_ops@127.0.0.1 dc_worker@127.0.0.1 "dcq_$project@127.0.0.1"; do
    dc_assert_contains " $accounts " " $account " "the accounts on every node"
done
# A second migration run, through node 2, finds every migration applied.
again="$(env -u DATACOVEY_DB_HOST -u DATACOVEY_DB_HOSTS DATACOVEY_DB_SOCKET="$CLUSTER_NODE_SOCKET_2" \
    DATACOVEY_DB_ACCOUNT_HOST="$CLUSTER_ACCOUNT_HOST" DATACOVEY_MIGRATE_DB_USER="$CLUSTER_SUPERUSER" \
    "$DC_BIN/datacovey-admin" migrate --sql-dir "$REPO_DIR/sql" 2>&1 | tail -n 1)"
dc_assert_contains "$again" "0 applied, $files already applied" "migrate through node 2"

dc_test "the demo tenant through each responder"
for i in 1 2; do
    url="CLUSTER_URL_$i"
    me="$(cl_api "${!url}" GET /api/v1/me | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["tenant"]["name"], d["email"])')"
    dc_assert_eq "demo admin@demo.test" "$me" "GET /api/v1/me through responder $i"
done
dc_test "each process works on the node it prefers"
for i in 1 2; do
    url="CLUSTER_URL_$i"
    ready="$(curl -s --max-time 10 "${!url}readyz" |
        python3 -c 'import json, sys; d = json.load(sys.stdin); n = d.get("database_nodes", {}); print(d["status"], d["workers"], n.get("configured"), n.get("usable"))')"
    dc_assert_eq "ready 2 3 3" "$ready" "readyz through responder $i: status, workers, database nodes configured and usable"
done
# Each process works on its first node (scripts/lib/cluster.sh): responder 1 on node 1 and
# responder 2 on node 2 (dc_app), worker 1 on node 1 and worker 2 on node 3 (dc_worker); no
# process on a node it lists later while its first one lives.
sessions() { cl_sql "$1" "SELECT COUNT(*) FROM information_schema.processlist WHERE user = '$2'"; }
for expected in "dc_app 1 2 3" "dc_worker 1 3 2"; do
    read -r user first second unused <<<"$expected"
    for node in "$first" "$second"; do
        (( $(sessions "$node" "$user") > 0 )) || dc_fail "no $user session on node $node (a process's first node)"
    done
    (( $(sessions "$unused" "$user") == 0 )) || dc_fail "a $user session on node $unused, which no such process prefers"
done
cl_figure "dc_app sessions on nodes 1/2/3" "$(sessions 1 dc_app)/$(sessions 2 dc_app)/$(sessions 3 dc_app)"
cl_figure "dc_worker sessions on nodes 1/2/3" "$(sessions 1 dc_worker)/$(sessions 2 dc_worker)/$(sessions 3 dc_worker)"
dc_test_done
