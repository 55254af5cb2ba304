# shellcheck shell=bash source-path=SCRIPTDIR
# DataCovey — background processes, pid files and supervision.
#
#   dc_start_bg NAME CMD [ARG...]       start CMD in the background
#   dc_supervise NAME CMD [ARG...]      start CMD under a restarting supervisor
#   dc_stop_pidfile NAME [TIMEOUT]      stop NAME (and its supervisor, if any)
#   dc_running_pid NAME                 print NAME's pid if it is running
#   dc_wait_http URL STATUS TIMEOUT     wait until URL answers with STATUS
#
# Files: $RUN_DIR/pids/NAME.pid (+ NAME.pid.start, the process start time, so a
# recycled pid is never signalled), $RUN_DIR/pids/NAME-supervisor.pid,
# $RUN_DIR/logs/NAME.log (stdout and stderr, appended).
# Globals: RUN_DIR.
#
# Processes are started in their own session (setsid) with SIGHUP ignored, so a
# closed terminal or a Ctrl-C in the calling shell does not reach them. Nothing
# here ever signals a process by name: only the pids these functions recorded.

[[ -n "${_DC_PROCESS_SH:-}" ]] && return 0
_DC_PROCESS_SH=1
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

_dc_check_name() {
    [[ "${1:-}" =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || { dc_err "bad process name: '${1:-}'"; return 1; }
}

# Usage: dc_running_pid NAME   -> prints the pid and returns 0 if NAME is running.
dc_running_pid() {
    dc_require_vars RUN_DIR || return 1
    dc_read_pidfile "$RUN_DIR/pids/$1.pid"
}

# Waits (up to ~5 s) for a pid file written by the started process itself. Its start
# time may not be recorded yet: the caller records it once the pid is known.
_dc_await_pidfile() {
    local file="$1" i pid
    for ((i = 0; i < 50; i++)); do
        if [[ -s "$file" ]] && read -r pid <"$file" && dc_pid_alive "$pid"; then
            printf '%s\n' "$pid"
            return 0
        fi
        sleep 0.1
    done
    return 1
}

# Usage: dc_start_bg NAME CMD [ARG...]
# Starts CMD in the background (own session, stdin /dev/null, SIGHUP ignored),
# appending stdout and stderr to $RUN_DIR/logs/NAME.log and writing its pid to
# $RUN_DIR/pids/NAME.pid. Fails if NAME is already running. Prints nothing on
# stdout; the pid is in the pid file (or: dc_running_pid NAME). Needs: RUN_DIR.
dc_start_bg() {
    local name="${1:-}"
    _dc_check_name "$name" || return 1
    shift
    (( $# > 0 )) || { dc_err "dc_start_bg $name: no command"; return 1; }
    dc_require_vars RUN_DIR || return 1
    local pidfile="$RUN_DIR/pids/$name.pid" log="$RUN_DIR/logs/$name.log" pid
    mkdir -p "$RUN_DIR/pids" "$RUN_DIR/logs" || return 1
    if pid="$(dc_read_pidfile "$pidfile")"; then
        dc_err "$name is already running (pid $pid)"
        return 1
    fi
    rm -f "$pidfile" "$pidfile.start"
    # The process writes its own pid before exec'ing CMD, so the pid is right
    # whether or not setsid had to fork.
    # shellcheck disable=SC2016  # expanded by the inner bash
    _dc_detached bash -c 'echo "$$" >"$0.tmp" && mv -f "$0.tmp" "$0" && exec "$@"' \
        "$pidfile" "$@" >>"$log" 2>&1 </dev/null &
    if ! pid="$(_dc_await_pidfile "$pidfile")"; then
        dc_err "$name did not start"
        dc_tail_log "$log"
        return 1
    fi
    dc_proc_starttime "$pid" >"$pidfile.start" 2>/dev/null || true
    dc_log "$name started (pid $pid, log $log)"
}

# Runs "$@" in a new session when setsid exists, with SIGHUP ignored (as nohup).
_dc_detached() {
    trap '' HUP
    if command -v setsid >/dev/null 2>&1; then
        exec setsid "$@"
    fi
    exec "$@"
}

# Usage: dc_supervise NAME CMD [ARG...]
# Starts a supervisor (a bash loop, pid in $RUN_DIR/pids/NAME-supervisor.pid)
# that runs CMD (pid in $RUN_DIR/pids/NAME.pid, output in $RUN_DIR/logs/NAME.log)
# and restarts it within a second whenever it exits on its own (SECURITY rule 21:
# libfcgi can abort on malformed parameters). SIGTERM (or SIGINT) to the
# supervisor forwards SIGTERM to CMD, waits for it (SIGKILL after
# DC_SUPERVISE_STOP_TIMEOUT, default 30 s) and exits without restarting.
# Stop it with dc_stop_pidfile NAME. Needs: RUN_DIR.
dc_supervise() {
    local name="${1:-}"
    _dc_check_name "$name" || return 1
    shift
    (( $# > 0 )) || { dc_err "dc_supervise $name: no command"; return 1; }
    dc_require_vars RUN_DIR || return 1
    local dir="$RUN_DIR/pids" log="$RUN_DIR/logs/$name.log" pid spid
    mkdir -p "$dir" "$RUN_DIR/logs" || return 1
    if spid="$(dc_read_pidfile "$dir/$name-supervisor.pid")"; then
        dc_err "$name is already supervised (supervisor pid $spid)"
        return 1
    fi
    if pid="$(dc_read_pidfile "$dir/$name.pid")"; then
        dc_err "$name is already running unsupervised (pid $pid)"
        return 1
    fi
    rm -f "$dir/$name.pid" "$dir/$name.pid.start" "$dir/$name-supervisor.pid" "$dir/$name-supervisor.pid.start"
    _dc_detached env RUN_DIR="$RUN_DIR" DC_SUPERVISE_STOP_TIMEOUT="${DC_SUPERVISE_STOP_TIMEOUT:-30}" \
        bash "$DC_LIB_DIR/process.sh" --supervise "$name" "$@" >>"$log" 2>&1 </dev/null &
    if ! spid="$(_dc_await_pidfile "$dir/$name-supervisor.pid")"; then
        dc_err "$name: supervisor did not start"
        dc_tail_log "$log"
        return 1
    fi
    local i
    for ((i = 0; i < 50; i++)); do
        [[ -s "$dir/$name.pid" ]] && break
        sleep 0.1
    done
    read -r pid <"$dir/$name.pid" 2>/dev/null || pid=""
    # A command that cannot start at all (missing binary, bad flag) would only
    # show up as a restart loop; report it now instead.
    sleep 0.5
    if [[ -z "$pid" || "$(dc_running_pid "$name" 2>/dev/null)" != "$pid" ]]; then
        dc_err "$name exited right after starting; stopping its supervisor"
        dc_stop_pidfile "$name" 5 || true
        dc_tail_log "$log"
        return 1
    fi
    dc_log "$name started under supervision (pid $pid, supervisor $spid, log $log)"
}

# The supervisor loop; runs in its own bash process (see the end of this file).
_dc_supervise_main() {
    local name="$1"
    shift
    local dir="$RUN_DIR/pids" timeout="${DC_SUPERVISE_STOP_TIMEOUT:-30}"
    local child="" last="" stopping=0 rc started deadline killed
    trap '' HUP
    trap 'stopping=1; [[ -n "$child" ]] && kill -TERM "$child" 2>/dev/null' TERM INT
    dc_write_pidfile "$dir/$name-supervisor.pid" "$$" || return 1
    while (( ! stopping )); do
        started=$(date +%s%N)
        "$@" &
        child=$!
        dc_write_pidfile "$dir/$name.pid" "$child"
        # A SIGTERM that arrived while the child was being forked found no child.
        (( stopping )) && kill -TERM "$child" 2>/dev/null
        while :; do
            # `wait` also returns when a trapped signal arrives; the child may
            # still be running then.
            wait "$child"
            rc=$?
            dc_pid_alive "$child" || break
            (( stopping )) || continue
            deadline=$(( $(date +%s) + timeout ))
            killed=0
            while dc_pid_alive "$child"; do
                if (( ! killed && $(date +%s) >= deadline )); then
                    printf '==> supervisor: %s (pid %s) ignored SIGTERM for %ss; SIGKILL\n' "$name" "$child" "$timeout" >&2
                    kill -KILL "$child" 2>/dev/null
                    killed=1
                fi
                sleep 0.1
            done
            wait "$child"
            rc=$?
            break
        done
        last="$child"
        child=""
        if (( stopping )); then
            printf '==> supervisor: %s (pid %s) stopped, status %s\n' "$name" "$last" "$rc" >&2
            break
        fi
        printf '==> supervisor: %s (pid %s) exited with status %s; restarting\n' "$name" "$last" "$rc" >&2
        # Back within a second either way: after 0.1 s, or 0.5 s when the child
        # lived less than a second (a crash loop need not spin).
        if (( ($(date +%s%N) - started) / 1000000 < 1000 )); then sleep 0.5; else sleep 0.1; fi
    done
    rm -f "$dir/$name.pid" "$dir/$name.pid.start" "$dir/$name-supervisor.pid" "$dir/$name-supervisor.pid.start"
}

# Usage: dc_stop_pidfile NAME [TIMEOUT_SECONDS]   (default 30)
# Stops NAME: when a live supervisor exists, SIGTERM to the supervisor (which
# stops the child); then SIGTERM to NAME's own pid if it is still alive, waits up
# to TIMEOUT seconds, then SIGKILL. Only the recorded pids are signalled; a stale
# or recycled pid file is just removed. Needs: RUN_DIR.
dc_stop_pidfile() {
    local name="${1:-}" timeout="${2:-30}" pid spid
    _dc_check_name "$name" || return 1
    dc_require_vars RUN_DIR || return 1
    local dir="$RUN_DIR/pids"
    if spid="$(dc_read_pidfile "$dir/$name-supervisor.pid")"; then
        dc_log "stopping $name supervisor (pid $spid)"
        kill -TERM "$spid" 2>/dev/null || true
        if ! dc_wait_pid_exit "$spid" $((timeout + 5)); then
            dc_log "$name supervisor did not exit; SIGKILL"
            kill -KILL "$spid" 2>/dev/null || true
            dc_wait_pid_exit "$spid" 5 || true
        fi
    fi
    rm -f "$dir/$name-supervisor.pid" "$dir/$name-supervisor.pid.start"
    if pid="$(dc_read_pidfile "$dir/$name.pid")"; then
        dc_log "stopping $name (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        if ! dc_wait_pid_exit "$pid" "$timeout"; then
            dc_log "$name did not exit within ${timeout}s; SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            dc_wait_pid_exit "$pid" 5 || { dc_err "$name (pid $pid) survived SIGKILL"; return 1; }
        fi
    fi
    rm -f "$dir/$name.pid" "$dir/$name.pid.start"
}

# Usage: dc_wait_http URL STATUS TIMEOUT_SECONDS
# Polls URL with curl until it answers with STATUS (e.g. 200); fails after
# TIMEOUT seconds, naming the last status seen (000 = no connection).
dc_wait_http() {
    local url="$1" want="$2" timeout="${3:-30}" code="000"
    local deadline=$(( $(date +%s) + timeout ))
    while :; do
        code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2>/dev/null)" || true
        [[ "$code" == "$want" ]] && return 0
        (( $(date +%s) < deadline )) || break
        sleep 0.2
    done
    dc_err "$url answered ${code:-000}, not $want, within ${timeout}s"
}

# Entry point of the supervisor process started by dc_supervise.
if [[ "${BASH_SOURCE[0]}" == "$0" && "${1:-}" == "--supervise" ]]; then
    shift
    _dc_supervise_main "$@"
fi
