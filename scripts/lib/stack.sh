# shellcheck shell=bash source-path=SCRIPTDIR
# DataCovey — the whole local stack, built on the other libraries.
#
#   dc_build CONFIG              swift build (debug|release); sets DC_BIN
#   dc_stack_up                  MariaDB, migrations, demo seed, responder, worker, nginx
#   dc_stack_down                stop everything dc_stack_up started (by pid files only)
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
    dc_admin migrate --sql-dir "$REPO_DIR/sql" >&2 || return 1
    dc_log "seeding the demo tenant"
    dc_admin seed-demo >&2 || return 1
    dc_supervise fcgi "$DC_BIN/datacovey-fcgi" || return 1
    dc_supervise worker "$DC_BIN/datacovey-worker" || return 1
    dc_nginx_start || return 1
    dc_wait_http "http://127.0.0.1:$DATACOVEY_PORT/readyz" 200 30 || {
        dc_tail_log "$RUN_DIR/logs/fcgi.log"
        return 1
    }
}

# Usage: dc_stack_down   stops nginx, worker, responder, MariaDB — each only if running.
dc_stack_down() {
    dc_require_vars RUN_DIR || return 1
    dc_nginx_stop || true
    dc_stop_pidfile worker 30 || true
    dc_stop_pidfile fcgi 30 || true
    dc_mariadb_stop || true
}
