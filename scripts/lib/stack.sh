# shellcheck shell=bash source-path=SCRIPTDIR
# DataCovey — the whole local stack, built on the other libraries.
#
#   dc_build CONFIG              swift build (debug|release); sets DC_BIN
#   dc_stack_up                  MariaDB, migrations, demo seed, responder, worker, maintenance, nginx
#   dc_stack_down                stop everything dc_stack_up started (by pid files only)
#   dc_stack_running             print the parts of this run directory's stack that run
#   dc_stack_url                 print the URL of this run directory's nginx
#   dc_admin ARGS...             datacovey-admin against this stack
#   dc_free_port                 a free loopback port
#
# Globals: REPO_DIR RUN_DIR (from dc_env_load), DC_BIN (from dc_build).

[[ -n "${_DC_STACK_SH:-}" ]] && return 0
_DC_STACK_SH=1
# shellcheck source=all.sh
source "$(dirname "${BASH_SOURCE[0]}")/all.sh"

# Usage: dc_swift_path   puts the Swift toolchain on PATH when it lives in /opt/swift.
dc_swift_path() {
    if ! command -v swift >/dev/null 2>&1 && [[ -x /opt/swift/usr/bin/swift ]]; then
        export PATH="/opt/swift/usr/bin:$PATH"
    fi
    command -v swift >/dev/null 2>&1 || { dc_err "swift is not installed (expected /opt/swift/usr/bin/swift)"; return 1; }
}

# Usage: dc_build debug|release [extra swift build flags]
dc_build() {
    local config="${1:-release}"
    shift || true
    dc_swift_path || return 1
    dc_log "building ($config)"
    (cd "$REPO_DIR" && swift build -c "$config" "$@") || return 1
    DC_BIN="$(cd "$REPO_DIR" && swift build -c "$config" --show-bin-path)" || return 1
    export DC_BIN
}

# Usage: dc_free_port   prints a free loopback port, searching from a random start so that
# parallel runs do not meet.
dc_free_port() {
    local port tries
    for ((tries = 0; tries < 200; tries++)); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    dc_err "no free port found"
}

# Usage: dc_admin ARGS...   runs datacovey-admin with this stack's configuration.
dc_admin() {
    dc_require_vars DC_BIN || return 1
    # Migrations run as the MariaDB superuser that unix_socket maps this OS user to.
    DATACOVEY_MIGRATE_DB_USER="${DATACOVEY_MIGRATE_DB_USER:-$DATACOVEY_DB_SUPERUSER}" \
        "$DC_BIN/datacovey-admin" "$@"
}

# Usage: dc_stack_up   (after dc_env_load and dc_build)
dc_stack_up() {
    dc_require_vars RUN_DIR REPO_DIR DC_BIN || return 1
    mkdir -p "$RUN_DIR/logs" "$RUN_DIR/pids" "$RUN_DIR/data/uploads" "$RUN_DIR/data/exports" || return 1
    dc_mariadb_init || return 1
    dc_mariadb_start || return 1
    dc_log "migrating"
    # As the superuser through the local server's socket (unix_socket authentication), even
    # when the stack itself reaches MariaDB over TCP (DATACOVEY_DB_HOST).
    DATACOVEY_DB_HOST="" dc_admin migrate --sql-dir "$REPO_DIR/sql" >&2 || return 1
    dc_log "seeding the demo tenant"
    dc_admin seed-demo >&2 || return 1
    dc_supervise fcgi "$DC_BIN/datacovey-fcgi" || return 1
    dc_supervise worker "$DC_BIN/datacovey-worker" || return 1
    # Trash and history retention, daily (the package's systemd timer does this in production).
    dc_supervise maintenance bash "$DC_LIB_DIR/maintenance_loop.sh" "$DC_BIN/datacovey-admin" || return 1
    dc_nginx_start || return 1
    dc_wait_http "http://127.0.0.1:$DATACOVEY_PORT/readyz" 200 30 || {
        dc_tail_log "$RUN_DIR/logs/fcgi.log"
        return 1
    }
}

# Usage: dc_stack_running   -> prints, one a line, each part of the stack of this run
# directory that is running (mariadb, fcgi, worker, maintenance, nginx): judged by its pid file and
# the process it names, so a stale file (a reboot, a kill -9) counts as not running.
dc_stack_running() {
    dc_require_vars RUN_DIR || return 1
    _dc_mariadb_paths && _dc_mariadb_pid >/dev/null && echo mariadb
    local name
    for name in fcgi worker maintenance; do
        if dc_read_pidfile "$RUN_DIR/pids/$name-supervisor.pid" >/dev/null || dc_running_pid "$name" >/dev/null; then
            echo "$name"
        fi
    done
    _dc_nginx_paths && _dc_nginx_pid >/dev/null && echo nginx
    return 0
}

# Usage: dc_stack_url   -> the URL of this run directory's nginx, from the configuration it
# was started with (a later scripts/run may have another port in its environment).
dc_stack_url() {
    local port
    port="$(sed -n 's/^ *listen 127\.0\.0\.1:\([0-9]*\) default_server;.*/\1/p' "$RUN_DIR/nginx/nginx.conf" 2>/dev/null | head -n 1)"
    [[ -n "$port" ]] && printf 'http://127.0.0.1:%s/\n' "$port"
}

# Usage: dc_start_lock   -> claims this run directory for one starting scripts/run (a
# second one started meanwhile is refused); dc_start_unlock gives it back. A claim
# whose process is gone is taken over.
dc_start_lock() {
    local dir="$RUN_DIR/starting" holder
    if ! mkdir "$dir" 2>/dev/null; then
        if holder="$(dc_read_pidfile "$dir/pid")"; then
            dc_err "another scripts/run (pid $holder) is starting the stack of $RUN_DIR"
            return 1
        fi
        rm -rf "$dir"
        mkdir "$dir" || return 1
    fi
    dc_write_pidfile "$dir/pid" "$$"
}

dc_start_unlock() {
    rm -rf "$RUN_DIR/starting"
}

# Usage: dc_stack_down   stops nginx, worker, responder, MariaDB — each only if running.
dc_stack_down() {
    dc_require_vars RUN_DIR || return 1
    dc_nginx_stop || true
    dc_stop_pidfile maintenance 30 || true
    dc_stop_pidfile worker 30 || true
    dc_stop_pidfile fcgi 30 || true
    dc_mariadb_stop || true
}
