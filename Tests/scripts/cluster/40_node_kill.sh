#!/usr/bin/env bash
# cluster-check-timeout: 150
# Node kill under load (issue 16): 16 connections through the cluster's nginx create datasets,
# PATCH them (If-Match: the version last acknowledged) and read them; a Galera node
# (CLUSTER_KILL_NODE, default 1: responder 1's and worker 1's first node) is killed with SIGKILL
# after CLUSTER_KILL_AFTER seconds (default 10) and started again (scripts/cluster node-start:
# IST, or SST) CLUSTER_KILL_DOWN seconds later (default 10); the load goes on until the node is
# Synced again and 5 s more, at most CLUSTER_KILL_LOAD_SECONDS (default 90: the whole cluster
# part has 5 minutes; a joiner here was Synced 16-87 s after its start, IST plus applying what
# the load wrote meanwhile, on 2 cores shared with builds).
# Afterwards, on every node (the mariadb client as the superuser, reading causally):
#   * every write answered 2xx is there with the version it was acknowledged with and its
#     history row (the value it set); no node disagrees with another;
#   * the failure window answered only 503 (a 412 is the client's own stale If-Match after a
#     503'd write that did commit), never 500, never no answer; no request took longer than
#     CLUSTER_MAX_REQUEST_SECONDS (default 6: the requests in flight at the kill wait for
#     Galera's eviction of the dead node, evs.suspect_timeout 2 s and inactive_timeout 4 s in
#     scripts/lib/galera.sh; measured 2.4-3.2 s);
#   * the killed node is back, Synced, in a cluster of 3.
# Figures: the failure window (first to last answer that was neither 2xx nor 412), the answers
# by status, the requests, the acknowledged writes, the node's time to rejoin.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib/checks.sh"
seconds="${CLUSTER_KILL_LOAD_SECONDS:-90}"
kill_after="${CLUSTER_KILL_AFTER:-10}"
down_for="${CLUSTER_KILL_DOWN:-10}"
victim="${CLUSTER_KILL_NODE:-1}"
max_request="${CLUSTER_MAX_REQUEST_SECONDS:-6}"
connections=16
load_pid="" start_pid=""
cl_work_dir work dc-node-kill load_pid start_pid

dc_test "node kill under load: every acknowledged write survives on every node"
# A tenant of its own: the checks below read all of its datasets.
tenant="kill-$(date +%s)-$$"
cl_admin_node 1 tenant create "$tenant" >/dev/null
cl_admin_node 1 user add --tenant "$tenant" --email "admin@$tenant.test" --name "Node kill" --role admin >/dev/null
token="$(cl_admin_node 1 token mint --user "admin@$tenant.test" --tenant "$tenant" --ttl 3600 | tail -n 1)"
# A project per connection, as 16 people in their own projects: a dataset create re-grants the
# project's query account on every dataset of the project (datacovey_app.sync_query_account: one
# GRANT, a total-order event, per dataset), so one shared project would make the creates ever
# slower as the load goes on (a cost of its own, not the failover's).
projects=""
for ((i = 1; i <= connections; i++)); do
    project="$(CL_TOKEN="$token" cl_api "$CLUSTER_URL" POST /api/v1/projects -H 'Content-Type: application/json' \
        -d "{\"name\": \"node_kill_$i\"}" | cl_json "['id']")"
    [[ "$project" =~ ^[0-9]+$ ]] || { dc_fail "no project for the load ($project)"; dc_test_done; }
    projects+="${projects:+,}$project"
done

timeout --kill-after=10 $((seconds + 60)) python3 "$here/acked_load.py" run "$CLUSTER_URL" "$token" "$projects" \
    "$seconds" "$connections" "$work/load.json" "$work/stop" >"$work/load.out" 2>"$work/load.err" &
load_pid=$!
for _ in $(seq 1 600); do [[ -e "$work/stop.started" ]] && break; sleep 0.1; done
[[ -e "$work/stop.started" ]] || dc_fail "the load did not begin within 60 s ($(tail -n 2 "$work/load.err" | tr '\n' ' '))"
sleep "$kill_after"
pidfile="CLUSTER_NODE_PIDFILE_$victim"
node_pid="$(cat "${!pidfile}" 2>/dev/null)"
if [[ "$node_pid" =~ ^[0-9]+$ ]] && kill -KILL "$node_pid"; then
    killed_ms=$(cl_now_ms)
    cl_say "node $victim (pid $node_pid) killed with SIGKILL"
else
    dc_fail "node $victim has no running pid to kill ($node_pid)"
fi
sleep "$down_for"
restart_ms=$(cl_now_ms)
cl_node_start "$victim" >"$work/node-start.log" 2>&1 &
start_pid=$!
wait "$start_pid"
start_rc=$?
start_pid=""
synced_ms=$(cl_now_ms)
sleep 5
touch "$work/stop"
dc_assert_eq 0 "$start_rc" "scripts/cluster node-start $victim after SIGKILL ($(tail -n 3 "$work/node-start.log" | tr '\n' ' '))"
wait "$load_pid"
load_rc=$?
load_pid=""
dc_assert_eq 0 "$load_rc" "the load ran to its end ($(tail -n 3 "$work/load.err" | tr '\n' ' '))"
result="$(grep '^RESULT' "$work/load.out")"
cl_say "load: $result"

dc_test "the killed node is back and Synced before the checks"
for n in 1 2 3; do
    state="$(cl_sql "$n" "SELECT MAX(IF(variable_name = 'WSREP_LOCAL_STATE_COMMENT', variable_value, NULL)),
        MAX(IF(variable_name = 'WSREP_CLUSTER_SIZE', variable_value, NULL))
        FROM information_schema.global_status WHERE variable_name IN ('WSREP_LOCAL_STATE_COMMENT', 'WSREP_CLUSTER_SIZE')" 2>&1)"
    dc_assert_eq "Synced	3" "$state" "node $n: state and cluster size"
done

dc_test "acknowledged writes, statuses and the failure window"
nodes=()
for n in 1 2 3; do
    socket="CLUSTER_NODE_SOCKET_$n"
    nodes+=(-- --no-defaults "--socket=${!socket}" -u "$CLUSTER_SUPERUSER" --connect-timeout=5)
done
if [[ -s "$work/load.json" ]]; then
    verify="$(timeout 120 python3 "$here/acked_load.py" verify "$work/load.json" "$tenant" "$max_request" "${nodes[@]}" 2>&1)"
    verify_rc=$?
    printf '%s\n' "$verify" >&2
    dc_assert_eq 0 "$verify_rc" "acknowledged writes on every node, only 2xx/412/503 answers ($(grep -c '^VIOLATION' <<<"$verify") violations)"
else
    dc_fail "the load wrote no record"
fi

summary="$(python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))["summary"]; print(json.dumps(s))' "$work/load.json" 2>/dev/null)"
cl_figure "node kill: load" "$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["seconds"])' "$summary" 2>/dev/null)s, $connections connections, node $victim SIGKILLed at ${kill_after}s, started again at $((kill_after + down_for))s, load stopped 5 s after it was Synced"
cl_figure "node kill: requests and answers by status" "$(python3 -c 'import json, sys; s = json.loads(sys.argv[1]); print(s["requests"], s["by_status"], s["by_kind"])' "$summary" 2>/dev/null)"
cl_figure "node kill: failure window (first to last answer neither 2xx nor 412)" "$(python3 -c 'import json, sys; s = json.loads(sys.argv[1]); print(s["window_s"], "s (from", s["window_from_s"], "s to", s["window_to_s"], "s into the load), longest request", s["max_request_s"], "s; slowest [at s, kind, status, took s]:", s["slowest"])' "$summary" 2>/dev/null)"
cl_figure "node kill: runs of failed answers [from s, to s, answers]" "$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["failure_runs"])' "$summary" 2>/dev/null)"
cl_figure "node kill: acknowledged writes" "$(python3 -c 'import json, sys; s = json.loads(sys.argv[1]); print(s["acked_creates"], "creates,", s["acked_updates"], "updates")' "$summary" 2>/dev/null)"
[[ -n "${killed_ms:-}" ]] && cl_figure "node kill: node $victim down, then Synced again" \
    "$(( (restart_ms - killed_ms) / 1000 )) s down, rejoined (IST/SST) and Synced $(( synced_ms - restart_ms )) ms after its start"
if (( DC_TEST_FAILURES > 0 )) && [[ -s "$work/load.json" ]]; then
    # Every answer with its time, status and duration, for the failure's story.
    mkdir -p "$REPO_DIR/test-artifacts" && cp "$work/load.json" "$REPO_DIR/test-artifacts/node-kill-load.json" &&
        cl_say "the load's record: test-artifacts/node-kill-load.json"
fi
dc_test_done
