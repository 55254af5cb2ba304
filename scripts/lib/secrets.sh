# shellcheck shell=bash source-path=SCRIPTDIR
# DataCovey — local secrets and the configuration environment.
#
#   dc_secrets_ensure   create $RUN_DIR/secrets.env (0600) once; add missing keys
#   dc_env_load         export the whole configuration (CONTRACT.md) with defaults
#   dc_env_print        print the configuration, secrets masked
#
# Globals: REPO_DIR (default: two levels above this file), RUN_DIR (default:
# $DATACOVEY_RUN_DIR, else $REPO_DIR/run; made absolute).

[[ -n "${_DC_SECRETS_SH:-}" ]] && return 0
_DC_SECRETS_SH=1
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# The database account passwords the responder, the worker and the operators
# use (`datacovey-admin migrate` sets them on the accounts), the key from
# which the per-project query accounts' passwords are derived, and the key that
# signs the browser's sign-in cookie.
DC_SECRET_NAMES=(DATACOVEY_DB_PASSWORD DATACOVEY_DATA_DB_PASSWORD DATACOVEY_OPS_DB_PASSWORD
    DATACOVEY_WORKER_DB_PASSWORD DATACOVEY_QUERY_ACCOUNT_SECRET DATACOVEY_SESSION_SECRET)

# Usage: dc_random_hex   -> 32 hex characters (128 bits) from the kernel CSPRNG.
dc_random_hex() {
    local hex
    if command -v openssl >/dev/null 2>&1; then
        hex="$(openssl rand -hex 16)" || hex=""
    fi
    if [[ ${#hex} -ne 32 ]]; then
        hex="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" || return 1
    fi
    [[ "$hex" =~ ^[0-9a-f]{32}$ ]] || { dc_err "could not read 16 random bytes"; return 1; }
    printf '%s\n' "$hex"
}

# Usage: dc_secrets_ensure
# Creates $RUN_DIR/secrets.env (mode 0600, KEY=hex lines, usable both by `source`
# and by a systemd EnvironmentFile) on first use; later calls keep the existing
# values and only append a key that is missing. Needs: RUN_DIR.
dc_secrets_ensure() {
    dc_require_vars RUN_DIR || return 1
    local file="$RUN_DIR/secrets.env" name value
    mkdir -p "$RUN_DIR" || return 1
    if [[ ! -e "$file" ]]; then
        ( umask 077 && : >"$file" ) || return 1
        dc_log "creating $file"
    fi
    chmod 0600 "$file" || return 1
    for name in "${DC_SECRET_NAMES[@]}"; do
        grep -q "^$name=" "$file" && continue
        value="$(dc_random_hex)" || return 1
        printf '%s=%s\n' "$name" "$value" >>"$file" || return 1
    done
}

# Usage: dc_env_load
# Exports the configuration the binaries read (CONTRACT.md), filling defaults, and
# the secrets from $RUN_DIR/secrets.env (created if absent). A variable already
# set in the environment wins over secrets.env and over the defaults.
# Sets and exports: REPO_DIR RUN_DIR DATACOVEY_RUN_DIR DATACOVEY_DB_SOCKET
#   DATACOVEY_DB_PORT DATACOVEY_FCGI_SOCKET DATACOVEY_FCGI_THREADS DATACOVEY_PORT
#   DATACOVEY_MAX_BODY_BYTES DATACOVEY_DB_SUPERUSER DATACOVEY_NGINX_RATE
#   DATACOVEY_NGINX_BURST DATACOVEY_METRICS_PORT DATACOVEY_STATIC_DIR and the four passwords.
#   DATACOVEY_DB_HOST is exported only when set (its presence selects TCP).
dc_env_load() {
    dc_path_add_sbin

    : "${REPO_DIR:=$(cd "$DC_LIB_DIR/../.." && pwd)}"
    : "${RUN_DIR:=${DATACOVEY_RUN_DIR:-$REPO_DIR/run}}"
    mkdir -p "$RUN_DIR" || return 1
    RUN_DIR="$(cd "$RUN_DIR" && pwd)" || return 1
    export REPO_DIR RUN_DIR
    export DATACOVEY_RUN_DIR="$RUN_DIR"

    export DATACOVEY_DB_SOCKET="${DATACOVEY_DB_SOCKET:-$RUN_DIR/mariadb/mariadb.sock}"
    export DATACOVEY_DB_PORT="${DATACOVEY_DB_PORT:-3307}"
    if [[ -n "${DATACOVEY_DB_HOST:-}" ]]; then export DATACOVEY_DB_HOST; else unset DATACOVEY_DB_HOST; fi
    export DATACOVEY_FCGI_SOCKET="${DATACOVEY_FCGI_SOCKET:-$RUN_DIR/fcgi.sock}"
    export DATACOVEY_FCGI_THREADS="${DATACOVEY_FCGI_THREADS:-8}"
    export DATACOVEY_PORT="${DATACOVEY_PORT:-8080}"
    # The origin browsers use: sign-in redirects come back to it.
    export DATACOVEY_PUBLIC_URL="${DATACOVEY_PUBLIC_URL:-http://127.0.0.1:$DATACOVEY_PORT}"
    export DATACOVEY_MAX_BODY_BYTES="${DATACOVEY_MAX_BODY_BYTES:-1073741824}"

    # Local-stack knobs (not read by the binaries).
    # The MariaDB account that unix_socket authentication maps the invoking OS
    # user to: mariadb-install-db --auth-root-socket-user creates it, and it is
    # root only when the scripts run as root.
    export DATACOVEY_DB_SUPERUSER="${DATACOVEY_DB_SUPERUSER:-$(id -un)}"
    export DATACOVEY_NGINX_RATE="${DATACOVEY_NGINX_RATE:-2000r/s}"
    export DATACOVEY_NGINX_BURST="${DATACOVEY_NGINX_BURST:-4000}"
    # nginx's metrics server on 127.0.0.1 (/metrics, /metrics/worker).
    export DATACOVEY_METRICS_PORT="${DATACOVEY_METRICS_PORT:-9180}"
    export DATACOVEY_STATIC_DIR="${DATACOVEY_STATIC_DIR:-$REPO_DIR/nginx/static}"

    dc_check_socket_path "$DATACOVEY_DB_SOCKET" || return 1
    dc_check_socket_path "$DATACOVEY_FCGI_SOCKET" || return 1

    dc_secrets_ensure || return 1
    local key value
    # Parsed, not sourced: only KEY=hex lines are accepted.
    while IFS='=' read -r key value; do
        [[ "$key" =~ ^DATACOVEY_[A-Z_]+$ && "$value" =~ ^[A-Za-z0-9]+$ ]] || continue
        [[ -n "${!key:-}" ]] || export "$key=$value"
    done <"$RUN_DIR/secrets.env"
}

# Usage: dc_env_print   (for debugging; passwords are masked)
dc_env_print() {
    local name
    for name in REPO_DIR RUN_DIR $(compgen -v DATACOVEY_ | sort); do
        case "$name" in
            *PASSWORD*) printf '%s=%s\n' "$name" "${!name:+********}" ;;
            *) printf '%s=%s\n' "$name" "${!name:-}" ;;
        esac
    done
}
