#!/usr/bin/env bash
# cluster-check-timeout: 150
# Jobs across the cluster (issue 16): 20 CSV imports (CLUSTER_JOBS_ROWS rows each, default 8000,
# every value distinct) are submitted through nginx to four tables of one dataset, with an
# Idempotency-Key each (a submission answered 503 is sent again with the same key), in the
# background. Meanwhile the first worker seen running one of them is killed with SIGKILL (its
# supervisor starts it again; another worker takes the job over once its lease expires), then,
# as soon as the other worker runs one, that worker's first database node is killed with SIGKILL,
# and started again 10 s later. Then, within a bounded wait (the
# job lease is short in tests: DATACOVEY_JOB_LEASE_SECONDS), on every node:
#   * every job is completed or failed, none pending or running;
#   * none entered 'completed' twice (import_job_history);
#   * each completed import's rows are there exactly once (count, distinct n, sum of CRC32 of
#     the values, per import), a failed one's not at all; the nodes agree.
# Figures: jobs completed/failed, attempts, time until every job ended.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib/checks.sh"
imports=20
rows="${CLUSTER_JOBS_ROWS:-8000}"
watch=2   # the node the test reads the jobs on (another when node 2 is the one killed)
start_pid="" submit_pid=""
cl_work_dir work dc-jobs start_pid submit_pid

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
    [[ -n "$job" ]] || { echo "never accepted: batch $batch (last status $status)" >&2; return; }
    echo "$batch $job $table" >>"$work/jobs.tsv"
}

# Waits (at most 30 s) until a worker runs one of these imports; prints the worker's number
# (1 or 2: its pid is in the lease owner, host:pid:…), or 1 when none did. With a number as
# argument, waits for that worker only.
await_running() {
    local owners pid n
    for _ in $(seq 1 300); do
        owners="$(cl_sql "$watch" "SELECT lease_owner FROM datacovey.import_jobs WHERE status = 'running'
            AND tenant_id = (SELECT id FROM datacovey.tenants WHERE name = '$tenant')" 2>/dev/null)"
        for n in ${1:-1 2}; do
            pid="$(cat "$CLUSTER_PIDS_DIR/worker$n.pid" 2>/dev/null)"
            [[ -n "$pid" && "$owners" == *":$pid:"* ]] && { echo "$n"; return 0; }
        done
        sleep 0.1
    done
    echo "${1:-1}"
    return 1
}
interrupted=()
touch "$work/submissions.log" "$work/jobs.tsv"
started_ms=$(cl_now_ms)
# The submissions go on in the background while the kills wait for their moment.
( for batch in $(seq 1 "$imports"); do submit "$batch"; done ) 2>"$work/submit.err" &
submit_pid=$!

# A worker is killed while it runs an import; its supervisor starts it again.
state=running; killed_worker="$(await_running)" || state=idle
interrupted+=("worker $killed_worker ($state)")
worker_pid="$(cat "$CLUSTER_PIDS_DIR/worker$killed_worker.pid" 2>/dev/null)"
if [[ "$worker_pid" =~ ^[0-9]+$ ]] && kill -KILL "$worker_pid"; then
    cl_say "worker $killed_worker (pid $worker_pid, $state) killed with SIGKILL at $(( ($(cl_now_ms) - started_ms) / 1000 ))s"
else
    dc_fail "worker $killed_worker has no running pid to kill ($worker_pid)"
fi
# Then the other worker's first database node, while that worker runs an import.
other=$(( 3 - killed_worker ))
state=running; await_running "$other" >/dev/null || state=idle
hosts="CLUSTER_WORKER_DB_HOSTS_$other"
first="${!hosts%%[,\\]*}"
victim=3
for n in 1 2 3; do port="CLUSTER_NODE_PORT_$n"; [[ "$first" == "127.0.0.1:${!port}" ]] && victim="$n"; done
interrupted+=("node $victim, worker $other's first ($state)")
pidfile="CLUSTER_NODE_PIDFILE_$victim"
node_pid="$(cat "${!pidfile}" 2>/dev/null)"
if [[ "$node_pid" =~ ^[0-9]+$ ]] && kill -KILL "$node_pid"; then
    node_killed_ms=$(cl_now_ms)
    cl_say "node $victim (pid $node_pid, worker $other $state) killed with SIGKILL at $(( (node_killed_ms - started_ms) / 1000 ))s"
else
    dc_fail "node $victim has no running pid to kill ($node_pid)"
fi
[[ "$victim" == "$watch" ]] && watch=$(( victim % 3 + 1 ))
timeout 120 tail --pid="$submit_pid" -f /dev/null
wait "$submit_pid"
submit_pid=""
submitted_ms=$(cl_now_ms)
while read -r failure; do dc_fail "$failure"; done < <(grep '^never accepted' "$work/submit.err")
dc_assert_eq "$imports" "$(wc -l <"$work/jobs.tsv")" "imports accepted (202)"
# The node stays down a while longer, then rejoins while the jobs finish.
down_ms=$(( ${node_killed_ms:-$submitted_ms} + 10000 - $(cl_now_ms) ))
(( down_ms > 0 )) && sleep "$(( down_ms / 1000 )).$(printf '%03d' $(( down_ms % 1000 )))"
cl_node_start "$victim" >"$work/node-start.log" 2>&1 &
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

cl_figure "jobs: imports" "$imports of $rows rows into 4 tables; killed with SIGKILL: ${interrupted[*]}"
cl_figure "jobs: outcome (node 1)" "$(grep -m1 '^node ' <<<"$verify" | cut -d: -f2-)"
cl_figure "jobs: resubmissions (answers other than 202)" "$(wc -l <"$work/submissions.log") $(sed 's/.*answered //' "$work/submissions.log" | sort | uniq -c | tr '\n' ' ')"
cl_figure "jobs: submitted in / all ended after" "$(( (submitted_ms - started_ms) / 1000 )) s / $(( (ended_ms - started_ms) / 1000 )) s"
dc_test_done
