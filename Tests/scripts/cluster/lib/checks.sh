# shellcheck shell=bash
# DataCovey — helpers for the cluster checks (Tests/scripts/cluster/*.sh), which
# Tests/scripts/test_cluster.sh runs, in name order, against the cluster it brought up.
#
# The contract of a check:
#   * it runs as `bash CHECK` in its own process, from the repository, with a time limit
#     (CLUSTER_CHECK_TIMEOUT, default 120 s; a line "# cluster-check-timeout: SECONDS" in the check
#     sets its own, e.g. 150 for a load test);
#   * its environment holds every variable of $DATACOVEY_CLUSTER_DIR/cluster.env (CLUSTER_URL,
#     CLUSTER_URL_1/2 answered by responder 1/2 only, CLUSTER_NODE_PORT_N, CLUSTER_NODE_SOCKET_N,
#     CLUSTER_FCGI_SOCKET_N, pids, ...), the cluster's secrets (DATACOVEY_*_PASSWORD, ...),
#     DC_BIN, REPO_DIR, DATACOVEY_RUN_DIR (the cluster's), and CLUSTER_TOKEN: a bearer token of
#     admin@demo.test;
#   * it exits non-zero when it failed (Tests/scripts/assert.sh: dc_test, dc_assert_eq,
#     dc_test_done) and prints its figures as "==> figure: WHAT: VALUE" lines;
#   * it leaves the cluster as it found it: every node Synced, every process running (a check
#     that kills something starts it again: scripts/cluster node-start N; a supervisor restarts a
#     killed responder or worker by itself). test_cluster.sh waits for that before the next check.
#
# Usage in a check:  source "$(dirname "${BASH_SOURCE[0]}")/lib/checks.sh"

_cl_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../../assert.sh
source "$_cl_here/../../assert.sh"
unset _cl_here

: "${DATACOVEY_CLUSTER_DIR:?run by Tests/scripts/test_cluster.sh (cluster.env)}"

# Usage: cl_figure WHAT VALUE
cl_figure() { printf '==> figure: %s: %s\n' "$1" "$2" >&2; }

# Usage: cl_say TEXT...   a line of the check's progress.
cl_say() { printf '==> %s\n' "$*" >&2; }

# Usage: cl_work_dir VARIABLE PREFIX PID_VARIABLE...   sets VARIABLE to a new temporary
# directory (not in a $(...) subshell: the exit trap is this shell's). When the check exits, the
# background processes whose pids the named variables hold then (empty: none) are killed and
# waited for, and the directory is deleted.
cl_work_dir() {
    _cl_work="$(mktemp -d "/tmp/$2.XXXXXX")"
    printf -v "$1" '%s' "$_cl_work"
    shift 2
    _cl_work_pids=("$@")
    trap _cl_work_cleanup EXIT
}
_cl_work_cleanup() {
    local name
    for name in "${_cl_work_pids[@]}"; do
        [[ -n "${!name:-}" ]] && kill "${!name}" 2>/dev/null
    done
    wait 2>/dev/null
    rm -rf "$_cl_work"
}

# Usage: cl_sql N SQL   -> tab-separated rows, no header, as the superuser on node N's socket.
cl_sql() {
    local n="$1" socket="CLUSTER_NODE_SOCKET_$1"
    mariadb --no-defaults --socket="${!socket}" -u "$CLUSTER_SUPERUSER" --default-character-set=utf8mb4 \
        --connect-timeout=5 -N -B -e "$2"
}

# Usage: cl_admin_node N ARGS...   datacovey-admin against node N alone, over TCP with the
# cluster's accounts (as a process configured with that one node).
cl_admin_node() {
    local n="$1" port="CLUSTER_NODE_PORT_$1"
    shift
    env -u DATACOVEY_DB_HOSTS DATACOVEY_DB_HOST=127.0.0.1 DATACOVEY_DB_PORT="${!port}" \
        DATACOVEY_DB_ACCOUNT_HOST="$CLUSTER_ACCOUNT_HOST" DATACOVEY_LOG_LEVEL=error "$DC_BIN/datacovey-admin" "$@"
}

# Usage: cl_token EMAIL   -> a bearer token for that user (development issuer of the cluster).
cl_token() {
    cl_admin_node 1 token mint --user "$1" | tail -n 1
}

# Usage: cl_api BASE_URL METHOD PATH [curl args...]   -> the body; the status goes to
# $CL_STATUS_FILE when set. BASE_URL ends with a slash (CLUSTER_URL, CLUSTER_URL_1, ...).
cl_api() {
    local base="$1" method="$2" path="$3"
    shift 3
    curl -sS --max-time 30 -X "$method" -H "Authorization: Bearer ${CL_TOKEN:-$CLUSTER_TOKEN}" "$@" "${base%/}$path"
}

# Usage: cl_api_timed BODY_FILE BASE_URL METHOD PATH [curl args...]   -> the milliseconds curl
# took for the whole exchange; the body goes to BODY_FILE.
cl_api_timed() {
    local body="$1" base="$2" method="$3" path="$4" seconds
    shift 4
    seconds="$(curl -sS --max-time 30 -o "$body" -w '%{time_total}' -X "$method" \
        -H "Authorization: Bearer ${CL_TOKEN:-$CLUSTER_TOKEN}" "$@" "${base%/}$path")" || seconds=0
    awk -v s="$seconds" 'BEGIN { printf "%d\n", s * 1000 + 0.5 }'
}

# Usage: cl_status BASE_URL METHOD PATH [curl args...]   -> the HTTP status only.
cl_status() {
    local base="$1" method="$2" path="$3"
    shift 3
    curl -s -o /dev/null -w '%{http_code}' --max-time 30 -X "$method" \
        -H "Authorization: Bearer ${CL_TOKEN:-$CLUSTER_TOKEN}" "$@" "${base%/}$path"
}

# Usage: ... | cl_json "['key'][0]"   (python's subscript on the parsed JSON; prints it)
cl_json() { python3 -c "import json, sys; print(json.load(sys.stdin)$1)"; }

# Usage: cl_now_ms   -> milliseconds since the epoch
cl_now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Usage: cl_node_start N   -> scripts/cluster node-start N in a clean environment, bounded (a
# joiner's full state transfer takes ~20 s; IST a few seconds).
cl_node_start() {
    env -i HOME="${HOME:-/root}" PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" DC_BIN="$DC_BIN" \
        DATACOVEY_CLUSTER_DIR="$DATACOVEY_CLUSTER_DIR" timeout --kill-after=10 120 bash "$REPO_DIR/scripts/cluster" node-start "$1"
}
