#!/usr/bin/env bash
# Start and stop never touch what they did not start (issue 14): a second scripts/run leaves a
# running stack alone and names its URL; scripts/run refuses next to a partly running stack;
# scripts/stop with nothing running says so; a stale pid file never signals a process.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/assert.sh"
source "$here/../../scripts/lib/stack.sh"
repo="$(cd "$here/../.." && pwd)"

# A clean environment for a throwaway run directory: nothing of the running stack's.
throwaway() {
    local dir="$1"
    shift
    env -i HOME="$HOME" PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" DATACOVEY_RUN_DIR="$dir" "$@"
}

part_pids() {
    local parts=""
    parts+="fcgi=$(dc_running_pid fcgi) worker=$(dc_running_pid worker) maintenance=$(dc_running_pid maintenance) "
    parts+="mariadb=$(_dc_mariadb_paths && _dc_mariadb_pid) nginx=$(_dc_nginx_paths && _dc_nginx_pid)"
    echo "$parts"
}

dc_test "a second scripts/run leaves the running stack alone"
dc_env_load
before="$(part_pids)"
url="http://127.0.0.1:$DATACOVEY_PORT/"
out="$(bash "$repo/scripts/run" --background 2>&1)"
dc_assert_eq 0 "$?" "exit status"
dc_assert_eq "DataCovey is already running at $url (run directory $RUN_DIR); scripts/stop stops it." "$out" "what it says"
dc_assert_eq "$before" "$(part_pids)" "the same processes run"
dc_assert_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' "${url}readyz")" "readyz"
# Another port in the environment: still the same stack, still its own URL.
out="$(DATACOVEY_PORT="$(dc_free_port)" bash "$repo/scripts/run" --background 2>&1)"
dc_assert_eq 0 "$?" "exit status with another port"
dc_assert_contains "$out" "already running at $url" "names the running stack's URL"
dc_assert_eq "$before" "$(part_pids)" "the same processes run after the second try"

dc_test "the stack runs its daily maintenance by itself"
dc_assert_contains "$(cat "$RUN_DIR/logs/maintenance.log" 2>/dev/null)" "trash: purged" "the first run, at start"

dc_test "scripts/stop with nothing running"
empty="$(mktemp -d /tmp/dc-stop.XXXXXX)"
out="$(throwaway "$empty" bash "$repo/scripts/stop" 2>/dev/null)"
dc_assert_eq 0 "$?" "exit status"
dc_assert_eq "Nothing is running from $empty." "$out" "what it says"

dc_test "stale pid files never signal an unrelated process"
stale="$(mktemp -d /tmp/dc-stale.XXXXXX)"
mkdir -p "$stale/pids" "$stale/mariadb" "$stale/nginx"
sleep 300 &
bystander=$!
# As after a reboot: the recorded start time is another process's; as after a crash of an
# older version: no start time at all; and daemons' own pid files naming a non-daemon.
echo "$bystander" >"$stale/pids/fcgi.pid"; echo 1 >"$stale/pids/fcgi.pid.start"
echo "$bystander" >"$stale/pids/worker.pid"
echo "$bystander" >"$stale/pids/fcgi-supervisor.pid"
echo "$bystander" >"$stale/mariadb/mariadb.pid"
echo "$bystander" >"$stale/nginx/nginx.pid"
out="$(throwaway "$stale" bash "$repo/scripts/stop" 2>/dev/null)"
dc_assert_eq 0 "$?" "exit status"
dc_assert_eq "Nothing is running from $stale." "$out" "what it says"
sleep 0.5
dc_assert_alive "$bystander" "the unrelated process"
kill "$bystander" 2>/dev/null; wait "$bystander" 2>/dev/null

dc_test "scripts/run refuses next to a partly running stack and stops nothing"
partial="$(mktemp -d /tmp/dc-partial.XXXXXX)"
throwaway "$partial" bash -c "source '$repo/scripts/lib/stack.sh' && dc_env_load && dc_supervise fcgi sleep 300" 2>/dev/null
survivor="$(RUN_DIR="$partial" dc_running_pid fcgi)"
out="$(throwaway "$partial" bash "$repo/scripts/run" --background 2>&1)"
dc_assert_eq 1 "$?" "exit status"
dc_assert_contains "$out" "part of a DataCovey stack is running from $partial (fcgi)" "names the running part"
dc_assert_contains "$out" "Run scripts/stop, then scripts/run." "says what to do"
dc_assert_eq "$survivor" "$(RUN_DIR="$partial" dc_running_pid fcgi)" "the running part was left alone"
out="$(throwaway "$partial" bash "$repo/scripts/stop" 2>&1)"
dc_assert_eq 0 "$?" "scripts/stop exit status"
dc_assert_contains "$out" "stopped (fcgi)" "scripts/stop says what it stopped"
sleep 0.2
kill -0 "$survivor" 2>/dev/null && dc_fail "scripts/stop left pid $survivor running"

rm -rf "$empty" "$stale" "$partial"
dc_test_done
