# shellcheck shell=bash
# Query benchmarks (issue 5), sourced by scripts/bench after the stack is up: the same SQL
# run through POST /api/v1/projects/{id}/query (curl, the whole HTTP request, the answer
# discarded) and by the `mariadb` client as the superuser over the stack's socket
# (`--batch --raw`, output discarded), on the table bench/data.sh loads: bench/jobs.sh's when
# it ran in this invocation, else a table of its own imported through the API.
# Each side runs once to warm up, then DATACOVEY_BENCH_QUERY_RUNS times (default 5)
# alternating with the other, and the median counts. Needs: base, token, RUN_DIR.
# Bounded: curl gives up after 120 s, the client's statements after 120 s (max_statement_time).

# shellcheck source=data.sh
source "$REPO_DIR/bench/data.sh"
query_runs="${DATACOVEY_BENCH_QUERY_RUNS:-5}"
[[ "$query_runs" =~ ^[0-9]+$ && "$query_runs" -ge 1 && "$query_runs" -le 50 ]] ||
    { echo "DATACOVEY_BENCH_QUERY_RUNS: 1..50" >&2; exit 2; }
query_dir="$RUN_DIR/bench-queries"
mkdir -p "$query_dir"

if [[ -z "${bench_data_loaded:-}" ]]; then
    dc_log "queries: loading $bench_rows rows through the import API"
    bench_data_csv
    bench_data_table
    bench_data_import
fi

# dc_mariadb_root's command, resolved once so that the timed runs fork nothing else.
_dc_mariadb_paths
client=(mariadb --no-defaults "--socket=$DC_MARIADB_SOCKET" -u "${DATACOVEY_DB_SUPERUSER:-$(id -un)}"
    --default-character-set=utf8mb4 --batch --raw --init-command="SET SESSION max_statement_time = 120")

median_seconds() {  # microsecond values... -> the median in seconds, 3 decimals
    printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f", m / 1e6 }'
}

# One side once; prints its microseconds of wall time (EPOCHREALTIME, no fork in between).
# The answer goes to $2 (a file or /dev/null); anything but 200 or a failing client ends the
# benchmark. The API side prints two numbers: the whole curl process, and the request alone
# as curl times it (%{time_total}). curl takes about 8 ms to start here (its TLS and HTTP/2
# libraries) against the mariadb client's 3-4 ms, so the process time charges the API for its
# client tool; the request time leaves that out, while the reference keeps its own start-up.
api_query_once() {  # body-file out -> "process-microseconds request-microseconds"
    local started reply ended
    started="${EPOCHREALTIME/[.,]/}"
    reply="$(curl -s -m 120 -o "$2" -w '%{http_code} %{time_total}' -H "Authorization: Bearer $token" \
        -H 'Content-Type: application/json' --data-binary "@$1" "$base/api/v1/projects/$bench_project/query")" || reply="curl $?"
    ended="${EPOCHREALTIME/[.,]/}"
    [[ "${reply%% *}" == 200 ]] || { echo "query API answered $reply for $(cat "$1")" >&2; [[ "$2" == /dev/null ]] || cat "$2" >&2; exit 1; }
    echo "$((10#$ended - 10#$started)) $(awk -v t="${reply#* }" 'BEGIN { printf "%d", t * 1e6 }')"
}
client_query_once() {  # sql out -> microseconds
    local started ended
    started="${EPOCHREALTIME/[.,]/}"
    "${client[@]}" -e "$1" >"$2" ||
        { echo "the mariadb client failed on: $1" >&2; exit 1; }
    ended="${EPOCHREALTIME/[.,]/}"
    echo $((10#$ended - 10#$started))
}

# Runs one query both ways; sets q_api and q_client (median seconds) and q_bytes (the API's answer).
# $1: SQL with {table} for the table, $2: the API's limit, $3: expected rows, $4: a Python
# check on the parsed answer `a` (or True).
bench_query() {
    local template="$1" limit="$2" expected="$3" check="$4"
    local api_sql="${template//\{table\}/$bench_logical}" client_sql="${template//\{table\}/$bench_physical}"
    local body="$query_dir/body.json" answer="$query_dir/answer.json" client_out="$query_dir/client.tsv"
    local api_times=() request_times=() client_times=() api_time client_time i client_rows
    python3 -c 'import json, sys; print(json.dumps({"sql": sys.argv[1], "limit": int(sys.argv[2])}))' \
        "$api_sql" "$limit" >"$body"

    # Warm-up, keeping both answers to check them.
    api_query_once "$body" "$answer" >/dev/null
    client_query_once "$client_sql" "$client_out" >/dev/null
    python3 - "$answer" "$expected" "$check" <<'PY' || exit 1
import json, sys
path, expected, check = sys.argv[1], int(sys.argv[2]), sys.argv[3]
a = json.load(open(path))
problems = []
if a.get("row_count") != expected: problems.append(f"row_count {a.get('row_count')}, expected {expected}")
if len(a.get("rows", [])) != expected: problems.append(f"{len(a.get('rows', []))} rows")
if a.get("truncated") is not False: problems.append(f"truncated {a.get('truncated')}")
if not problems and not eval(check, {"a": a}): problems.append(f"failed the check {check}")
if problems:
    sys.exit(f"query API: {'; '.join(problems)}: {open(path).read()[:500]}")
PY
    client_rows=$(($(wc -l <"$client_out") - 1))
    [[ "$client_rows" == "$expected" ]] || { echo "the mariadb client returned $client_rows rows, expected $expected" >&2; exit 1; }

    # Alternate which side goes first, so that neither always follows the other.
    for ((i = 0; i < query_runs; i++)); do
        if ((i % 2 == 0)); then
            api_time="$(api_query_once "$body" /dev/null)" || exit 1
            client_time="$(client_query_once "$client_sql" /dev/null)" || exit 1
        else
            client_time="$(client_query_once "$client_sql" /dev/null)" || exit 1
            api_time="$(api_query_once "$body" /dev/null)" || exit 1
        fi
        api_times+=("${api_time% *}")
        request_times+=("${api_time#* }")
        client_times+=("$client_time")
    done
    q_api="$(median_seconds "${api_times[@]}")"
    q_request="$(median_seconds "${request_times[@]}")"
    q_client="$(median_seconds "${client_times[@]}")"
    q_bytes="$(stat -c %s "$answer")"
}

groups=$((bench_rows < 100 ? bench_rows : 100))
bench_query 'SELECT id % 100 AS bucket, COUNT(*) AS n, SUM(amount) AS total, AVG(amount) AS mean FROM {table} GROUP BY 1' \
    10000 "$groups" "sum(int(r[1]) for r in a['rows']) == $bench_rows"
agg_api="$q_api" agg_request="$q_request" agg_ref="$q_client"
page_rows=$((bench_rows < 10000 ? bench_rows : 10000))
bench_query 'SELECT * FROM {table} LIMIT 10000' 10000 "$page_rows" "len(a['columns']) == 6"
page_api="$q_api" page_request="$q_request" page_ref="$q_client" page_bytes="$q_bytes"
echo
echo "queries: $bench_rows rows; POST /api/v1/projects/{id}/query vs mariadb --batch --raw over the socket,"
echo "same SQL on the same table; median of $query_runs after a warm-up, alternating. 'request' is the HTTP"
echo "request as curl times it; 'process' adds curl's own start-up (the reference always includes the client's)"
printf '%-52s %9s %9s %9s %8s %8s\n' "" "request" "process" "reference" "ratio" "(proc.)"
printf '%-52s %8ss %8ss %8ss %8s %8s\n' "GROUP BY id % 100, COUNT/SUM/AVG ($groups groups)" \
    "$agg_request" "$agg_api" "$agg_ref" "$(ratio "$agg_request" "$agg_ref")" "$(ratio "$agg_api" "$agg_ref")"
printf '%-52s %8ss %8ss %8ss %8s %8s\n' "SELECT * LIMIT 10000 ($((page_bytes / 1024)) KiB of JSON)" \
    "$page_request" "$page_api" "$page_ref" "$(ratio "$page_request" "$page_ref")" "$(ratio "$page_api" "$page_ref")"
echo "target: <= 1.2x"
