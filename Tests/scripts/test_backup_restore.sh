#!/usr/bin/env bash
# Back up and restore (issue 14): a stack with two tenants, typed rows, history, trash, an
# export and saved queries is backed up with `datacovey-admin backup` while a large import
# runs, restored with `scripts/restore` into a fresh run directory, and compared with its
# source: every row of every table of datacovey and of every data database, the views,
# triggers, routines, accounts and grants, and every data file. The restored stack then serves
# the API through nginx, runs queries on the project accounts and runs jobs. A tampered backup
# is refused, naming the file; a restore over a server with data is refused.
# Two throwaway stacks on free loopback ports, stopped (and removed) on exit.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/assert.sh"
source "$here/stack_snapshot.sh"
repo="$(cd "$here/../.." && pwd)"
: "${DC_BIN:?DC_BIN names the built executables}"
source "$repo/scripts/lib/stack.sh"

work="$(mktemp -d /tmp/dc-backup-test.XXXXXX)"
declare -A dir port db_port metrics_port
for s in src dst; do
    dir[$s]="$work/$s"
    port[$s]="$(dc_free_port)"
    db_port[$s]="$(dc_free_port)"
    metrics_port[$s]="$(dc_free_port)"
done
backup="$work/backup"

# Runs bash code in the environment of stack $1 (its own run directory and ports).
in_stack() {
    env -i HOME="$HOME" PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" DC_BIN="$DC_BIN" \
        DATACOVEY_RUN_DIR="${dir[$1]}" DATACOVEY_PORT="${port[$1]}" DATACOVEY_DB_PORT="${db_port[$1]}" \
        DATACOVEY_METRICS_PORT="${metrics_port[$1]}" \
        DATACOVEY_JOB_LEASE_SECONDS=3 DATACOVEY_MAX_BODY_BYTES=$((16 * 1024 * 1024)) \
        bash -c "source '$repo/scripts/lib/stack.sh' && source '$here/stack_snapshot.sh' && dc_env_load && $2"
}
cleanup() {
    in_stack src dc_stack_down >/dev/null 2>&1
    in_stack dst dc_stack_down >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT

json() { python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }
# api STACK TOKEN METHOD PATH [curl args]
api() {
    local stack="$1" token="$2" method="$3" path="$4"
    shift 4
    curl -s --max-time 30 -X "$method" -H "Authorization: Bearer $token" "$@" "http://127.0.0.1:${port[$stack]}$path"
}
post_json() { api "$1" "$2" POST "$3" -H 'Content-Type: application/json' -d "$4"; }
await_job() {
    local stack="$1" token="$2" path="$3" status=""
    for _ in $(seq 1 300); do
        status="$(api "$stack" "$token" GET "$path" | json "d['status']")"
        [[ "$status" == completed || "$status" == failed ]] && break
        sleep 0.2
    done
    echo "$status"
}
# sql STACK STATEMENTS   (as the superuser; the statements go on stdin, so no quoting)
sql() { in_stack "$1" 'dc_mariadb_root -N -B' <<<"$2"; }

dc_test "a source stack with two tenants, typed rows, history, trash, an export and saved queries"
in_stack src dc_stack_up >"$work/src-up.log" 2>&1 || { dc_fail "the source stack did not start"; tail -n 30 "$work/src-up.log" >&2; dc_test_done; }
in_stack src 'dc_admin tenant create acme && dc_admin user add --tenant acme --email admin@acme.test --name Acme --role admin' >/dev/null
demo="$(in_stack src 'dc_admin token mint --user admin@demo.test' 2>/dev/null | tail -n 1)"
acme="$(in_stack src 'dc_admin token mint --user admin@acme.test' 2>/dev/null | tail -n 1)"

project="$(post_json src "$demo" /api/v1/projects '{"name": "sales"}' | json "d['id']")"
dataset="$(post_json src "$demo" "/api/v1/projects/$project/datasets" '{"name": "raw"}' | json "d['id']")"
typed="$(post_json src "$demo" "/api/v1/datasets/$dataset/tables" '{"name": "orders", "columns": [
    {"name": "id", "type": "int64", "primary_key": true}, {"name": "amount", "type": "decimal(10,2)"},
    {"name": "ratio", "type": "float64", "nullable": true}, {"name": "paid", "type": "bool"},
    {"name": "customer", "type": "string"}, {"name": "note", "type": "text", "nullable": true},
    {"name": "day", "type": "date"}, {"name": "at", "type": "timestamp"}, {"name": "extra", "type": "json", "nullable": true}]}' | json "d['id']")"
inserted="$(post_json src "$demo" "/api/v1/tables/$typed/rows" '[
    {"id": 1, "amount": "12.50", "ratio": 0.25, "paid": true, "customer": "Ada", "note": "first", "day": "2026-01-02", "at": "2026-01-02T03:04:05.123456Z", "extra": {"k": [1, 2]}},
    {"id": 2, "amount": "-3.00", "ratio": null, "paid": false, "customer": "Bob", "note": null, "day": "2026-02-28", "at": "2026-02-28T23:59:59Z", "extra": null},
    {"id": 3, "amount": "0.01", "ratio": 1e-9, "paid": true, "customer": "Ça va ✓", "note": "line\nbreak", "day": "1999-12-31", "at": "1999-12-31T00:00:00Z", "extra": "text"}]' | json "d['inserted']")"
dc_assert_eq 3 "$inserted" "typed rows inserted"
# History: the table renamed and a column added, the project described.
api src "$demo" PATCH "/api/v1/tables/$typed" -H 'Content-Type: application/json' \
    -d '{"name": "orders2", "add_columns": [{"name": "late", "type": "bool", "nullable": true}]}' >/dev/null
api src "$demo" PATCH "/api/v1/projects/$project" -H 'Content-Type: application/json' -d '{"description": "edited"}' >/dev/null
# Trash: a dataset with a table of rows, deleted.
old="$(post_json src "$demo" "/api/v1/projects/$project/datasets" '{"name": "old"}' | json "d['id']")"
old_table="$(post_json src "$demo" "/api/v1/datasets/$old/tables" '{"name": "gone", "columns": [{"name": "x", "type": "int64"}]}' | json "d['id']")"
post_json src "$demo" "/api/v1/tables/$old_table/rows" '[{"x": 7}, {"x": 8}]' >/dev/null
dc_assert_eq 204 "$(api src "$demo" DELETE "/api/v1/datasets/$old" -o /dev/null -w '%{http_code}')" "a dataset deleted to the trash"
export_id="$(post_json src "$demo" "/api/v1/tables/$typed/exports" '{"format": "csv"}' | json "d['id']")"
dc_assert_eq completed "$(await_job src "$demo" "/api/v1/exports/$export_id")" "an export file written"
query="$(post_json src "$demo" "/api/v1/projects/$project/queries" \
    '{"name": "paid", "sql": "SELECT customer, amount FROM raw.orders2 WHERE paid ORDER BY id"}' | json "d['id']")"
dc_assert_eq 2 "$(api src "$demo" POST "/api/v1/queries/$query/runs" | json "d['row_count']")" "the saved query run on the source"
# The second tenant: its own project, table, rows and query account.
acme_project="$(post_json src "$acme" /api/v1/projects '{"name": "ops"}' | json "d['id']")"
acme_dataset="$(post_json src "$acme" "/api/v1/projects/$acme_project/datasets" '{"name": "m"}' | json "d['id']")"
acme_table="$(post_json src "$acme" "/api/v1/datasets/$acme_dataset/tables" '{"name": "t", "columns": [{"name": "v", "type": "string"}]}' | json "d['id']")"
post_json src "$acme" "/api/v1/tables/$acme_table/rows" '[{"v": "acme-1"}, {"v": "acme-2"}]' >/dev/null
dc_assert_eq 2 "$(post_json src "$acme" "/api/v1/projects/$acme_project/query" '{"sql": "SELECT COUNT(*) AS n FROM m.t"}' | json "d['rows'][0][0]")" \
    "the second tenant's query on the source"

dc_test "a backup taken while a large import runs"
big="$(post_json src "$demo" "/api/v1/datasets/$dataset/tables" '{"name": "big", "columns": [{"name": "id", "type": "int64"}, {"name": "v", "type": "string"}]}' | json "d['id']")"
post_json src "$demo" "/api/v1/tables/$big/rows" '[{"id": -1, "v": "before"}, {"id": -2, "v": "before"}]' >/dev/null
rows=300000
python3 -c "
import sys
out = sys.stdout
out.write('id,v\n')
for i in range($rows): out.write(f'{i},row {i} of the big import\n')" >"$work/big.csv"
import_id="$(api src "$demo" POST "/api/v1/tables/$big/imports" -H 'Content-Type: text/csv' --data-binary "@$work/big.csv" | json "d['id']")"
for _ in $(seq 1 200); do
    [[ "$(api src "$demo" GET "/api/v1/imports/$import_id" | json "d['status']")" != pending ]] && break
    sleep 0.05
done
dc_assert_eq running "$(api src "$demo" GET "/api/v1/imports/$import_id" | json "d['status']")" "the import is running when the backup starts"
started=$(date +%s%N)
in_stack src "dc_admin backup --to '$backup'" >"$work/backup.log" 2>&1 || { dc_fail "backup failed"; cat "$work/backup.log" >&2; }
backup_ms=$(( ($(date +%s%N) - started) / 1000000 ))
dc_assert_eq completed "$(await_job src "$demo" "/api/v1/imports/$import_id")" "the import completes on the source"
read -r big_db big_table < <(sql src "SELECT d.data_database, t.physical_name FROM datacovey.dataset_tables t
    JOIN datacovey.datasets d ON d.id = t.dataset_id WHERE t.id = $big")
dc_assert_eq "$((rows + 2))" "$(sql src "SELECT COUNT(*) FROM $big_db.$big_table")" "the source's big table after the import"
echo "==> backup took $backup_ms ms ($(du -sh "$backup" | cut -f1))" >&2

dc_test "the backup directory is private and its manifest lists every file with its SHA-256"
dc_assert_eq 700 "$(stat -c %a "$backup")" "mode of the backup directory"
dc_assert_eq "" "$(find "$backup" -perm /077 -printf '%P ')" "files or directories readable by group or others"
secrets_found=""
for key in DATACOVEY_DB_PASSWORD DATACOVEY_OPS_DB_PASSWORD DATACOVEY_DATA_DB_PASSWORD DATACOVEY_WORKER_DB_PASSWORD DATACOVEY_QUERY_ACCOUNT_SECRET; do
    value="$(sed -n "s/^$key=//p" "${dir[src]}/secrets.env")"
    grep -rqF "$value" "$backup" && secrets_found+="$key "
done
dc_assert_eq "" "$secrets_found" "plain-text secrets in the backup"
manifest_check="$(python3 - "$backup" <<'PY'
import hashlib, json, os, sys
root = sys.argv[1]
m = json.load(open(os.path.join(root, "manifest.json")))
listed = {f["path"]: f for f in m["files"]}
present = set()
for d, _, names in os.walk(root):
    for n in names:
        present.add(os.path.relpath(os.path.join(d, n), root))
present.discard("manifest.json")
bad = [p for p in present if p not in listed or hashlib.sha256(open(os.path.join(root, p), "rb").read()).hexdigest() != listed[p]["sha256"]]
dbs = {d["name"] for d in m["databases"]}
print(m["format"], m["method"], m["mariadb_version"].split(".")[0:2], "10.11." in m["mariadb_backup_version"], "datacovey" in dbs, "dcd_0" in dbs,
      any(p.startswith("files/exports/") for p in listed), any(p.startswith("mariadb/datacovey/") for p in listed),
      len(present) == len(listed), sorted(bad))
PY
)"
dc_assert_eq "1 mariadb-backup ['10', '11'] True True True True True True []" "$manifest_check" \
    "manifest: format, method, versions, databases, export and server files, every checksum right"

dc_test "a tampered backup is refused, naming the file, and nothing is restored"
cp -a "$backup" "$work/tampered"
tampered_file="$(cd "$work/tampered" && find files/exports -type f | head -n 1)"
printf 'x' >>"$work/tampered/$tampered_file"
out="$(in_stack dst "bash '$repo/scripts/restore' --from '$work/tampered'" 2>&1)"
dc_assert_eq 1 "$?" "exit status of restore from a tampered backup"
dc_assert_contains "$out" "$tampered_file (SHA-256 differs)" "the refusal names the changed file"
dc_assert_eq "absent" "$([[ -e "${dir[dst]}/mariadb/data" ]] && echo present || echo absent)" "no MariaDB data directory was made"
rm -rf "$work/tampered"

dc_test "a restore over a server that has data is refused"
out="$(in_stack src "dc_admin restore --from '$backup' --mariadb-datadir \"\$RUN_DIR/mariadb/data\"" 2>&1)"
dc_assert_contains "$out" "mariadb/data is not empty" "the refusal names the data directory"

dc_test "the restore into a fresh run directory equals the source"
started=$(date +%s%N)
in_stack dst "bash '$repo/scripts/restore' --from '$backup'" >"$work/restore.log" 2>&1 || { dc_fail "restore failed"; cat "$work/restore.log" >&2; }
restore_ms=$(( ($(date +%s%N) - started) / 1000000 ))
echo "==> restore took $restore_ms ms" >&2
# MariaDB alone first: nothing may change the restored rows before they are compared.
in_stack dst dc_mariadb_start >"$work/dst-db.log" 2>&1 || { dc_fail "the restored MariaDB did not start"; tail -n 20 "$work/dst-db.log" >&2; }

restored_rows="$(sql dst "SELECT COUNT(*) FROM $big_db.$big_table")"
restored_status="$(sql dst "SELECT status FROM datacovey.import_jobs WHERE id = $import_id")"
echo "==> the backup holds the import as: $restored_status, $restored_rows rows" >&2
case "$restored_rows/$restored_status" in
    "$((rows + 2))/completed" | "2/running" | "2/pending") ;;
    *) dc_fail "the big table holds $restored_rows rows with the import $restored_status: not all of the import or none of it" ;;
esac
dc_assert_eq "$(sql src "SELECT COUNT(*), SUM(id) FROM $big_db.$big_table WHERE id < 0")" \
    "$(sql dst "SELECT COUNT(*), SUM(id) FROM $big_db.$big_table WHERE id < 0")" "the big table's rows from before the import"

# The import is the one thing that moved on after the backup; the rest must be equal. Its job
# history is links of its tenant's history chain (0024), so that tenant's chain head moved on
# with it. The workers' heartbeats (0021) are not data: the source's worker beats on after the
# backup.
excluded=("datacovey.import_jobs:id <> $import_id" "datacovey.import_job_history:entity_id <> $import_id"
          "datacovey.import_rejects:job_id <> $import_id" "datacovey.import_row_runs:job_id <> $import_id"
          "$big_db.$big_table:id < 0"
          "datacovey.history_chain_heads:tenant_id <> (SELECT j.tenant_id FROM datacovey.import_jobs j WHERE j.id = $import_id)"
          "datacovey.worker_heartbeats:FALSE")
in_stack src "dc_snapshot_rows dc_mariadb_root $(printf "'%s' " "${excluded[@]}")" >"$work/src.rows"
in_stack dst "dc_snapshot_rows dc_mariadb_root $(printf "'%s' " "${excluded[@]}")" >"$work/dst.rows"
dc_assert_eq "" "$(diff "$work/src.rows" "$work/dst.rows")" "every table's rows (source < > restored)"
dc_assert_eq 1 "$(grep -c "^datacovey.table_history	" "$work/dst.rows")" "history tables are among the compared"
dc_assert_eq 1 "$(grep -c "^dcd_0\." "$work/dst.rows" | sed 's/^[1-9][0-9]*$/1/')" "the trash database is among the compared"
in_stack src 'dc_snapshot_schema dc_mariadb_root' >"$work/src.schema"
in_stack dst 'dc_snapshot_schema dc_mariadb_root' >"$work/dst.schema"
dc_assert_eq "" "$(diff "$work/src.schema" "$work/dst.schema")" "views, triggers, routines, accounts and grants"
dc_assert_contains "$(grep -c "^account	dcq_" "$work/dst.schema")" 2 "both projects' query accounts restored"

upload="$(sql dst "SELECT file_path FROM datacovey.import_jobs WHERE id = $import_id")"
in_stack src 'dc_snapshot_files "$RUN_DIR/data"' | grep -vF "./$upload" >"$work/src.files"
in_stack dst 'dc_snapshot_files "$RUN_DIR/data"' | grep -vF "./$upload" >"$work/dst.files"
dc_assert_eq "" "$(diff "$work/src.files" "$work/dst.files")" "every data file (SHA-256)"
dc_assert_eq 1 "$(grep -c '/exports/' "$work/dst.files")" "the export file is among them"
if [[ "$restored_status" != completed ]]; then
    dc_assert_eq present "$([[ -f "${dir[dst]}/data/$upload" ]] && echo present)" "the unfinished import's upload, for its retry"
fi

dc_test "the restored stack works: API through nginx, queries on project accounts, jobs"
in_stack dst dc_stack_up >"$work/dst-up.log" 2>&1 || { dc_fail "the restored stack did not start"; tail -n 30 "$work/dst-up.log" >&2; }
demo2="$(in_stack dst 'dc_admin token mint --user admin@demo.test' 2>/dev/null | tail -n 1)"
acme2="$(in_stack dst 'dc_admin token mint --user admin@acme.test' 2>/dev/null | tail -n 1)"
dc_assert_eq admin@demo.test "$(api dst "$demo2" GET /api/v1/me | json "d['email']")" "GET /api/v1/me on the restored stack"
dc_assert_eq "$(api src "$demo" GET "/api/v1/tables/$typed/rows")" "$(api dst "$demo2" GET "/api/v1/tables/$typed/rows")" \
    "the typed rows through the API, source and restored"
dc_assert_eq "$(api src "$demo" GET "/api/v1/tables/$typed/history")" "$(api dst "$demo2" GET "/api/v1/tables/$typed/history")" \
    "the table's history through the API"
dc_assert_eq '[["Ada", "12.50"], ["Ça va ✓", "0.01"]]' \
    "$(api dst "$demo2" POST "/api/v1/queries/$query/runs" | json "json.dumps(d['rows'], ensure_ascii=False)")" "the saved query on the restored project account"
dc_assert_eq 2 "$(post_json dst "$acme2" "/api/v1/projects/$acme_project/query" '{"sql": "SELECT COUNT(*) AS n FROM m.t"}' | json "d['rows'][0][0]")" \
    "the second tenant's query on the restored stack"
dc_assert_eq 404 "$(api dst "$acme2" GET "/api/v1/tables/$typed" -o /dev/null -w '%{http_code}')" "tenants stay apart"
dc_assert_eq completed "$(await_job dst "$demo2" "/api/v1/imports/$import_id")" "the worker finishes (or had finished) the import"
dc_assert_eq "$((rows + 2))" "$(post_json dst "$demo2" "/api/v1/projects/$project/query" '{"sql": "SELECT COUNT(*) AS n FROM raw.big"}' | json "d['rows'][0][0]")" \
    "the big table, whole, through a query"
dc_assert_eq 200 "$(api dst "$demo2" POST "/api/v1/datasets/$old/restore" -o /dev/null -w '%{http_code}')" "the trashed dataset restored from dcd_0"
dc_assert_eq 2 "$(api dst "$demo2" GET "/api/v1/tables/$old_table/rows" | json "len(d['items'])")" "its rows are back"
dc_assert_eq "$(api src "$demo" GET "/api/v1/exports/$export_id/download")" "$(api dst "$demo2" GET "/api/v1/exports/$export_id/download")" \
    "the export file downloads through nginx"
export2="$(post_json dst "$demo2" "/api/v1/tables/$typed/exports" '{"format": "csv"}' | json "d['id']")"
dc_assert_eq completed "$(await_job dst "$demo2" "/api/v1/exports/$export2")" "a new export by the restored worker"

dc_test_done
