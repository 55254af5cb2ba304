# shellcheck shell=bash source-path=SCRIPTDIR
# DataCovey — the scale-out layout on one machine (scripts/cluster): three Galera nodes
# (galera.sh), two responders, two workers, the maintenance loop and one nginx whose upstream holds
# both responders. Everything lives under the cluster's run directory, on free loopback ports.
#
#   dc_cluster_load          RUN_DIR = ${DATACOVEY_CLUSTER_DIR:-$REPO_DIR/.cluster}; forget any
#                            other stack's locations; read the cluster's ports if picked
#   dc_cluster_up            nodes, migrations once, demo tenant, responders, workers, nginx
#   dc_cluster_down          stop all of it by pid files (node 1 last: it may bootstrap next time)
#   dc_cluster_running       the parts that run, one a line
#   dc_cluster_status        a line for each node, responder, worker and nginx
#   dc_cluster_admin N ARGS  datacovey-admin against node N (over TCP, with the cluster's accounts)
#
# Who talks to which node: responder 1 DATACOVEY_DB_HOSTS=n1,n2,n3, responder 2 n2,n3,n1; worker 1
# n1,n2,n3, worker 2 n3,n1,n2; the maintenance loop n1,n2,n3. DATACOVEY_DB_HOST/PORT name each
# process's first node as well (DATACOVEY_DB_HOSTS overrides them; they are what a binary without
# the failover pool would use).
#
# Files under $RUN_DIR: ports.env, secrets.env, cluster.env (written by up, for tests and tools),
# node{1,2,3}/ (mariadb.sh's files), fcgi{1,2}.sock, worker{1,2}/metrics/worker.prom, data/
# (uploads and exports, shared by every process), nginx/, pids/, logs/.

[[ -n "${_DC_CLUSTER_SH:-}" ]] && return 0
_DC_CLUSTER_SH=1
# shellcheck source=stack.sh
source "$(dirname "${BASH_SOURCE[0]}")/stack.sh"
# shellcheck source=galera.sh
source "$(dirname "${BASH_SOURCE[0]}")/galera.sh"

DC_CLUSTER_RESPONDERS=2
DC_CLUSTER_WORKERS=2
# Each process's database nodes, in the order it prefers them: responder 2 and worker 2 write
# through other nodes than responder 1 and worker 1, so the cluster has three writer nodes, as
# production with an application host per database host would. That works because no row is
# written by every write of a tenant any more: each node appends to its own history chain
# (sql/0026). With one chain head per tenant (0024), writes of one tenant through two nodes were
# all certified against each other: a fifth of the answers under load were 503, and the cluster
# stalled until the database timeout when a transaction aborted by a replicated write set was
# inside the chain trigger (it stays "Killed" holding its locks, the applier waits behind it).
# Conflicts that remain (two nodes writing the same row: a job both workers claim, one dataset
# patched through both responders) are certification failures the pool retries (1213) or the
# job queue treats as "not claimed" (JobQueue).
DC_CLUSTER_RESPONDER_NODES=("1 2 3" "2 3 1")
DC_CLUSTER_WORKER_NODES=("1 2 3" "3 1 2")
# The cluster's own ports besides the nodes' (ports.env).
DC_CLUSTER_PORT_NAMES=(DC_CLUSTER_HTTP_PORT DC_CLUSTER_PINNED_PORT_1 DC_CLUSTER_PINNED_PORT_2
                       DC_CLUSTER_METRICS_PORT_1 DC_CLUSTER_METRICS_PORT_2)

# Usage: dc_cluster_load
# The variables that place a stack (run directory, ports, sockets, database address, secrets) are
# the cluster's own: values from the caller's environment (another stack's) are dropped. Tuning
# variables (DATACOVEY_JOB_LEASE_SECONDS, DATACOVEY_POOL_SIZE, ...) pass through to the processes.
dc_cluster_load() {
    local name
    : "${REPO_DIR:=$(cd "$DC_LIB_DIR/../.." && pwd)}"
    export REPO_DIR
    for name in DATACOVEY_RUN_DIR DATACOVEY_PORT DATACOVEY_DB_PORT DATACOVEY_DB_SOCKET DATACOVEY_DB_HOST \
        DATACOVEY_DB_HOSTS DATACOVEY_DB_ACCOUNT_HOST DATACOVEY_METRICS_PORT DATACOVEY_FCGI_SOCKET \
        DATACOVEY_FCGI_SOCKETS DATACOVEY_PINNED_PORTS DATACOVEY_METRICS_PORTS DATACOVEY_WORKER_METRICS_FILES \
        DATACOVEY_DATA_DIR DATACOVEY_PUBLIC_URL "${DC_SECRET_NAMES[@]}"; do
        unset "$name"
    done
    RUN_DIR="${DATACOVEY_CLUSTER_DIR:-$REPO_DIR/.cluster}"
    [[ "$RUN_DIR" == /* ]] || RUN_DIR="$PWD/$RUN_DIR"
    export RUN_DIR
    dc_galera_ports_load || true
}

# Exports what the processes and dc_admin read for the whole cluster (after the ports are known):
# nginx's ports and upstream, the shared run and data directories, the secrets, the accounts' host.
_dc_cluster_env() {
    local i
    export DATACOVEY_PORT="$DC_CLUSTER_HTTP_PORT"
    export DATACOVEY_METRICS_PORT="$DC_CLUSTER_METRICS_PORT_1"
    export DATACOVEY_FCGI_SOCKET="$RUN_DIR/fcgi1.sock"
    export DATACOVEY_FCGI_SOCKETS="" DATACOVEY_PINNED_PORTS="" DATACOVEY_METRICS_PORTS="" DATACOVEY_WORKER_METRICS_FILES=""
    for ((i = 1; i <= DC_CLUSTER_RESPONDERS; i++)); do
        local pinned="DC_CLUSTER_PINNED_PORT_$i" metrics="DC_CLUSTER_METRICS_PORT_$i"
        DATACOVEY_FCGI_SOCKETS+="${DATACOVEY_FCGI_SOCKETS:+ }$RUN_DIR/fcgi$i.sock"
        DATACOVEY_PINNED_PORTS+="${DATACOVEY_PINNED_PORTS:+ }${!pinned}"
        DATACOVEY_METRICS_PORTS+="${DATACOVEY_METRICS_PORTS:+ }${!metrics}"
        DATACOVEY_WORKER_METRICS_FILES+="${DATACOVEY_WORKER_METRICS_FILES:+ }$RUN_DIR/worker$i/metrics/worker.prom"
    done
    # Every account lives at 127.0.0.1: every process reaches its nodes over TCP.
    export DATACOVEY_DB_ACCOUNT_HOST=127.0.0.1
    export DATACOVEY_DATA_DIR="$RUN_DIR/data"
    dc_env_load
}

# Usage: _dc_cluster_db NODE...   (in a subshell) this process's database nodes, in order.
_dc_cluster_db() {
    local port="DC_GALERA_PORT_$1"
    DATACOVEY_DB_HOSTS="$(dc_galera_hosts "$@")"
    export DATACOVEY_DB_HOSTS DATACOVEY_DB_HOST=127.0.0.1 DATACOVEY_DB_PORT="${!port}"
}

# Usage: dc_cluster_admin N ARGS...   datacovey-admin against node N alone.
dc_cluster_admin() {
    local n="$1"
    shift
    ( _dc_cluster_db "$n" && unset DATACOVEY_DB_HOSTS && dc_admin "$@" )
}

# Usage: dc_cluster_up   (after dc_cluster_load and dc_build; nothing of the cluster running)
dc_cluster_up() {
    local i n started
    started=$(date +%s%N)
    mkdir -p "$RUN_DIR/logs" "$RUN_DIR/pids" "$RUN_DIR/data/uploads" "$RUN_DIR/data/exports" || return 1
    [[ -s "$RUN_DIR/ports.env" ]] || dc_galera_ports_pick "${DC_CLUSTER_PORT_NAMES[@]}" || return 1
    _dc_cluster_env || return 1

    # Node 1 bootstraps; the others join one after another (each waits for Synced).
    [[ -d "$RUN_DIR/node1/data/mysql" ]] || dc_galera_seed || return 1
    dc_galera_start 1 --new-cluster || return 1
    for ((n = 2; n <= DC_GALERA_NODES; n++)); do
        dc_galera_start "$n" || return 1
    done
    dc_log "database cluster ready after $(_dc_cluster_since "$started")"

    # Once, through node 1: DDL and CREATE USER/GRANT replicate to the others (total order).
    dc_log "migrating through node 1"
    ( export DATACOVEY_DB_SOCKET="$RUN_DIR/node1/mariadb.sock"
      unset DATACOVEY_DB_HOST DATACOVEY_DB_HOSTS
      dc_admin migrate --sql-dir "$REPO_DIR/sql" >&2 ) || return 1
    dc_log "seeding the demo tenant"
    dc_cluster_admin 1 seed-demo >&2 || return 1

    # One after another: the first responder creates the development issuer's key.
    for ((i = 1; i <= DC_CLUSTER_RESPONDERS; i++)); do
        # shellcheck disable=SC2086  # the node list splits into arguments
        ( _dc_cluster_db ${DC_CLUSTER_RESPONDER_NODES[i - 1]} &&
            export DATACOVEY_FCGI_SOCKET="$RUN_DIR/fcgi$i.sock" &&
            dc_supervise "fcgi$i" "$DC_BIN/datacovey-fcgi" ) || return 1
        dc_wait_http_socket "$RUN_DIR/fcgi$i.sock" 30 || return 1
    done
    for ((i = 1; i <= DC_CLUSTER_WORKERS; i++)); do
        mkdir -p "$RUN_DIR/worker$i/metrics" || return 1
        # A run directory each (its metrics file); the data directory is the shared one.
        # shellcheck disable=SC2086
        ( _dc_cluster_db ${DC_CLUSTER_WORKER_NODES[i - 1]} &&
            export DATACOVEY_RUN_DIR="$RUN_DIR/worker$i" &&
            dc_supervise "worker$i" "$DC_BIN/datacovey-worker" ) || return 1
    done
    ( _dc_cluster_db 1 2 3 &&
        dc_supervise maintenance bash "$DC_LIB_DIR/maintenance_loop.sh" "$DC_BIN/datacovey-admin" ) || return 1
    dc_nginx_start || return 1
    for ((i = 1; i <= DC_CLUSTER_RESPONDERS; i++)); do
        local pinned="DC_CLUSTER_PINNED_PORT_$i"
        dc_wait_http "http://127.0.0.1:${!pinned}/readyz" 200 30 || { dc_tail_log "$RUN_DIR/logs/fcgi$i.log"; return 1; }
    done
    dc_cluster_write_env || return 1
    dc_log "cluster up after $(_dc_cluster_since "$started")"
}

# Waits until a responder's socket exists (it creates it once configured).
dc_wait_http_socket() {
    local socket="$1" timeout="${2:-30}" i
    for ((i = 0; i < timeout * 10; i++)); do
        [[ -S "$socket" ]] && return 0
        sleep 0.1
    done
    dc_err "no socket $socket after ${timeout}s"
}

_dc_cluster_since() {
    local ms=$(( ($(date +%s%N) - $1) / 1000000 ))
    printf '%d.%01d s' $((ms / 1000)) $((ms % 1000 / 100))
}

# Usage: dc_cluster_write_env   writes $RUN_DIR/cluster.env: assignments only, for `source`.
dc_cluster_write_env() {
    local file="$RUN_DIR/cluster.env" i n var pid
    {
        echo "# Generated by scripts/cluster up; source it. Pids are those at start: a supervisor"
        echo "# restarts a responder or worker under a new pid (see CLUSTER_PIDS_DIR/NAME.pid)."
        _dc_cluster_assign DATACOVEY_CLUSTER_DIR "$RUN_DIR"
        _dc_cluster_assign CLUSTER_REPO_DIR "$REPO_DIR"
        _dc_cluster_assign CLUSTER_DC_BIN "$DC_BIN"
        _dc_cluster_assign CLUSTER_URL "http://127.0.0.1:$DC_CLUSTER_HTTP_PORT/"
        _dc_cluster_assign CLUSTER_HTTP_PORT "$DC_CLUSTER_HTTP_PORT"
        _dc_cluster_assign CLUSTER_SECRETS "$RUN_DIR/secrets.env"
        _dc_cluster_assign CLUSTER_SUPERUSER "$DATACOVEY_DB_SUPERUSER"
        _dc_cluster_assign CLUSTER_ACCOUNT_HOST "$DATACOVEY_DB_ACCOUNT_HOST"
        _dc_cluster_assign CLUSTER_DATA_DIR "$DATACOVEY_DATA_DIR"
        _dc_cluster_assign CLUSTER_PIDS_DIR "$RUN_DIR/pids"
        _dc_cluster_assign CLUSTER_LOGS_DIR "$RUN_DIR/logs"
        _dc_cluster_assign CLUSTER_NODES "$DC_GALERA_NODES"
        for ((n = 1; n <= DC_GALERA_NODES; n++)); do
            var="DC_GALERA_PORT_$n"
            _dc_cluster_assign "CLUSTER_NODE_PORT_$n" "${!var}"
            _dc_cluster_assign "CLUSTER_NODE_SOCKET_$n" "$RUN_DIR/node$n/mariadb.sock"
            _dc_cluster_assign "CLUSTER_NODE_PIDFILE_$n" "$RUN_DIR/node$n/mariadb.pid"
            pid="$(cat "$RUN_DIR/node$n/mariadb.pid" 2>/dev/null)" || pid=""
            _dc_cluster_assign "CLUSTER_NODE_PID_$n" "$pid"
            # How to reach node N with the mariadb client, as the superuser.
            _dc_cluster_assign "CLUSTER_NODE_MARIADB_$n" \
                "mariadb --no-defaults --socket=$RUN_DIR/node$n/mariadb.sock -u $DATACOVEY_DB_SUPERUSER"
        done
        for ((i = 1; i <= DC_CLUSTER_RESPONDERS; i++)); do
            var="DC_CLUSTER_PINNED_PORT_$i"
            _dc_cluster_assign "CLUSTER_URL_$i" "http://127.0.0.1:${!var}/"
            _dc_cluster_assign "CLUSTER_PINNED_PORT_$i" "${!var}"
            var="DC_CLUSTER_METRICS_PORT_$i"
            _dc_cluster_assign "CLUSTER_METRICS_PORT_$i" "${!var}"
            _dc_cluster_assign "CLUSTER_FCGI_SOCKET_$i" "$RUN_DIR/fcgi$i.sock"
            # shellcheck disable=SC2086
            _dc_cluster_assign "CLUSTER_FCGI_DB_HOSTS_$i" "$(dc_galera_hosts ${DC_CLUSTER_RESPONDER_NODES[i - 1]})"
            _dc_cluster_assign "CLUSTER_FCGI_PID_$i" "$(dc_running_pid "fcgi$i" 2>/dev/null)"
        done
        for ((i = 1; i <= DC_CLUSTER_WORKERS; i++)); do
            # shellcheck disable=SC2086
            _dc_cluster_assign "CLUSTER_WORKER_DB_HOSTS_$i" "$(dc_galera_hosts ${DC_CLUSTER_WORKER_NODES[i - 1]})"
            _dc_cluster_assign "CLUSTER_WORKER_RUN_DIR_$i" "$RUN_DIR/worker$i"
            _dc_cluster_assign "CLUSTER_WORKER_PID_$i" "$(dc_running_pid "worker$i" 2>/dev/null)"
        done
        _dc_cluster_assign CLUSTER_MAINTENANCE_PID "$(dc_running_pid maintenance 2>/dev/null)"
        _dc_cluster_assign CLUSTER_NGINX_PID "$(cat "$RUN_DIR/nginx/nginx.pid" 2>/dev/null)"
    } >"$file.tmp" || return 1
    mv -f "$file.tmp" "$file"
}

_dc_cluster_assign() {
    printf '%s=%q\n' "$1" "$2"
}

# Usage: dc_cluster_running   -> node1..3, fcgi1..2, worker1..2, maintenance, nginx (those running)
dc_cluster_running() {
    local n name
    for ((n = 1; n <= DC_GALERA_NODES; n++)); do
        dc_galera_running "$n" 2>/dev/null && echo "node$n"
    done
    for name in fcgi1 fcgi2 worker1 worker2 maintenance; do
        if dc_read_pidfile "$RUN_DIR/pids/$name-supervisor.pid" >/dev/null || dc_running_pid "$name" >/dev/null; then
            echo "$name"
        fi
    done
    _dc_nginx_paths && _dc_nginx_pid >/dev/null && echo nginx
    return 0
}

# Usage: dc_cluster_status   (one line a part; status 1 when a part is not running or not Synced)
dc_cluster_status() {
    local n i state pid rc=0 var
    printf 'cluster %s\n' "$RUN_DIR"
    for ((n = 1; n <= DC_GALERA_NODES; n++)); do
        var="DC_GALERA_PORT_$n"
        if state="$(dc_galera_state "$n")"; then
            pid="$(cat "$RUN_DIR/node$n/mariadb.pid" 2>/dev/null)"
            printf '  node%s      pid %-8s 127.0.0.1:%s  %s, cluster size %s\n' "$n" "$pid" "${!var:-?}" "${state% *}" "${state##* }"
            [[ "$state" == Synced* ]] || rc=1
        else
            printf '  node%s      down\n' "$n"
            rc=1
        fi
    done
    for ((i = 1; i <= DC_CLUSTER_RESPONDERS; i++)); do
        if pid="$(dc_running_pid "fcgi$i")"; then
            # shellcheck disable=SC2086
            printf '  fcgi%s      pid %-8s %s  database nodes %s\n' "$i" "$pid" "$RUN_DIR/fcgi$i.sock" \
                "$(dc_galera_hosts ${DC_CLUSTER_RESPONDER_NODES[i - 1]})"
        else
            printf '  fcgi%s      down\n' "$i"; rc=1
        fi
    done
    for ((i = 1; i <= DC_CLUSTER_WORKERS; i++)); do
        if pid="$(dc_running_pid "worker$i")"; then
            # shellcheck disable=SC2086
            printf '  worker%s    pid %-8s database nodes %s\n' "$i" "$pid" "$(dc_galera_hosts ${DC_CLUSTER_WORKER_NODES[i - 1]})"
        else
            printf '  worker%s    down\n' "$i"; rc=1
        fi
    done
    if pid="$(dc_running_pid maintenance)"; then
        printf '  maintenance pid %s\n' "$pid"
    else
        printf '  maintenance down\n'; rc=1
    fi
    if _dc_nginx_paths && pid="$(_dc_nginx_pid)"; then
        printf '  nginx      pid %-8s http://127.0.0.1:%s/ (responder 1 only: %s, responder 2 only: %s)\n' "$pid" \
            "${DC_CLUSTER_HTTP_PORT:-?}" "${DC_CLUSTER_PINNED_PORT_1:-?}" "${DC_CLUSTER_PINNED_PORT_2:-?}"
    else
        printf '  nginx      down\n'; rc=1
    fi
    return "$rc"
}

# Usage: dc_cluster_down   stops nginx, maintenance, workers, responders, then nodes 3, 2, 1.
dc_cluster_down() {
    local i n
    dc_nginx_stop || true
    dc_stop_pidfile maintenance 30 || true
    for ((i = DC_CLUSTER_WORKERS; i >= 1; i--)); do dc_stop_pidfile "worker$i" 30 || true; done
    for ((i = DC_CLUSTER_RESPONDERS; i >= 1; i--)); do dc_stop_pidfile "fcgi$i" 30 || true; done
    # Node 1 last: the last node to leave holds every write and is marked safe to bootstrap.
    for ((n = DC_GALERA_NODES; n >= 1; n--)); do dc_galera_stop "$n" || true; done
    rm -f "$RUN_DIR/cluster.env"
}
