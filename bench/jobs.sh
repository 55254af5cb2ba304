# shellcheck shell=bash
# Import and export benchmarks (issue 4), sourced by scripts/bench after the stack is up:
# the same generated CSV loaded by DataCovey's import and by the mariadb client's
# LOAD DATA LOCAL INFILE into an identical table; the same rows exported by DataCovey and
# by `mariadb --batch --raw` (and both through gzip -1). Needs: base, token, RUN_DIR.
# The data set (bench/data.sh) stays loaded for bench/queries.sh.

# shellcheck source=data.sh
source "$REPO_DIR/bench/data.sh"
bench_dir="$RUN_DIR/bench-jobs"
mkdir -p "$bench_dir"
bench_data_csv
csv="$bench_csv"
csv_bytes="$(stat -c %s "$csv")"
worker_rss_mb() { awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$(cat "$RUN_DIR/pids/$1.pid")/status"; }

bench_data_table
table="$bench_table"
physical="$bench_physical"
# The reference loads into an identical table: a copy of the physical table the API created
# (its primary key and the hidden row id with its unique index included), as the superuser.
dc_mariadb_root -e "DROP DATABASE IF EXISTS bench_ref; CREATE DATABASE bench_ref; CREATE TABLE bench_ref.rows LIKE $physical"
start="$(now)"
dc_mariadb_root --local-infile=1 -e "LOAD DATA LOCAL INFILE '$csv' INTO TABLE bench_ref.rows CHARACTER SET utf8mb4
  FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' LINES TERMINATED BY '\n' IGNORE 1 LINES (id, name, amount, at, ok, note)"
ref_import="$(seconds "$start" "$(now)")"
[[ "$(dc_mariadb_root -N -e "SELECT COUNT(*) FROM bench_ref.rows")" == "$bench_rows" ]] || { echo "LOAD DATA did not load every row" >&2; exit 1; }

bench_data_import
dc_import="$(seconds "$bench_import_started" "$bench_import_ended")"
dc_import_worker="$(seconds "$bench_import_uploaded" "$bench_import_ended")"

# The same rows as NDJSON into a second, identical table of the same dataset.
bench_data_ndjson
ndjson_table="$(api -H 'Content-Type: application/json' -d '{"name": "bench_rows_ndjson", "columns": [
  {"name": "id", "type": "int64", "primary_key": true}, {"name": "name", "type": "string"},
  {"name": "amount", "type": "decimal(12,2)"}, {"name": "at", "type": "timestamp"}, {"name": "ok", "type": "bool"},
  {"name": "note", "type": "text"}]}' "$base/api/v1/datasets/$bench_dataset/tables" | json_field "['id']")"
start="$(now)"
path="$(api -H 'Content-Type: application/x-ndjson' -X POST -T "$bench_ndjson" -o /dev/null -w '%header{location}' \
    "$base/api/v1/tables/$ndjson_table/imports")"
[[ "$path" == /api/v1/imports/* ]] || { echo "the NDJSON upload was refused" >&2; exit 1; }
ndjson_uploaded="$(now)"
job="$(await_job "$path")"
ndjson_ended="$(now)"
[[ "$(json_field "['rows_loaded']" <<<"$job")" == "$bench_rows" ]] || { echo "the NDJSON import did not load every row: $job" >&2; exit 1; }
dc_ndjson="$(seconds "$start" "$ndjson_ended")"
dc_ndjson_worker="$(seconds "$ndjson_uploaded" "$ndjson_ended")"

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
printf '%-58s %9ss %9ss %8s\n' "import NDJSON vs the same rows as CSV (upload + job)" "$dc_ndjson" "$dc_import" "$(ratio "$dc_ndjson" "$dc_import")"
printf '%-58s %9ss %9ss %8s\n' "  of which the jobs after the uploads" "$dc_ndjson_worker" "$dc_import_worker" "$(ratio "$dc_ndjson_worker" "$dc_import_worker")"
printf '%-58s %9ss %9ss %8s\n' "export CSV vs mariadb --batch --raw > file" "$dc_export" "$ref_export" "$(ratio "$dc_export" "$ref_export")"
printf '%-58s %9ss %9ss %8s\n' "export CSV gzip vs the same | gzip -1" "$dc_export_gz" "$ref_export_gz" "$(ratio "$dc_export_gz" "$ref_export_gz")"
echo "peak RSS: worker ${rss} MB, responder (which streamed the upload) ${responder_rss} MB"
echo "target: import <= 1.5x, NDJSON import <= 1.3x the CSV one, export <= 1.5x"
