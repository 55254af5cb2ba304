# shellcheck shell=bash
# Import and export benchmarks (issue 4), sourced by scripts/bench after the stack is up:
# the same generated CSV loaded by DataCovey's import and by the mariadb client's
# LOAD DATA LOCAL INFILE into an identical table; the same rows exported by DataCovey and
# by `mariadb --batch --raw` (and both through gzip -1). Needs: base, token, RUN_DIR.

bench_rows="${DATACOVEY_BENCH_ROWS:-1000000}"
bench_dir="$RUN_DIR/bench-jobs"
bench_suffix="$RANDOM$RANDOM"
mkdir -p "$bench_dir"
csv="$bench_dir/rows.csv"

# -T streams the file (--data-binary would read it whole into curl).
# An int64 key, a string, a decimal, a timestamp, a bool and a nullable text; \N is NULL
# for both loaders.
python3 - "$csv" "$bench_rows" <<'PY'
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
csv_bytes="$(stat -c %s "$csv")"

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
worker_rss_mb() { awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$(cat "$RUN_DIR/pids/$1.pid")/status"; }

project="$(api -H 'Content-Type: application/json' -d '{"name": "bench_jobs_'"$bench_suffix"'"}' "$base/api/v1/projects" | json_field "['id']")"
dataset="$(api -H 'Content-Type: application/json' -d '{"name": "bench_jobs_'"$bench_suffix"'"}' "$base/api/v1/projects/$project/datasets" | json_field "['id']")"
table="$(api -H 'Content-Type: application/json' -d '{"name": "bench_rows", "columns": [
  {"name": "id", "type": "int64", "primary_key": true}, {"name": "name", "type": "string"},
  {"name": "amount", "type": "decimal(12,2)"}, {"name": "at", "type": "timestamp"}, {"name": "ok", "type": "bool"},
  {"name": "note", "type": "text"}]}' "$base/api/v1/datasets/$dataset/tables" | json_field "['id']")"
# The reference loads into an identical table: a copy of the physical table the API created
# (its primary key and the hidden row id with its unique index included), as the superuser.
physical="$(dc_mariadb_root -N -e "SELECT CONCAT('\`', d.data_database, '\`.\`', t.physical_name, '\`')
  FROM datacovey.dataset_tables t JOIN datacovey.datasets d ON d.id = t.dataset_id WHERE t.id = $table")"
dc_mariadb_root -e "DROP DATABASE IF EXISTS bench_ref; CREATE DATABASE bench_ref; CREATE TABLE bench_ref.rows LIKE $physical"
start="$(now)"
dc_mariadb_root --local-infile=1 -e "LOAD DATA LOCAL INFILE '$csv' INTO TABLE bench_ref.rows CHARACTER SET utf8mb4
  FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' LINES TERMINATED BY '\n' IGNORE 1 LINES (id, name, amount, at, ok, note)"
ref_import="$(seconds "$start" "$(now)")"
[[ "$(dc_mariadb_root -N -e "SELECT COUNT(*) FROM bench_ref.rows")" == "$bench_rows" ]] || { echo "LOAD DATA did not load every row" >&2; exit 1; }

start="$(now)"
job_path="$(api -H 'Content-Type: text/csv' -X POST -T "$csv" -o /dev/null -w '%header{location}' \
    "$base/api/v1/tables/$table/imports?null_marker=%5CN")"
uploaded="$(now)"
[[ "$job_path" == /api/v1/imports/* ]] || { echo "the upload was refused" >&2; exit 1; }
job="$(await_job "$job_path")"
dc_import="$(seconds "$start" "$(now)")"
dc_import_worker="$(seconds "$uploaded" "$(now)")"
[[ "$(json_field "['status']" <<<"$job")" == completed && "$(json_field "['rows_loaded']" <<<"$job")" == "$bench_rows" ]] ||
    { echo "the import did not load $bench_rows rows: $job" >&2; exit 1; }

# Exports: the same rows, as CSV and as gzip'd CSV.
start="$(now)"
dc_mariadb_root --batch --raw -e "SELECT id, name, amount, at, ok, note FROM bench_ref.rows" >"$bench_dir/ref.tsv"
ref_export="$(seconds "$start" "$(now)")"
start="$(now)"
dc_mariadb_root --batch --raw -e "SELECT id, name, amount, at, ok, note FROM bench_ref.rows" | gzip -1 >"$bench_dir/ref.tsv.gz"
ref_export_gz="$(seconds "$start" "$(now)")"
export_once() {  # compression -> seconds from POST to completed
    local started path job
    started="$(now)"
    path="$(api -H 'Content-Type: application/json' -d "{\"format\": \"csv\", \"compression\": \"$1\"}" -o /dev/null \
        -w '%header{location}' "$base/api/v1/tables/$table/exports")"
    [[ "$path" == /api/v1/exports/* ]] || { echo "the export was refused" >&2; exit 1; }
    job="$(await_job "$path")"
    [[ "$(json_field "['rows_exported']" <<<"$job")" == "$bench_rows" ]] || { echo "export: $job" >&2; exit 1; }
    seconds "$started" "$(now)"
}
dc_export="$(export_once none)"
dc_export_gz="$(export_once gzip)"
rss="$(worker_rss_mb worker)"
responder_rss="$(worker_rss_mb fcgi)"

echo
echo "jobs: $bench_rows rows, $((csv_bytes / 1024 / 1024)) MiB CSV (int64, string, decimal, timestamp, bool, nullable text)"
printf '%-58s %10s %10s %8s\n' "" "DataCovey" "reference" "ratio"
printf '%-58s %9ss %9ss %8s\n' "import (upload + job) vs LOAD DATA LOCAL INFILE" "$dc_import" "$ref_import" "$(ratio "$dc_import" "$ref_import")"
printf '%-58s %9ss %9ss %8s\n' "  of which the job after the upload" "$dc_import_worker" "$ref_import" "$(ratio "$dc_import_worker" "$ref_import")"
printf '%-58s %9ss %9ss %8s\n' "export CSV vs mariadb --batch --raw > file" "$dc_export" "$ref_export" "$(ratio "$dc_export" "$ref_export")"
printf '%-58s %9ss %9ss %8s\n' "export CSV gzip vs the same | gzip -1" "$dc_export_gz" "$ref_export_gz" "$(ratio "$dc_export_gz" "$ref_export_gz")"
echo "peak RSS: worker ${rss} MB, responder (which streamed the upload) ${responder_rss} MB"
echo "target: import <= 1.5x, export <= 1.5x"
