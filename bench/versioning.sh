# shellcheck shell=bash
# What system versioning costs (issue 15), sourced by scripts/bench after the stack is up.
# Every data table is WITH SYSTEM VERSIONING; here two tables of the same columns take the
# same writes through the rows API, one versioned and one with versioning dropped (as root)
# for the comparison, in the same run:
#   - row inserts (POST rows, BENCH_BATCH rows per request) and row updates (PATCH by key);
#   - the datasets list (metadata only: versioning is on data tables, so this shows the
#     request path does not pay for it) with every bench table versioned and not;
#   - as_of page latency on the DATACOVEY_BENCH_ROWS-row bench table (1,000,000) after
#     100,000 updated rows: GET rows?limit=100 now, and as of before the updates.
# Needs: base, token, RUN_DIR, seconds, connections, measure (scripts/bench). Bounded: wrk
# runs `seconds` per target against 127.0.0.1.

# shellcheck source=data.sh
source "$REPO_DIR/bench/data.sh"

versioning_set() {  # physical on|off: makes the table versioned or not, as root
    local state
    state="$(dc_mariadb_root -N -e "SELECT TABLE_TYPE FROM information_schema.TABLES
        WHERE CONCAT('\`', TABLE_SCHEMA, '\`.\`', TABLE_NAME, '\`') = '$1'")"
    if [[ "$2" == on && "$state" != "SYSTEM VERSIONED" ]]; then
        dc_mariadb_root -e "ALTER TABLE $1 ADD SYSTEM VERSIONING"
    elif [[ "$2" == off && "$state" == "SYSTEM VERSIONED" ]]; then
        dc_mariadb_root -e "SET SESSION system_versioning_alter_history = KEEP; ALTER TABLE $1 DROP SYSTEM VERSIONING"
    fi
}

# "req/s p50 p99 errors" of the wrk write script against one table.
versioning_writes() {  # table-id mode
    BENCH_TABLE="$1" BENCH_TOKEN="$token" BENCH_MODE="$2" BENCH_BATCH=100 BENCH_KEYS="$versioning_keys" \
        wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$REPO_DIR/bench/versioning_writes.lua" "$base" 2>&1 |
        awk '/^RESULT/ { print $2, $3 "ms", $4 "ms", $5 }'
}

echo
echo "system versioning: the same writes on a versioned and an unversioned table (wrk, ${seconds}s, $connections connections)"
versioning_keys=20000
bench_data_table; plain_table="$bench_table"; plain_physical="$bench_physical"; plain_project="$bench_project"
bench_data_table; versioned_table="$bench_table"; versioned_physical="$bench_physical"
versioning_set "$plain_physical" off
versioning_set "$versioned_physical" on
# The keys the updates address, on both tables alike (the Sequence engine's virtual table,
# named in the table's own database).
for physical in "$plain_physical" "$versioned_physical"; do
    dc_mariadb_root -e "INSERT INTO $physical (id, name, amount, at, ok, note)
        SELECT seq, CONCAT('n', seq), 1.00, '2026-11-25 10:00:00', 1, NULL FROM ${physical%%.*}.seq_1_to_${versioning_keys}"
done
row target "req/s" p50 p99 errors "ratio"
declare -A write_rps
for mode in insert update; do
    for side in plain versioned; do
        table_var="${side}_table"
        read -r rps p50 p99 bad < <(versioning_writes "${!table_var}" "$mode")
        write_rps[$mode.$side]="$rps"
        ratio_text="-"
        [[ "$side" == versioned ]] && ratio_text="$(awk -v a="$rps" -v b="${write_rps[$mode.plain]}" 'BEGIN { printf "%.3f", a / b }')"
        label="$mode"; [[ "$mode" == insert ]] && label="insert, 100 rows per request"
        [[ "$mode" == update ]] && label="update, PATCH one row by key"
        row "rows $label ($side)" "$rps" "$p50" "$p99" "$bad" "$ratio_text"
    done
done

# The datasets list, every bench table unversioned and then versioned.
list="/api/v1/projects/$plain_project/datasets"
for physical in "$plain_physical" "$versioned_physical"; do versioning_set "$physical" off; done
read -r off_rps off_p50 off_p99 off_bad < <(measure "$list")
for physical in "$plain_physical" "$versioned_physical"; do versioning_set "$physical" on; done
read -r on_rps on_p50 on_p99 on_bad < <(measure "$list")
row "$list (data tables unversioned)" "$off_rps" "$off_p50" "$off_p99" "$off_bad" "1.000"
row "$list (data tables versioned)" "$on_rps" "$on_p50" "$on_p99" "$on_bad" \
    "$(awk -v a="$on_rps" -v b="$off_rps" 'BEGIN { printf "%.3f", a / b }')"

# as_of on the big table: loaded, then 100,000 rows updated (one statement as root).
if [[ -z "${bench_data_loaded:-}" ]]; then
    dc_log "versioning: loading $bench_rows rows through the import API"
    bench_data_csv
    bench_data_table
    bench_data_import
fi
versioning_set "$bench_physical" on
sleep 1
before="$(date -u +%Y-%m-%dT%H:%M:%S.%6NZ)"
sleep 1
updated="$(( bench_rows < 1000000 ? bench_rows / 10 : 100000 ))"
dc_mariadb_root -e "UPDATE $bench_physical SET amount = amount + 1 WHERE id % 10 = 0 AND id <= $((updated * 10))"
now_page="/api/v1/tables/$bench_table/rows?limit=100"
then_page="$now_page&as_of=$before"
[[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base$then_page")" == 200 ]] ||
    { echo "as_of is not answered 200: $(curl -s -H "Authorization: Bearer $token" "$base$then_page" | head -c 300)" >&2; exit 1; }
echo "as_of on $bench_rows rows after $updated updated rows (${seconds}s, $connections connections)"
read -r now_rps now_p50 now_p99 now_bad < <(measure "$now_page")
read -r then_rps then_p50 then_p99 then_bad < <(measure "$then_page")
row "rows?limit=100 (now)" "$now_rps" "$now_p50" "$now_p99" "$now_bad" "1.000"
row "rows?limit=100&as_of=before the updates" "$then_rps" "$then_p50" "$then_p99" "$then_bad" \
    "$(awk -v a="$then_rps" -v b="$now_rps" 'BEGIN { printf "%.3f", a / b }')"
filtered="&id=gt.$((bench_rows - 5000))&order=amount.desc"
read -r fnow_rps fnow_p50 fnow_p99 fnow_bad < <(measure "$now_page$filtered")
read -r fthen_rps fthen_p50 fthen_p99 fthen_bad < <(measure "$then_page$filtered")
row "rows?…&id=gt.(N-5000)&order=amount.desc (now)" "$fnow_rps" "$fnow_p50" "$fnow_p99" "$fnow_bad" "1.000"
row "rows?…&id=gt.(N-5000)&order=amount.desc (as_of)" "$fthen_rps" "$fthen_p50" "$fthen_p99" "$fthen_bad" \
    "$(awk -v a="$fthen_rps" -v b="$fnow_rps" 'BEGIN { printf "%.3f", a / b }')"
