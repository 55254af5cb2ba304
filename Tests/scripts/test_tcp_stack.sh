#!/usr/bin/env bash
# A stack that reaches MariaDB over TCP only, with its accounts at a configured host
# (DATACOVEY_DB_ACCOUNT_HOST), as a remote database or a cluster needs (issue 14): the
# responder, the worker, operators and the per-project query accounts all log in from
# 127.0.0.1 (not 'localhost', which only the socket matches) and every path works.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/assert.sh"
repo="$(cd "$here/../.." && pwd)"
: "${DC_BIN:?DC_BIN names the built executables}"
run_dir="$(mktemp -d /tmp/dc-tcp.XXXXXX)"

# A stack of its own: fresh run directory, free ports, nothing of the running stack's.
in_stack() {
    env -i HOME="$HOME" PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" DC_BIN="$DC_BIN" \
        DATACOVEY_RUN_DIR="$run_dir" DATACOVEY_PORT="$port" DATACOVEY_DB_PORT="$db_port" DATACOVEY_METRICS_PORT="$metrics_port" \
        DATACOVEY_DB_HOST=127.0.0.1 DATACOVEY_DB_ACCOUNT_HOST=127.0.0.1 DATACOVEY_JOB_LEASE_SECONDS=3 \
        bash -c "source '$repo/scripts/lib/stack.sh' && dc_env_load && $1"
}
json() { python3 -c "import json, sys; print(json.load(sys.stdin)$1)"; }
api() {
    local method="$1" path="$2"
    shift 2
    curl -s -X "$method" -H "Authorization: Bearer $token" "$@" "http://127.0.0.1:$port$path"
}
await_job() {
    local path="$1" status=""
    for _ in $(seq 1 100); do
        status="$(api GET "$path" | json "['status']")"
        [[ "$status" == completed || "$status" == failed ]] && break
        sleep 0.2
    done
    echo "$status"
}

source "$repo/scripts/lib/stack.sh"
port="$(dc_free_port)"
db_port="$(dc_free_port)"
metrics_port="$(dc_free_port)"
dc_test "a TCP-only stack with accounts at 127.0.0.1"
if ! in_stack dc_stack_up >"$run_dir/up.log" 2>&1; then
    dc_fail "the stack did not start"; tail -n 30 "$run_dir/up.log" >&2
fi
token="$(in_stack 'dc_admin token mint --user admin@demo.test' 2>/dev/null | tail -n 1)"
project="$(api POST /api/v1/projects -H 'Content-Type: application/json' -d '{"name": "tcp"}' | json "['id']")"
dataset="$(api POST "/api/v1/projects/$project/datasets" -H 'Content-Type: application/json' -d '{"name": "raw"}' | json "['id']")"
table="$(api POST "/api/v1/datasets/$dataset/tables" -H 'Content-Type: application/json' \
    -d '{"name": "t", "columns": [{"name": "id", "type": "int64"}, {"name": "v", "type": "string"}]}' | json "['id']")"
inserted="$(api POST "/api/v1/tables/$table/rows" -H 'Content-Type: application/json' -d '[{"id": 1, "v": "posted"}]' | json "['inserted']")"
dc_assert_eq 1 "$inserted" "rows inserted through the responder"
import="$(api POST "/api/v1/tables/$table/imports" -H 'Content-Type: text/csv' --data-binary $'id,v\n2,imported\n3,imported\n' | json "['id']")"
dc_assert_eq completed "$(await_job "/api/v1/imports/$import")" "an import by the worker (LOAD DATA over TCP)"
count="$(api POST "/api/v1/projects/$project/query" -H 'Content-Type: application/json' \
    -d '{"sql": "SELECT COUNT(*) AS n FROM raw.t"}' | json "['rows'][0][0]")"
dc_assert_eq 3 "$count" "a query on the project's account"
export="$(api POST "/api/v1/tables/$table/exports" -H 'Content-Type: application/json' -d '{"format": "csv"}' | json "['id']")"
dc_assert_eq completed "$(await_job "/api/v1/exports/$export")" "an export by the worker"

accounts="$(in_stack "mariadb --socket=\"\$DATACOVEY_DB_SOCKET\" -u \"\$DATACOVEY_DB_SUPERUSER\" -N -e \
    \"SELECT CONCAT(user, '@', host) FROM mysql.user WHERE host = '127.0.0.1' ORDER BY user\"" 2>&1 | tr '\n' ' ')"
dc_assert_eq "dc_app@127.0.0.1 dc_data@127.0.0.1 dc_ops@127.0.0.1 dc_worker@127.0.0.1 dcq_$project@127.0.0.1 " "$accounts" \
    "the accounts at the configured host"
# Every session of the stack's accounts came over TCP: MariaDB shows host:port, never localhost.
sessions="$(in_stack "mariadb --socket=\"\$DATACOVEY_DB_SOCKET\" -u \"\$DATACOVEY_DB_SUPERUSER\" -N -e \
    \"SELECT GROUP_CONCAT(DISTINCT IF(host LIKE '127.0.0.1:%', 'tcp', host)), COUNT(DISTINCT user)
        FROM information_schema.processlist WHERE user LIKE 'dc%'\"" 2>&1)"
dc_assert_eq "tcp	4" "$sessions" "the sessions of dc_app, dc_data, dc_worker and the query account: all TCP"

in_stack dc_stack_down >/dev/null 2>&1
rm -rf "$run_dir"
dc_test_done
