#!/usr/bin/env bash
# After a machine crash — every process of the stack killed with SIGKILL at once, MariaDB
# mid-flight — scripts/run starts the stack again (InnoDB recovers) with every committed
# write kept (issue 14). Runs last: it replaces the running stack's processes.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/assert.sh"
source "$here/../../scripts/lib/stack.sh"
repo="$(cd "$here/../.." && pwd)"
dc_env_load
dc_require_vars DC_BIN || exit 1
url="http://127.0.0.1:$DATACOVEY_PORT/"

dc_test "scripts/run after a crash recovers and keeps committed writes"
token="$(dc_admin token mint --user admin@demo.test --tenant demo 2>/dev/null | tail -n 1)"
name="crash_$(dc_random_hex | cut -c1-8)"
created="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"name\": \"$name\"}" "${url}api/v1/projects")"
dc_assert_eq 201 "$created" "a project created before the crash"

victims=()
for name_ in fcgi worker maintenance; do
    victims+=("$(dc_read_pidfile "$RUN_DIR/pids/$name_-supervisor.pid")" "$(dc_running_pid "$name_")")
done
# A crash takes the maintenance loop's sleep along too; left alone it would outlive the test.
mapfile -t sleepers < <(pgrep -P "$(dc_running_pid maintenance)")
victims+=("${sleepers[@]}")
_dc_mariadb_paths; victims+=("$(_dc_mariadb_pid)")
_dc_nginx_paths; master="$(_dc_nginx_pid)"; victims+=("$master")
mapfile -t nginx_workers < <(pgrep -P "$master")
victims+=("${nginx_workers[@]}")
kill -KILL "${victims[@]}" 2>/dev/null
for pid in "${victims[@]}"; do dc_wait_pid_exit "$pid" 10 || dc_fail "pid $pid survived SIGKILL"; done
dc_assert_eq "" "$(dc_stack_running)" "nothing of the stack runs after the crash"

started=$(date +%s)
out="$(DATACOVEY_BUILD_CONFIG=debug bash "$repo/scripts/run" --background 2>&1)"
status=$?
dc_assert_eq 0 "$status" "scripts/run exit status"
dc_assert_contains "$out" "DataCovey is running at $url" "scripts/run prints the URL"
[[ $status == 0 ]] || printf '%s\n' "$out" | tail -n 30 >&2
printf '==> the stack was back in %s s\n' "$(( $(date +%s) - started ))" >&2
dc_assert_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' "${url}readyz")" "readyz after the restart"
listed="$(curl -s -H "Authorization: Bearer $token" "${url}api/v1/projects?limit=1000")"
dc_assert_contains "$listed" "\"name\":\"$name\"" "the project written before the crash"
grep -h "crash recovery\|Starting final batch to recover\|recovery" "$RUN_DIR/logs/mariadb.err" 2>/dev/null | tail -n 3 | sed 's/^/    /' >&2
dc_test_done
