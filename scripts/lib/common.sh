# shellcheck shell=bash source-path=SCRIPTDIR
# DataCovey — shared helpers for the scripts/lib/*.sh function libraries.
#
# Sourced, never run. Safe under `set -euo pipefail`: every function returns a
# status instead of exiting, and reads optional variables with ${VAR:-}.
# Log lines go to stderr, prefixed "==>".

[[ -n "${_DC_COMMON_SH:-}" ]] && return 0
_DC_COMMON_SH=1

# shellcheck disable=SC2034  # used by secrets.sh and process.sh
DC_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Usage: dc_log MESSAGE...
dc_log() { printf '==> %s\n' "$*" >&2; }

# Usage: dc_err MESSAGE...   (logs "==> error: ..." and returns 1)
dc_err() { printf '==> error: %s\n' "$*" >&2; return 1; }

# Usage: dc_require_vars NAME...   (fails naming the first unset/empty variable)
dc_require_vars() {
    local name
    for name in "$@"; do
        [[ -n "${!name:-}" ]] || { dc_err "$name is not set (call dc_env_load first)"; return 1; }
    done
}

# Debian keeps mariadbd and nginx in /usr/sbin, which a non-root user's PATH
# often lacks.
dc_path_add_sbin() {
    local d
    for d in /usr/local/sbin /usr/sbin /sbin; do
        case ":${PATH:-}:" in *":$d:"*) ;; *) PATH="${PATH:+$PATH:}$d" ;; esac
    done
    export PATH
}

# Usage: dc_proc_starttime PID   -> prints the process start time (clock ticks since
# boot, /proc/PID/stat field 22). Used to tell a live process from a recycled pid.
dc_proc_starttime() {
    local stat
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
    # The command name (field 2) may contain spaces; cut after its closing paren.
    stat="${stat##*) }"
    # shellcheck disable=SC2086
    set -- $stat
    printf '%s\n' "${20}"
}

# Usage: dc_pid_alive PID   -> status 0 if PID is a running (non-zombie) process.
dc_pid_alive() {
    local pid="${1:-}" state
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    [[ -d /proc/self ]] || return 0
    # A zombie still answers kill -0; its state letter (field 3) is Z.
    state="$(awk '{ sub(/.*\) /, ""); print $1 }' "/proc/$pid/stat" 2>/dev/null)" || return 1
    [[ -n "$state" && "$state" != "Z" ]]
}

# Usage: dc_read_pidfile FILE [COMM]   -> prints the pid if FILE names a live process
# that is the one recorded: FILE.start holds its start time (these libraries write it),
# or, for a pid file a daemon writes itself (mariadbd, nginx), its command name is COMM.
# Status 1 for a missing file, a dead pid, a recycled pid (after a reboot or kill -9 the
# number may belong to an unrelated process), or a file with neither check possible:
# such a pid is never trusted, so never signalled.
dc_read_pidfile() {
    local file="$1" comm="${2:-}" pid start
    [[ -s "$file" ]] || return 1
    read -r pid <"$file" || [[ -n "${pid:-}" ]] || return 1
    dc_pid_alive "$pid" || return 1
    if [[ -n "$comm" ]]; then
        [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$comm" ]] || return 1
    elif [[ -d /proc/self ]]; then
        [[ -s "$file.start" ]] || return 1
        read -r start <"$file.start" || true
        [[ "$(dc_proc_starttime "$pid" 2>/dev/null)" == "${start:-}" ]] || return 1
    fi
    printf '%s\n' "$pid"
}

# Usage: dc_write_pidfile FILE PID
dc_write_pidfile() {
    local file="$1" pid="$2"
    printf '%s\n' "$pid" >"$file.tmp" && mv -f "$file.tmp" "$file" || return 1
    dc_proc_starttime "$pid" >"$file.start" 2>/dev/null || rm -f "$file.start"
}

# Usage: dc_wait_pid_exit PID TIMEOUT_SECONDS   -> 0 once PID is gone, 1 on timeout.
dc_wait_pid_exit() {
    local pid="$1" deadline=$(( $(date +%s%N) / 1000000 + ${2:-30} * 1000 ))
    while dc_pid_alive "$pid"; do
        (( $(date +%s%N) / 1000000 < deadline )) || return 1
        sleep 0.1
    done
}

# Usage: dc_tail_log FILE [LINES]   (prints the last lines of a log to stderr)
dc_tail_log() {
    [[ -f "$1" ]] || return 0
    printf '==> last lines of %s:\n' "$1" >&2
    tail -n "${2:-30}" "$1" | sed 's/^/    /' >&2
}

# Usage: dc_check_socket_path PATH   (unix socket paths are limited to 107 bytes)
dc_check_socket_path() {
    (( ${#1} <= 107 )) || { dc_err "socket path is ${#1} bytes, over the 107-byte limit of unix sockets: $1"; return 1; }
}
