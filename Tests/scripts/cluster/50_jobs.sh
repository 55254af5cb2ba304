#!/usr/bin/env bash
# cluster-check-timeout: 150
# Jobs across the cluster (issue 16): 20 CSV imports (CLUSTER_JOBS_ROWS rows each, default 4000,
# every value distinct) are submitted through nginx to four tables of one dataset, with an
# Idempotency-Key each (a submission answered 503 is sent again with the same key). While the
# workers work, worker 1 is killed with SIGKILL as soon as it runs one of these imports (its
# supervisor starts it again; another worker takes the job over when the lease expires), and the
# first database node of worker 2 (CLUSTER_WORKER_DB_HOSTS_2) is killed with SIGKILL as soon as
# worker 2 runs one, and started again 10 s later. Then, within a bounded wait (the
# job lease is short in tests: DATACOVEY_JOB_LEASE_SECONDS), on every node:
#   * every job is completed or failed, none pending or running;
#   * none entered 'completed' twice (import_job_history);
#   * each completed import's rows are there exactly once (count, distinct n, sum of CRC32 of
#     the values, per import), a failed one's not at all; the nodes agree.
# Figures: jobs completed/failed, attempts, time until every job ended.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib/checks.sh"
cl_say() { printf '==> %s\n' "$*" >&2; }
imports=20
rows="${CLUSTER_JOBS_ROWS:-4000}"
# Worker 2's first node: the node its running import loses.
first="${CLUSTER_WORKER_DB_HOSTS_2%%[,\\]*}"
victim=""
for n in 1 2 3; do port="CLUSTER_NODE_PORT_$n"; [[ "$first" == "127.0.0.1:${!port}" ]] && victim="$n"; done
[[ -n "$victim" ]] || victim=3
watch=1; [[ "$victim" == 1 ]] && watch=2   # the node the test reads the jobs on meanwhile
work="$(mktemp -d /tmp/dc-jobs.XXXXXX)"
start_pid=""
cleanup() {
    [[ -n "$start_pid" ]] && kill "$start_pid" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

node_start() {
    env -i HOME="${HOME:-/root}" PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" DC_BIN="$DC_BIN" \
        DATACOVEY_CLUSTER_DIR="$DATACOVEY_CLUSTER_DIR" timeout --kill-after=10 120 bash "$REPO_DIR/scripts/cluster" node-start "$1"
}
json=(-H 'Content-Type: application/json')

dc_test "20 imports while a worker and a database node are killed"
tenant="jobs-$(date +%s)-$$"
cl_admin_node 1 tenant create "$tenant" >/dev/null
cl_admin_node 1 user add --tenant "$tenant" --email "admin@$tenant.test" --name "Jobs" --role admin >/dev/null
export CL_TOKEN
CL_TOKEN="$(cl_admin_node 1 token mint --user "admin@$tenant.test" --tenant "$tenant" --ttl 3600 | tail -n 1)"
project="$(cl_api "$CLUSTER_URL" POST /api/v1/projects "${json[@]}" -d '{"name": "jobs"}' | cl_json "['id']")"
dataset="$(cl_api "$CLUSTER_URL" POST "/api/v1/projects/$project/datasets" "${json[@]}" -d '{"name": "imports"}' | cl_json "['id']")"
tables=()
for t in 1 2 3 4; do
    tables+=("$(cl_api "$CLUSTER_URL" POST "/api/v1/datasets/$dataset/tables" "${json[@]}" -d "{\"name\": \"t$t\", \"columns\": [
        {\"name\": \"batch\", \"type\": \"int64\"}, {\"name\": \"n\", \"type\": \"int64\"}, {\"name\": \"v\", \"type\": \"string\"}]}" |
        cl_json "['id']")")
done
[[ "${tables[*]}" =~ ^[0-9]+\ [0-9]+\ [0-9]+\ [0-9]+$ ]] || { dc_fail "no tables for the imports (${tables[*]})"; dc_test_done; }
python3 "$here/import_jobs.py" gen "$work" "$imports" "$rows"

# Submits batch I to its table; retried with the same key while the answer is not 202.
submit() {
    local batch="$1" table="${tables[$(( ($1 - 1) % 4 ))]}" answer status job=""
    for _ in $(seq 1 20); do
        answer="$(curl -sS --max-time 30 -w '\n%{http_code}' -X POST -H "Authorization: Bearer $CL_TOKEN" \
            -H 'Content-Type: text/csv' -H "Idempotency-Key: chaos-$tenant-$batch" --data-binary "@$work/batch_$batch.csv" \
            "${CLUSTER_URL%/}/api/v1/tables/$table/imports" 2>/dev/null)"
        status="$(tail -n 1 <<<"$answer")"
        if [[ "$status" == 202 ]]; then
            job="$(head -n -1 <<<"$answer" | cl_json "['id']")"
            break
        fi
        echo "submission of batch $batch answered $status" >>"$work/submissions.log"
        sleep 0.5
    done
    [[ -n "$job" ]] || { dc_fail "batch $batch was never accepted (last status $status)"; return; }
    echo "$batch $job $table" >>"$work/jobs.tsv"
}

# Waits (at most 15 s) until worker N (by its pid in the lease owner, host:pid:…) runs one of
# these imports; status 1 when it did not.
await_running() {
    local pid ids count
    pid="$(cat "$CLUSTER_PIDS_DIR/worker$1.pid" 2>/dev/null)"
    for _ in $(seq 1 150); do
        ids="$(cut -d' ' -f2 "$work/jobs.tsv" 2>/dev/null | paste -sd,)"
        count="$(cl_sql "$watch" "SELECT COUNT(*) FROM datacovey.import_jobs WHERE id IN (${ids:-0})
            AND status = 'running' AND lease_owner LIKE '%:$pid:%'" 2>/dev/null)"
        [[ "${count:-0}" -gt 0 ]] && return 0
        sleep 0.1
    done
    return 1
}
interrupted=()
touch "$work/submissions.log"
started_ms=$(cl_now_ms)
for batch in $(seq 1 "$imports"); do
    submit "$batch"
    if (( batch == 6 )); then
        if await_running 1; then interrupted+=("worker 1 was running an import"); else interrupted+=("worker 1 was idle"); fi
        worker_pid="$(cat "$CLUSTER_PIDS_DIR/worker1.pid" 2>/dev/null)"
        if [[ "$worker_pid" =~ ^[0-9]+$ ]] && kill -KILL "$worker_pid"; then
            cl_say "worker 1 (pid $worker_pid) killed with SIGKILL at $(( ($(cl_now_ms) - started_ms) / 1000 ))s"
        else
            dc_fail "worker 1 has no running pid to kill ($worker_pid)"
        fi
    fi
    if (( batch == 12 )); then
        if await_running 2; then interrupted+=("worker 2 was running an import"); else interrupted+=("worker 2 was idle"); fi
        pidfile="CLUSTER_NODE_PIDFILE_$victim"
        node_pid="$(cat "${!pidfile}" 2>/dev/null)"
        if [[ "$node_pid" =~ ^[0-9]+$ ]] && kill -KILL "$node_pid"; then
            node_killed_ms=$(cl_now_ms)
            cl_say "node $victim (pid $node_pid) killed with SIGKILL at $(( (node_killed_ms - started_ms) / 1000 ))s"
        else
            dc_fail "node $victim has no running pid to kill ($node_pid)"
        fi
    fi
done
submitted_ms=$(cl_now_ms)
dc_assert_eq "$imports" "$(wc -l <"$work/jobs.tsv" 2>/dev/null || echo 0)" "imports accepted (202)"
# The node stays down a while longer, then rejoins while the jobs finish.
down_ms=$(( ${node_killed_ms:-$submitted_ms} + 10000 - $(cl_now_ms) ))
(( down_ms > 0 )) && sleep "$(( down_ms / 1000 )).$(printf '%03d' $(( down_ms % 1000 )))"
node_start "$victim" >"$work/node-start.log" 2>&1 &
start_pid=$!

# Every job ends: polled on node 2 (never killed here), bounded.
ids="$(cut -d' ' -f2 "$work/jobs.tsv" | paste -sd,)"
open=""
for _ in $(seq 1 90); do
    open="$(cl_sql "$watch" "SELECT COUNT(*) FROM datacovey.import_jobs WHERE id IN (${ids:-0}) AND status IN ('pending', 'running')" 2>/dev/null)"
    [[ "$open" == 0 ]] && break
    sleep 1
done
ended_ms=$(cl_now_ms)
dc_assert_eq 0 "$open" "jobs still pending or running after 90 s"
wait "$start_pid"
start_rc=$?
start_pid=""
dc_assert_eq 0 "$start_rc" "node $victim started again and Synced ($(tail -n 3 "$work/node-start.log" | tr '\n' ' '))"

dc_test "every job completed or failed, none twice, each completed import's rows exactly once, on every node"
nodes=()
for n in 1 2 3; do
    socket="CLUSTER_NODE_SOCKET_$n"
    nodes+=(-- --no-defaults "--socket=${!socket}" -u "$CLUSTER_SUPERUSER" --connect-timeout=5)
done
verify="$(timeout 120 python3 "$here/import_jobs.py" verify "$work/jobs.tsv" "$rows" "${nodes[@]}" 2>&1)"
verify_rc=$?
printf '%s\n' "$verify" >&2
dc_assert_eq 0 "$verify_rc" "the jobs' outcome on every node ($(grep -c '^VIOLATION' <<<"$verify") violations)"
completed="$(grep -m1 '^node ' <<<"$verify" | sed -n "s/.*'completed': \([0-9]*\).*/\1/p")"
[[ "${completed:-0}" -gt 0 ]] || dc_fail "no import completed: the check proved nothing"

cl_figure "jobs: imports" "$imports of $rows rows into 4 tables; worker 1 killed after 6 submissions, node $victim (worker 2's) after 12; when killed: ${interrupted[*]}"
cl_figure "jobs: outcome (node 1)" "$(grep -m1 '^node ' <<<"$verify" | cut -d: -f2-)"
cl_figure "jobs: resubmissions (answers other than 202)" "$(wc -l <"$work/submissions.log") $(sed 's/.*answered //' "$work/submissions.log" | sort | uniq -c | tr '\n' ' ')"
cl_figure "jobs: submitted in / all ended after" "$(( (submitted_ms - started_ms) / 1000 )) s / $(( (ended_ms - started_ms) / 1000 )) s"
dc_test_done
