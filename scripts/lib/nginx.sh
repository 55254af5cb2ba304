# shellcheck shell=bash source-path=SCRIPTDIR
# DataCovey — the local nginx, configured from nginx/datacovey.conf.template.
#
#   dc_nginx_render   render $RUN_DIR/nginx/nginx.conf and copy the includes
#   dc_nginx_start    render, test (nginx -t), start, wait for the port
#   dc_nginx_reload   render, test, signal a running nginx to reload
#   dc_nginx_stop     graceful stop (SIGQUIT) by pid file, wait
#
# Globals: RUN_DIR, DATACOVEY_PORT (default 8080). Optional: REPO_DIR (default:
# two levels above this file), DATACOVEY_FCGI_SOCKET (default $RUN_DIR/fcgi.sock),
# DATACOVEY_MAX_BODY_BYTES (default 1073741824; any nginx size such as 1m works),
# DATACOVEY_NGINX_RATE (default 2000r/s), DATACOVEY_NGINX_BURST (default 4000),
# DATACOVEY_STATIC_DIR (default $REPO_DIR/nginx/static), DATACOVEY_METRICS_PORT (default
# 9180: the metrics server on 127.0.0.1).
# Several responders (scripts/cluster): DATACOVEY_FCGI_SOCKETS (space-separated sockets, default
# DATACOVEY_FCGI_SOCKET) make the upstream; DATACOVEY_PINNED_PORTS (the Nth port answers from
# responder N only), DATACOVEY_METRICS_PORTS (the Nth port serves responder N's /metrics and worker
# N's /metrics/worker) and DATACOVEY_WORKER_METRICS_FILES (worker N's textfile, default
# $RUN_DIR/metrics/worker.prom) are optional.
# Files: $RUN_DIR/nginx/{nginx.conf,nginx.pid,*.conf,*_temp/},
# $RUN_DIR/logs/nginx-{error,access}.log, downloads from $RUN_DIR/data/exports.

[[ -n "${_DC_NGINX_SH:-}" ]] && return 0
_DC_NGINX_SH=1
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# shellcheck source=process.sh
source "$(dirname "${BASH_SOURCE[0]}")/process.sh"

# Files copied from nginx/ next to the rendered nginx.conf.
DC_NGINX_INCLUDES=(fastcgi_params.conf security_headers.conf problem_pages.conf access_log_format.conf retry_after.conf allow_header.conf)

_dc_nginx_paths() {
    dc_require_vars RUN_DIR || return 1
    dc_path_add_sbin
    DC_NGINX_DIR="$RUN_DIR/nginx"
    DC_NGINX_CONF="$DC_NGINX_DIR/nginx.conf"
    DC_NGINX_PID="$DC_NGINX_DIR/nginx.pid"
    DC_NGINX_ERROR_LOG="$RUN_DIR/logs/nginx-error.log"
    DC_NGINX_PORT="${DATACOVEY_PORT:-8080}"
}

# nginx with the run directory as prefix and config; "$@" are extra flags.
_dc_nginx() {
    nginx -p "$DC_NGINX_DIR" -c "$DC_NGINX_CONF" -e "$DC_NGINX_ERROR_LOG" "$@"
}

# Escapes a value for the replacement side of a sed s|||.
_dc_sed_value() {
    [[ "$1" != *$'\n'* ]] || { dc_err "value contains a newline: $1"; return 1; }
    printf '%s' "$1" | sed -e 's/[\\|&]/\\&/g'
}

# Usage: dc_nginx_render
# Renders nginx/datacovey.conf.template into $RUN_DIR/nginx/nginx.conf, copies the
# included files (fastcgi_params.conf, security_headers.conf, problem_pages.conf)
# next to it and creates the log and download directories. Placeholders:
# @RUN_DIR@ @PORT@ @MAX_BODY@ @STATIC_DIR@ @DOWNLOAD_DIR@ @USER@ @RATE@ @BURST@
# @METRICS_PORT@ @PINNED_LISTEN@ @METRICS_LISTEN@; the responders' upstreams go to
# upstreams.conf next to it. Fails if a placeholder is left over.
dc_nginx_render() {
    _dc_nginx_paths || return 1
    local repo="${REPO_DIR:-$(cd "$DC_LIB_DIR/../.." && pwd)}"
    local template="$repo/nginx/datacovey.conf.template" f
    [[ -f "$template" ]] || { dc_err "template not found: $template"; return 1; }
    local fcgi_socket="${DATACOVEY_FCGI_SOCKET:-$RUN_DIR/fcgi.sock}"
    local static_dir="${DATACOVEY_STATIC_DIR:-$repo/nginx/static}"
    local download_dir="${DATACOVEY_DATA_DIR:-$RUN_DIR/data}/exports"
    local max_body="${DATACOVEY_MAX_BODY_BYTES:-1073741824}"
    local rate="${DATACOVEY_NGINX_RATE:-2000r/s}" burst="${DATACOVEY_NGINX_BURST:-4000}"
    local metrics_port="${DATACOVEY_METRICS_PORT:-9180}"
    local user
    user="$(id -un) $(id -gn)" || return 1

    [[ "$DC_NGINX_PORT" =~ ^[0-9]+$ ]] || { dc_err "DATACOVEY_PORT is not a port: $DC_NGINX_PORT"; return 1; }
    [[ "$metrics_port" =~ ^[0-9]+$ ]] || { dc_err "DATACOVEY_METRICS_PORT is not a port: $metrics_port"; return 1; }
    [[ "$metrics_port" != "$DC_NGINX_PORT" ]] || { dc_err "DATACOVEY_METRICS_PORT must differ from DATACOVEY_PORT"; return 1; }
    [[ "$max_body" =~ ^[0-9]+[kKmMgG]?$ ]] || { dc_err "DATACOVEY_MAX_BODY_BYTES is not a size: $max_body"; return 1; }
    [[ "$rate" =~ ^[0-9]+r/[sm]$ ]] || { dc_err "DATACOVEY_NGINX_RATE is not a rate (e.g. 2000r/s): $rate"; return 1; }
    [[ "$burst" =~ ^[0-9]+$ ]] || { dc_err "DATACOVEY_NGINX_BURST is not a number: $burst"; return 1; }
    [[ -d "$static_dir" ]] || { dc_err "static directory not found: $static_dir"; return 1; }
    dc_check_socket_path "$fcgi_socket" || return 1

    mkdir -p "$DC_NGINX_DIR" "$RUN_DIR/logs" "$RUN_DIR/metrics" "$download_dir" || return 1
    for f in "${DC_NGINX_INCLUDES[@]}"; do
        cp -f "$repo/nginx/$f" "$DC_NGINX_DIR/$f" || return 1
    done

    _dc_nginx_write_upstreams "$fcgi_socket" || return 1

    local -a expr=()
    local pair key value
    for pair in \
        "RUN_DIR=$RUN_DIR" "PORT=$DC_NGINX_PORT" \
        "MAX_BODY=$max_body" "STATIC_DIR=$static_dir" "DOWNLOAD_DIR=$download_dir" \
        "USER=$user" "RATE=$rate" "BURST=$burst" "METRICS_PORT=$metrics_port" \
        "PINNED_LISTEN=$(_dc_nginx_listens "${DATACOVEY_PINNED_PORTS:-}" "$DC_NGINX_PORT")" \
        "METRICS_LISTEN=$(_dc_nginx_listens "${DATACOVEY_METRICS_PORTS:-}" "$metrics_port")"; do
        key="${pair%%=*}"
        value="$(_dc_sed_value "${pair#*=}")" || return 1
        expr+=(-e "s|@$key@|$value|g")
    done
    # The user directive only means something to a master running as root;
    # elsewhere nginx would warn that it ignores it.
    if [[ "$(id -u)" != 0 ]]; then
        expr+=(-e 's|^user .*|# user: not running as root, workers keep the invoking user|')
    fi
    # Drop the temp path of a module this nginx was built without.
    local built
    built="$(nginx -V 2>&1)" || true
    [[ "$built" == *--without-http_uwsgi_module* ]] && expr+=(-e '/# dc:if-uwsgi$/d')
    [[ "$built" == *--without-http_scgi_module* ]] && expr+=(-e '/# dc:if-scgi$/d')

    sed "${expr[@]}" "$template" >"$DC_NGINX_CONF.tmp" || return 1
    if grep -n '@[A-Z_]\+@' "$DC_NGINX_CONF.tmp" >&2; then
        dc_err "unreplaced placeholder in $template (lines above)"
        return 1
    fi
    mv -f "$DC_NGINX_CONF.tmp" "$DC_NGINX_CONF"
}

# Writes $DC_NGINX_DIR/upstreams.conf: the upstream of every responder, one upstream per
# responder, and the maps from a listening port to its upstream and to its worker's metrics file.
_dc_nginx_write_upstreams() {
    local default_socket="$1"
    local -a sockets pinned metrics workers
    read -r -a sockets <<<"${DATACOVEY_FCGI_SOCKETS:-$default_socket}"
    read -r -a pinned <<<"${DATACOVEY_PINNED_PORTS:-}"
    read -r -a metrics <<<"${DATACOVEY_METRICS_PORTS:-}"
    read -r -a workers <<<"${DATACOVEY_WORKER_METRICS_FILES:-$RUN_DIR/metrics/worker.prom}"
    (( ${#sockets[@]} > 0 )) || { dc_err "no responder socket"; return 1; }
    (( ${#pinned[@]} <= ${#sockets[@]} && ${#metrics[@]} <= ${#sockets[@]} )) ||
        { dc_err "more pinned or metrics ports than responders"; return 1; }
    local i port socket
    for socket in "${sockets[@]}"; do
        dc_check_socket_path "$socket" || return 1
    done
    for port in "${pinned[@]}" "${metrics[@]}"; do
        [[ "$port" =~ ^[0-9]+$ ]] || { dc_err "not a port: $port"; return 1; }
    done
    {
        echo "# Generated by scripts/lib/nginx.sh (dc_nginx_render); rewritten on every render."
        echo "upstream datacovey_fcgi {"
        for socket in "${sockets[@]}"; do echo "    server unix:$socket;"; done
        echo "}"
        for i in "${!sockets[@]}"; do
            echo "upstream datacovey_fcgi_$((i + 1)) {"
            echo "    server unix:${sockets[i]};"
            echo "}"
        done
        # Keyed on "PORT URI"; the first matching pattern wins.
        echo "map \"\$server_port \$uri\" \$datacovey_fcgi {"
        echo "    default datacovey_fcgi;"
        for i in "${!pinned[@]}"; do echo "    \"~^${pinned[i]} \" datacovey_fcgi_$((i + 1));"; done
        for i in "${!metrics[@]}"; do echo "    \"~^${metrics[i]} \" datacovey_fcgi_$((i + 1));"; done
        # The development sign-in provider keeps the codes it issues in its responder's memory,
        # and the responder that takes the browser back exchanges the code through this nginx:
        # both requests must reach the same responder.
        echo "    \"~^[0-9]+ /auth/dev/\" datacovey_fcgi_1;"
        echo "}"
        echo "map \$server_port \$datacovey_worker_metrics {"
        echo "    default ${workers[0]};"
        for i in "${!metrics[@]}"; do
            (( i < ${#workers[@]} )) && echo "    ${metrics[i]} ${workers[i]};"
        done
        echo "}"
    } >"$DC_NGINX_DIR/upstreams.conf.tmp" || return 1
    mv -f "$DC_NGINX_DIR/upstreams.conf.tmp" "$DC_NGINX_DIR/upstreams.conf"
}

# Prints "listen 127.0.0.1:P;" for each port of the list in $1 but $2 (already listened on).
_dc_nginx_listens() {
    local port out=""
    for port in $1; do
        [[ "$port" == "$2" ]] || out+="listen 127.0.0.1:$port; "
    done
    printf '%s' "$out"
}

# Prints the master's pid when nginx.pid names a live nginx.
_dc_nginx_pid() {
    dc_read_pidfile "$DC_NGINX_PID" nginx
}

# Usage: dc_nginx_start
# Renders the configuration, checks it with `nginx -t`, starts nginx (it
# daemonizes; pid in $RUN_DIR/nginx/nginx.pid) and waits up to 10 s until
# http://127.0.0.1:$DATACOVEY_PORT/favicon.ico answers 204. Already running:
# does nothing (use dc_nginx_reload to apply a changed configuration).
dc_nginx_start() {
    _dc_nginx_paths || return 1
    local pid
    if pid="$(_dc_nginx_pid)"; then
        dc_log "nginx already running (pid $pid, port $DC_NGINX_PORT)"
        return 0
    fi
    command -v nginx >/dev/null 2>&1 || { dc_err "nginx not found (dc_install_deps)"; return 1; }
    dc_nginx_render || return 1
    dc_nginx_test || return 1
    dc_log "starting nginx on 127.0.0.1:$DC_NGINX_PORT"
    if ! _dc_nginx 2>>"$DC_NGINX_ERROR_LOG"; then
        dc_err "nginx failed to start"
        dc_tail_log "$DC_NGINX_ERROR_LOG"
        return 1
    fi
    if ! dc_wait_http "http://127.0.0.1:$DC_NGINX_PORT/favicon.ico" 204 10; then
        dc_tail_log "$DC_NGINX_ERROR_LOG"
        return 1
    fi
    pid="$(_dc_nginx_pid)" || pid="?"
    dc_log "nginx is up (pid $pid, http://127.0.0.1:$DC_NGINX_PORT/)"
}

# Usage: dc_nginx_test   (nginx -t on the rendered configuration)
dc_nginx_test() {
    _dc_nginx_paths || return 1
    local out
    if ! out="$(_dc_nginx -t -q 2>&1)"; then
        dc_err "nginx configuration test failed for $DC_NGINX_CONF"
        printf '%s\n' "$out" | sed 's/^/    /' >&2
        return 1
    fi
}

# Usage: dc_nginx_reload   (re-render, test, SIGHUP the running master)
dc_nginx_reload() {
    _dc_nginx_paths || return 1
    local pid
    pid="$(_dc_nginx_pid)" || { dc_err "nginx is not running"; return 1; }
    dc_nginx_render && dc_nginx_test || return 1
    kill -HUP "$pid" && dc_log "nginx reloading (pid $pid)"
}

# Usage: dc_nginx_stop [TIMEOUT_SECONDS]   (default 30)
# SIGQUIT (graceful: finish the requests in flight) to the master in nginx.pid,
# waits up to TIMEOUT seconds, then SIGTERM (fast shutdown) and 5 s more.
dc_nginx_stop() {
    _dc_nginx_paths || return 1
    local timeout="${1:-30}" pid
    if ! pid="$(_dc_nginx_pid)"; then
        dc_log "nginx is not running"
        rm -f "$DC_NGINX_PID"
        return 0
    fi
    dc_log "stopping nginx (pid $pid)"
    kill -QUIT "$pid" 2>/dev/null || true
    if ! dc_wait_pid_exit "$pid" "$timeout"; then
        dc_log "nginx still running after ${timeout}s; SIGTERM"
        kill -TERM "$pid" 2>/dev/null || true
        dc_wait_pid_exit "$pid" 5 || { dc_err "nginx (pid $pid) did not exit"; return 1; }
    fi
    dc_log "nginx stopped"
}
