# shellcheck shell=bash
# The benchmark data set, shared by bench/jobs.sh and bench/queries.sh (sourced by them;
# sourcing it twice is harmless): helpers, the generated CSV, and the project, dataset and
# table the API creates for it. Needs: base, token, RUN_DIR.
#
#   bench_data_csv      writes $bench_csv (once per run): DATACOVEY_BENCH_ROWS rows
#   bench_data_table    creates a project, dataset and table through the API; sets bench_project,
#                       bench_dataset, bench_table (ids), bench_logical (dataset.table) and
#                       bench_physical (`dcd_…`.`tbl_…`, read as root)
#   bench_data_import   imports $bench_csv into the table through the API and waits for the job;
#                       sets bench_import_started, bench_import_uploaded, bench_import_ended
#                       (seconds since the epoch) and bench_data_loaded=1

bench_rows="${DATACOVEY_BENCH_ROWS:-1000000}"
[[ "$bench_rows" =~ ^[1-9][0-9]*$ ]] || { echo "DATACOVEY_BENCH_ROWS must be a positive integer" >&2; exit 2; }
bench_data_dir="$RUN_DIR/bench-data"
bench_csv="$bench_data_dir/rows.csv"
bench_ndjson="$bench_data_dir/rows.ndjson"

now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
api() { curl -sf -H "Authorization: Bearer $token" "$@"; }
json_field() { python3 -c "import sys, json; print(json.load(sys.stdin)$1)"; }
await_job() {  # path -> prints the final job JSON
    local job
    for _ in $(seq 1 6000); do
        job="$(api "$base$1")"
        case "$(json_field "['status']" <<<"$job")" in completed|failed) printf '%s\n' "$job"; return 0 ;; esac
        sleep 0.05
    done
    echo "job $1 did not end" >&2; return 1
}

# An int64 key, a string, a decimal, a timestamp, a bool and a nullable text; \N is NULL
# for both loaders.
bench_data_csv() {
    [[ -s "$bench_csv" ]] && return 0
    mkdir -p "$bench_data_dir"
    python3 - "$bench_csv.tmp" "$bench_rows" <<'PY'
import sys, random
path, count = sys.argv[1], int(sys.argv[2])
random.seed(7)
with open(path, "w") as out:
    out.write("id,name,amount,at,ok,note\n")
    for i in range(1, count + 1):
        note = "\\N" if i % 5 == 0 else f'"note {i}, with a comma"'
        out.write(f"{i},name_{i % 9973},{random.randint(0, 10**8) / 100:.2f},"
                  f"2026-{1 + i % 12:02d}-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}:{(i * 7) % 60:02d}.{i % 1000000:06d},"
                  f"{i % 2},{note}\n")
PY
    mv -f "$bench_csv.tmp" "$bench_csv"
}

# The same rows as NDJSON (null for \N), for the NDJSON import against the CSV one.
bench_data_ndjson() {
    [[ -s "$bench_ndjson" ]] && return 0
    bench_data_csv
    python3 - "$bench_csv" "$bench_ndjson.tmp" <<'PY'
import csv, json, sys
with open(sys.argv[1], newline="") as source, open(sys.argv[2], "w") as out:
    rows = csv.reader(source)
    next(rows)
    for id_, name, amount, at, ok, note in rows:
        # amount stays a JSON number as written (12.50), the way a program writes money.
        out.write('{"id":%s,"name":%s,"amount":%s,"at":"%s","ok":%s,"note":%s}\n' % (
            id_, json.dumps(name), amount, at, "true" if ok == "1" else "false", "null" if note == "\\N" else json.dumps(note)))
PY
    mv -f "$bench_ndjson.tmp" "$bench_ndjson"
}

bench_data_table() {
    local suffix="$RANDOM$RANDOM" dataset_name
    dataset_name="bench_data_$suffix"
    bench_project="$(api -H 'Content-Type: application/json' -d '{"name": "bench_data_'"$suffix"'"}' "$base/api/v1/projects" | json_field "['id']")"
    bench_dataset="$(api -H 'Content-Type: application/json' -d '{"name": "'"$dataset_name"'"}' "$base/api/v1/projects/$bench_project/datasets" | json_field "['id']")"
    bench_table="$(api -H 'Content-Type: application/json' -d '{"name": "bench_rows", "columns": [
  {"name": "id", "type": "int64", "primary_key": true}, {"name": "name", "type": "string"},
  {"name": "amount", "type": "decimal(12,2)"}, {"name": "at", "type": "timestamp"}, {"name": "ok", "type": "bool"},
  {"name": "note", "type": "text"}]}' "$base/api/v1/datasets/$bench_dataset/tables" | json_field "['id']")"
    bench_logical="$dataset_name.bench_rows"
    bench_physical="$(dc_mariadb_root -N -e "SELECT CONCAT('\`', d.data_database, '\`.\`', t.physical_name, '\`')
  FROM datacovey.dataset_tables t JOIN datacovey.datasets d ON d.id = t.dataset_id WHERE t.id = $bench_table")"
    [[ "$bench_physical" == '`dcd_'*'`.`tbl_'*'`' ]] || { echo "no physical table for table $bench_table: $bench_physical" >&2; exit 1; }
}

# -T streams the file (--data-binary would read it whole into curl).
bench_data_import() {
    local path job
    bench_import_started="$(now)"
    path="$(api -H 'Content-Type: text/csv' -X POST -T "$bench_csv" -o /dev/null -w '%header{location}' \
        "$base/api/v1/tables/$bench_table/imports?null_marker=%5CN")"
    bench_import_uploaded="$(now)"
    [[ "$path" == /api/v1/imports/* ]] || { echo "the upload was refused" >&2; exit 1; }
    job="$(await_job "$path")"
    bench_import_ended="$(now)"
    [[ "$(json_field "['status']" <<<"$job")" == completed && "$(json_field "['rows_loaded']" <<<"$job")" == "$bench_rows" ]] ||
        { echo "the import did not load $bench_rows rows: $job" >&2; exit 1; }
    bench_data_loaded=1
}
