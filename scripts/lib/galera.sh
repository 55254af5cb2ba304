# shellcheck shell=bash source-path=SCRIPTDIR
# DataCovey — a three-node MariaDB Galera cluster on this machine (scripts/cluster), built on
# scripts/lib/mariadb.sh: each node is a mariadbd of its own under $RUN_DIR/nodeN, on its own
# loopback ports, with the Galera settings of dc_galera_cnf appended to the usual my.cnf.
#
#   dc_galera_ports_pick          choose free loopback ports once; write $RUN_DIR/ports.env
#   dc_galera_ports_load          read them back (status, down)
#   dc_galera_seed                a new cluster: node 1's fresh data, copied to every other node
#   dc_galera_start N [--new-cluster]   start node N (the first one bootstraps); wait until Synced
#   dc_galera_stop N              stop node N (SIGTERM by pid file)
#   dc_galera_running N           status 0 when node N's mariadbd runs
#   dc_galera_sql N ARGS...       the mariadb client as the superuser on node N's socket
#   dc_galera_state N             prints "STATE SIZE": wsrep_local_state_comment, wsrep_cluster_size
#   dc_galera_wait_synced N SECS  waits until node N reports Synced
#   dc_galera_hosts FIRST...      prints "127.0.0.1:P,127.0.0.1:P,..." for DATACOVEY_DB_HOSTS
#
# Globals: RUN_DIR; DC_GALERA_NODES (3). Ports (ports.env): DC_GALERA_PORT_N (client),
# DC_GALERA_GCOMM_N (group communication), DC_GALERA_IST_N, DC_GALERA_SST_N.
# Optional: DATACOVEY_CLUSTER_SST, the state transfer method (default mariabackup).

[[ -n "${_DC_GALERA_SH:-}" ]] && return 0
_DC_GALERA_SH=1
# shellcheck source=mariadb.sh
source "$(dirname "${BASH_SOURCE[0]}")/mariadb.sh"

DC_GALERA_NODES=3
DC_GALERA_PROVIDER=/usr/lib/galera/libgalera_smm.so

# Usage: dc_galera_ports_pick NAME...   picks a distinct free loopback port for each node's
# client, gcomm, IST and SST port and for every NAME given (e.g. DC_CLUSTER_HTTP_PORT), and
# writes them all to $RUN_DIR/ports.env. Kept for the cluster's lifetime, so a node restarted
# later finds its peers where they were.
dc_galera_ports_pick() {
    dc_require_vars RUN_DIR || return 1
    local -a names=() picked=()
    local n kind name port tries
    for ((n = 1; n <= DC_GALERA_NODES; n++)); do
        for kind in PORT GCOMM IST SST; do names+=("DC_GALERA_${kind}_$n"); done
    done
    names+=("$@")
    : >"$RUN_DIR/ports.env.tmp" || return 1
    for name in "${names[@]}"; do
        for ((tries = 0; tries < 50; tries++)); do
            port="$(_dc_galera_free_port)" || return 1
            [[ " ${picked[*]} " == *" $port "* ]] || break
        done
        picked+=("$port")
        printf '%s=%s\n' "$name" "$port" >>"$RUN_DIR/ports.env.tmp"
        printf -v "$name" '%s' "$port"
        export "${name?}"
    done
    mv -f "$RUN_DIR/ports.env.tmp" "$RUN_DIR/ports.env"
}

# A free loopback port, below the kernel's range for outgoing connections (32768-60999 on Linux):
# a port there may be some connection's local end, or in TIME_WAIT, which nothing answers on but
# Galera cannot bind (it sets no SO_REUSEADDR). A port with any TCP socket on it is skipped.
_dc_galera_free_port() {
    local port tries
    for ((tries = 0; tries < 200; tries++)); do
        port=$((20000 + RANDOM % 12000))
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
        if command -v ss >/dev/null 2>&1 && [[ -n "$(ss -Htan "( sport = :$port )" 2>/dev/null)" ]]; then
            continue
        fi
        echo "$port"
        return 0
    done
    dc_err "no free port found"
}

# Usage: dc_galera_ports_load   -> status 1 when the cluster's ports were never picked.
dc_galera_ports_load() {
    dc_require_vars RUN_DIR || return 1
    [[ -s "$RUN_DIR/ports.env" ]] || return 1
    local key value
    while IFS='=' read -r key value; do
        [[ "$key" =~ ^DC_[A-Z0-9_]+$ && "$value" =~ ^[0-9]+$ ]] || continue
        printf -v "$key" '%s' "$value"
        export "${key?}"
    done <"$RUN_DIR/ports.env"
}

# Points mariadb.sh at node N (call in a subshell, or accept that the variables stay set).
_dc_galera_node() {
    local n="$1"
    [[ "$n" =~ ^[1-9]$ ]] && (( n <= DC_GALERA_NODES )) || { dc_err "no node $n"; return 1; }
    local port="DC_GALERA_PORT_$n"
    dc_require_vars "$port" || return 1
    export DC_MARIADB_NAME="node$n"
    export DATACOVEY_DB_SOCKET="$RUN_DIR/node$n/mariadb.sock"
    export DATACOVEY_DB_PORT="${!port}"
    DC_MARIADB_EXTRA_CNF="$(dc_galera_cnf "$n")" || return 1
    export DC_MARIADB_EXTRA_CNF
}

# Usage: dc_galera_cnf N   -> the [mysqld] lines that make node N a Galera node. The README's
# "Cluster" section shows the same settings for three database hosts.
dc_galera_cnf() {
    local n="$1" i address="" gcomm ist sst
    for ((i = 1; i <= DC_GALERA_NODES; i++)); do
        gcomm="DC_GALERA_GCOMM_$i"
        address+="${address:+,}127.0.0.1:${!gcomm}"
    done
    gcomm="DC_GALERA_GCOMM_$n" ist="DC_GALERA_IST_$n" sst="DC_GALERA_SST_$n"
    local evs="${DC_GALERA_EVS_OPTIONS:-evs.keepalive_period=PT0.5S;evs.inactive_check_period=PT0.5S;evs.suspect_timeout=PT2S;evs.inactive_timeout=PT4S;evs.install_timeout=PT4S}"
    cat <<EOF

# Galera (scripts/lib/galera.sh, dc_galera_cnf): node $n of $DC_GALERA_NODES.
wsrep_on=ON
wsrep_provider=$DC_GALERA_PROVIDER
wsrep_cluster_name=datacovey
wsrep_cluster_address=gcomm://$address
wsrep_node_name=node$n
wsrep_node_address=127.0.0.1
# Every node on one address: the ports tell them apart. gcache keeps the last 64 MB of write sets,
# so a node that was down a while comes back by incremental state transfer (IST), not a full copy.
# Failure detection: until the cluster has evicted a dead node, no commit anywhere completes
# (every write set waits for the whole group), so a request in flight when a node dies waits for
# the eviction. Galera's defaults (suspect after 5 s of silence) made that ~7 s. The nodes here
# share one loopback, so they suspect a node after 2 s of silence (keepalives every 0.5 s) and
# evict it after 4 s at most: in-flight requests waited ~2.5 s. 1 s was tried and was too
# tight on 2 cores: a node busy with a joiner's state transfer was suspected and the cluster
# went non-primary for a second. Across a real network keep Galera's defaults or more margin
# (README, "Cluster"); DC_GALERA_EVS_OPTIONS overrides these.
wsrep_provider_options="base_port=${!gcomm};ist.recv_addr=127.0.0.1:${!ist};gcache.size=64M;gcache.recover=yes;$evs"
wsrep_sst_method=${DATACOVEY_CLUSTER_SST:-mariabackup}
wsrep_sst_receive_address=127.0.0.1:${!sst}
# The superuser over the donor's socket (unix_socket authentication; mariabackup needs it).
wsrep_sst_auth=$(id -un):
# Causal reads: a read waits until this node has applied every write set the cluster committed
# before it, so the next request of a user, answered by another node (a worker's, or the next
# one after a failover), sees that user's own write. The cost is one cluster round trip per read
# statement (a few hundred microseconds on a LAN), not a lock.
wsrep_sync_wait=1
# Galera replicates row images only, needs interleaved auto-increment locks (mode 2: the ids a
# multi-row insert takes are not one consecutive block; wsrep_auto_increment_control steps them
# by the cluster size), and replicates InnoDB only.
binlog_format=ROW
innodb_autoinc_lock_mode=2
default_storage_engine=InnoDB
# A table without a primary key cannot be certified row by row: refuse to create one.
innodb_force_primary_key=ON
# DDL replicates as a statement (total order isolation) that the other nodes' applier threads
# run with the server's global settings, not the session's of the node that ran it. The data
# accounts ALTER system-versioned tables under a session system_versioning_alter_history=KEEP
# (Configuration.dataSessionSetup); without the same global default the other nodes
# refuse that ALTER (error 4119), the next row event on the table no longer matches their
# columns, and the cluster votes the node that ran it out as inconsistent.
system_versioning_alter_history=KEEP
# Three servers on one machine: a smaller buffer pool each.
innodb_buffer_pool_size=128M
EOF
}

# Usage: dc_galera_running N
dc_galera_running() {
    ( _dc_galera_node "$1" && _dc_mariadb_paths && _dc_mariadb_pid >/dev/null )
}

# Usage: dc_galera_sql N [mariadb client args...]
dc_galera_sql() {
    local n="$1"
    shift
    ( _dc_galera_node "$n" && dc_mariadb_root "$@" )
}

# Usage: dc_galera_state N   -> "Synced 3" (nothing, status 1, when the node does not answer)
dc_galera_state() {
    local out
    out="$(dc_galera_sql "$1" --connect-timeout=2 -N -B -e \
        "SELECT MAX(IF(variable_name = 'WSREP_LOCAL_STATE_COMMENT', variable_value, NULL)),
                MAX(IF(variable_name = 'WSREP_CLUSTER_SIZE', variable_value, NULL))
           FROM information_schema.global_status
          WHERE variable_name IN ('WSREP_LOCAL_STATE_COMMENT', 'WSREP_CLUSTER_SIZE')" 2>/dev/null)" || return 1
    [[ -n "$out" ]] || return 1
    printf '%s\n' "${out//$'\t'/ }"
}

# Usage: dc_galera_wait_synced N TIMEOUT_SECONDS
dc_galera_wait_synced() {
    local n="$1" timeout="${2:-60}" state=""
    local deadline=$(( $(date +%s) + timeout ))
    while :; do
        state="$(dc_galera_state "$n")" || state=""
        [[ "$state" == Synced* ]] && return 0
        (( $(date +%s) < deadline )) || break
        sleep 0.2
    done
    dc_err "node $n is not Synced after ${timeout}s (state: ${state:-no answer})"
}

# Usage: dc_galera_start N [--new-cluster]
# Starts node N unless it runs, and waits until it is Synced. --new-cluster bootstraps a new
# cluster from this node's data (the first node, when no other node runs); without it the node
# joins the running ones: by IST when their gcache still holds what it missed, otherwise by a
# full state transfer (SST) that replaces its data directory. A node that never ran gets no
# mariadb-install-db: its data directory comes by SST.
dc_galera_start() {
    local n="$1" bootstrap="${2:-}"
    (
        _dc_galera_node "$n" || exit 1
        _dc_mariadb_paths || exit 1
        if _dc_mariadb_pid >/dev/null; then
            dc_log "node $n already running"
        else
            local position
            position="$(_dc_galera_recover_position)" || exit 1
            export DC_MARIADB_START_ARGS="${position:+--wsrep_start_position=$position}"
            if [[ "$bootstrap" == --new-cluster ]]; then
                DC_MARIADB_START_ARGS+=" --wsrep-new-cluster"
                _dc_galera_allow_bootstrap || exit 1
            else
                export DC_MARIADB_NO_INIT=1
            fi
            dc_log "starting Galera node $n (${bootstrap:-joining})"
            # A joiner answers only once its state transfer is done.
            DC_MARIADB_START_TIMEOUT=120 dc_mariadb_init && DC_MARIADB_START_TIMEOUT=120 dc_mariadb_start || exit 1
        fi
    ) || return 1
    dc_galera_wait_synced "$n" 120 || { dc_tail_log "$RUN_DIR/logs/node$n.err"; return 1; }
    dc_log "node $n Synced ($(dc_galera_state "$n" | cut -d' ' -f2) nodes in the cluster)"
}

# Usage: dc_galera_seed   (before any node has data)
# Creates a new cluster's data once: node 1 is initialized, bootstraps a cluster of its own (which
# gives the data a cluster id and a position) and stops; then its data directory is copied to every
# other node, as a DBA seeds a node from a backup. Started afterwards (node 1 with --new-cluster),
# the others find themselves at the cluster's position and join without a state transfer: seconds,
# where a state transfer by mariabackup takes 15-20 s a node even for an empty database (rsync SST
# is no option here: its rsync daemon writes as 'nobody' when mariadbd runs as root).
dc_galera_seed() {
    local n
    dc_galera_start 1 --new-cluster || return 1
    dc_galera_stop 1 || return 1
    grep -q '^safe_to_bootstrap: 1' "$RUN_DIR/node1/data/grastate.dat" ||
        { dc_err "node 1 did not stop cleanly (grastate.dat)"; return 1; }
    for ((n = 2; n <= DC_GALERA_NODES; n++)); do
        rm -rf "$RUN_DIR/node$n/data"
        mkdir -p "$RUN_DIR/node$n" || return 1
        cp -a "$RUN_DIR/node1/data" "$RUN_DIR/node$n/data" || return 1
        # Node 1's view of the group is its own; only node 1 may bootstrap.
        rm -f "$RUN_DIR/node$n/data/gvwstate.dat"
        sed -i 's/^safe_to_bootstrap: 1/safe_to_bootstrap: 0/' "$RUN_DIR/node$n/data/grastate.dat" || return 1
    done
    dc_log "seeded nodes 2..$DC_GALERA_NODES with node 1's data"
}

# A node that was killed (grastate.dat says seqno -1) knows its position only from InnoDB: ask
# mariadbd for it (--wsrep-recover, as mysqld_safe and the systemd unit do before a start) and
# start from it, so the node asks for an incremental transfer (IST) of what it missed instead
# of a full copy. Prints the position (uuid:seqno), or nothing when there is nothing to recover.
_dc_galera_recover_position() {
    local state="$DC_MARIADB_DATA/grastate.dat" log="$DC_MARIADB_DIR/wsrep-recover.log" position
    [[ -f "$state" && -d "$DC_MARIADB_DATA/mysql" ]] || return 0
    grep -q '^seqno: *-1' "$state" || return 0
    rm -f "$log"
    mariadbd "--defaults-file=$DC_MARIADB_CNF" --wsrep-recover "--log-error=$log" >/dev/null 2>&1 ||
        { dc_err "mariadbd --wsrep-recover failed"; dc_tail_log "$log"; return 1; }
    position="$(sed -n 's/.*WSREP: Recovered position: *\([0-9a-f-]*:-\{0,1\}[0-9]*\).*/\1/p' "$log" | tail -n 1)"
    [[ -n "$position" && "$position" != *:-1 ]] || return 0
    dc_log "node ${DC_MARIADB_NAME#node} recovered its position from InnoDB: $position" >&2
    printf '%s\n' "$position"
}

# Bootstrapping from a node whose data another node may have outrun is refused by Galera
# (grastate.dat safe_to_bootstrap: 0). The cluster's own `down` stops node 1 last, which leaves it
# safe; after a crash, node 1 is declared safe only when no other node holds a later seqno.
_dc_galera_allow_bootstrap() {
    local state="$DC_MARIADB_DATA/grastate.dat" mine other i
    [[ -f "$state" ]] || return 0
    grep -q '^safe_to_bootstrap: 1' "$state" && return 0
    mine="$(sed -n 's/^seqno: *//p' "$state")"
    for ((i = 1; i <= DC_GALERA_NODES; i++)); do
        other="$(sed -n 's/^seqno: *//p' "$RUN_DIR/node$i/data/grastate.dat" 2>/dev/null)"
        if [[ "$mine" == -1 || ( -n "$other" && "$other" -gt "$mine" ) ]]; then
            dc_err "node 1 may not hold the latest data (seqno $mine; node $i: ${other:-?}); bootstrap by hand or scripts/cluster reset"
            return 1
        fi
    done
    sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$state"
}

# Usage: dc_galera_stop N
dc_galera_stop() {
    ( _dc_galera_node "$1" && dc_mariadb_stop )
}

# Usage: dc_galera_hosts N...   -> the nodes' client addresses in that order, comma-separated.
dc_galera_hosts() {
    local n port out=""
    for n in "$@"; do
        port="DC_GALERA_PORT_$n"
        out+="${out:+,}127.0.0.1:${!port}"
    done
    printf '%s\n' "$out"
}
