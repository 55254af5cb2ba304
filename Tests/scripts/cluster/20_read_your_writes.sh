#!/usr/bin/env bash
# A write acknowledged by responder 1 is read at once through responder 2, and the other way
# round (responder 1 writes through node 1, responder 2 through node 2; Galera commits on every node
# before the acknowledgment, and wsrep_sync_wait=1 makes a read on another node wait until it
# has applied it, which the checks on each node below rely on). Afterwards every
# history version is on every node: `datacovey-admin history verify` passes against each node
# alone, and the history rows and the data table's system versions are identical on all three.
# The tenant's history is two chains, one per writer node (sql/0026); a purge checkpoints each
# and every node still verifies.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/checks.sh"
rounds=40
json=(-H 'Content-Type: application/json')

dc_test "a write through one responder is read through the other at once"
project="$(cl_api "$CLUSTER_URL_1" POST /api/v1/projects "${json[@]}" -d "{\"name\": \"ryw_$$\"}" | cl_json "['id']")"
dc_assert_eq 200 "$(cl_status "$CLUSTER_URL_2" GET "/api/v1/projects/$project")" "the project, created through responder 1, through responder 2"
dataset="$(cl_api "$CLUSTER_URL_2" POST "/api/v1/projects/$project/datasets" "${json[@]}" -d '{"name": "raw"}' | cl_json "['id']")"
table="$(cl_api "$CLUSTER_URL_1" POST "/api/v1/datasets/$dataset/tables" "${json[@]}" \
    -d '{"name": "t", "columns": [{"name": "id", "type": "int64", "primary_key": true}, {"name": "v", "type": "string"}]}' | cl_json "['id']")"
dc_assert_eq 200 "$(cl_status "$CLUSTER_URL_2" GET "/api/v1/tables/$table")" "the table, created through responder 1, through responder 2"

missed=0 stale=0
write_ms=()
body="$(mktemp /tmp/dc-cluster-body.XXXXXX)"
trap 'rm -f "$body"' EXIT
for ((i = 1; i <= rounds; i++)); do
    # Odd rounds write through responder 1 and read through 2; even rounds the other way.
    if (( i % 2 )); then w="$CLUSTER_URL_1" r="$CLUSTER_URL_2"; else w="$CLUSTER_URL_2" r="$CLUSTER_URL_1"; fi
    write_ms+=("$(cl_api_timed "$body" "$w" POST "/api/v1/tables/$table/rows" "${json[@]}" -d "[{\"id\": $i, \"v\": \"v$i\"}]")")
    inserted="$(cl_json "['inserted']" <"$body")"
    [[ "$inserted" == 1 ]] || { dc_fail "round $i: insert answered '$inserted'"; continue; }
    # The row, and the count of every row so far, through the other responder right away.
    seen="$(cl_api "$r" GET "/api/v1/tables/$table/rows?limit=1000" |
        python3 -c "import json, sys; items = json.load(sys.stdin)['items']; print(len(items), any(x['id'] == $i and x['v'] == 'v$i' for x in items))")"
    [[ "$seen" == "$i True" ]] || { missed=$((missed + 1)); dc_fail "round $i: read through the other responder saw '$seen'"; }
    # An update through the reader, read back through the writer.
    status="$(cl_status "$r" PATCH "/api/v1/tables/$table/rows/$i" "${json[@]}" -d "{\"v\": \"u$i\"}")"
    [[ "$status" == 200 ]] || { dc_fail "round $i: update answered $status"; continue; }
    value="$(cl_api "$w" GET "/api/v1/tables/$table/rows/$i" | cl_json "['v']")"
    [[ "$value" == "u$i" ]] || { stale=$((stale + 1)); dc_fail "round $i: read after update saw '$value'"; }
done
cl_figure "writes read at once through the other responder" "$((rounds - missed))/$rounds inserts, $((rounds - stale))/$rounds updates"
cl_figure "insert latency through the cluster (ms, p50 / max)" \
    "$(printf '%s\n' "${write_ms[@]}" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)] " / " a[NR]}')"

dc_test "every history version on every node"
for n in 1 2 3; do
    out="$(cl_admin_node "$n" history verify 2>&1)"
    rc=$?
    dc_assert_eq 0 "$rc" "history verify against node $n alone ($out)"
    dc_assert_contains "$out" "every tracked row has contiguous versions" "history verify against node $n"
done
schema="$(cl_sql 1 "SELECT table_schema, table_name FROM information_schema.tables
    WHERE table_schema LIKE 'dcd\\_%' AND table_comment LIKE '%' ORDER BY create_time DESC LIMIT 1" | tr '\t' '.')"
history_sql="SET SESSION group_concat_max_len = 64 * 1024 * 1024;
    SELECT COUNT(*), MD5(GROUP_CONCAT(history_id, entity_id, version, operation, changed_at, MD5(row_image) ORDER BY history_id))
      FROM datacovey.row_change_history WHERE entity_id = $table;
    SELECT COUNT(*), MD5(GROUP_CONCAT(ROW_START, ROW_END ORDER BY ROW_START, ROW_END)) FROM $schema FOR SYSTEM_TIME ALL;"
first="$(cl_sql 1 "$history_sql")"
versions="$(head -n 1 <<<"$first" | cut -f1)"
dc_assert_eq $((2 * rounds)) "$versions" "history rows of the table on node 1 (an insert and an update a round)"
for n in 2 3; do
    dc_assert_eq "$first" "$(cl_sql "$n" "$history_sql")" "history rows and system versions on node $n as on node 1"
done
cl_figure "history rows identical on 3 nodes" "$versions (and $(tail -n 1 <<<"$first" | cut -f1) system versions of $schema)"

dc_test "one history chain per writer node, purged and verified on every node"
chains() {
    cl_admin_node "$1" history verify --tenant demo --json 2>/dev/null | python3 -c '
import json, sys
line = json.load(sys.stdin)[0]
print(line["valid"], " ".join(h["chain"] for h in line["heads"]))'
}
dc_assert_eq "True node1 node2" "$(chains 1)" "the demo tenant's chains after writes through node 1 and node 2"
# Versions 2 (through node 2) and 3 (through node 1) of the project: the purge then deletes a link
# of each chain (versions 1 and 2; the newest version stays).
for i in 2 1; do
    url="CLUSTER_URL_$i"
    dc_assert_eq 200 "$(cl_status "${!url}" PATCH "/api/v1/projects/$project" "${json[@]}" -d "{\"name\": \"ryw_${$}_$i\"}")" \
        "the project renamed through responder $i"
done
purged="$(cl_admin_node 1 history purge --older-than 0 2>&1)"
dc_assert_contains "$purged" "purged " "history purge through node 1 ($purged)"
checkpoints="$(cl_sql 1 "SELECT GROUP_CONCAT(c.chain_node ORDER BY c.chain_node SEPARATOR ' ')
    FROM datacovey.history_chain_checkpoints c JOIN datacovey.tenants t ON t.id = c.tenant_id WHERE t.name = 'demo'")"
dc_assert_eq "node1 node2" "$checkpoints" "a purge checkpoint per chain"
for n in 1 2 3; do
    dc_assert_eq "True node1 node2" "$(chains "$n")" "the chains verify against node $n after the purge"
done
cl_figure "history chains of the demo tenant (purged, checkpointed)" "$checkpoints"
dc_test_done
