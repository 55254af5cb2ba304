# shellcheck shell=bash source-path=SCRIPTDIR
# DataCovey — system packages for the local stack (Debian/Ubuntu).
#
#   dc_missing_deps    print what is missing, one item a line (status 0 either way)
#   dc_install_deps    install the packages, only when something is missing
#
# With DC_DEPS_BROWSER=1 (scripts/test) the browser tests' packages count too:
# Debian's chromium and chromium-driver, and Selenium, PyJWT and cryptography
# for the system python3 (the tests run /usr/bin/python3, whatever else is on PATH).
#
# Installing mariadb-server and nginx must not leave the distro's services
# running on ports 80/3306: a temporary /usr/sbin/policy-rc.d (exit 101, the
# Debian mechanism that invoke-rc.d and deb-systemd-invoke honour) stops the
# package scripts from starting them. Were a system nginx or mariadb already
# running, it would not clash either: our nginx listens only on
# 127.0.0.1:$DATACOVEY_PORT, our mariadbd on its own socket under $RUN_DIR and
# 127.0.0.1:$DATACOVEY_DB_PORT.

[[ -n "${_DC_DEPS_SH:-}" ]] && return 0
_DC_DEPS_SH=1
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# dpkg-shlibdeps (dpkg-dev): scripts/package derives the .deb's Depends with it.
# socat: the stream of a Galera state transfer by mariabackup (scripts/cluster).
DC_DEPS_COMMANDS=(mariadbd mariadb mariadb-admin mariadb-install-db mariadb-backup nginx curl pkg-config cgi-fcgi
                  dpkg-shlibdeps socat)
# The Galera provider scripts/cluster loads into each node (Debian's galera-4; mariadb-server
# depends on it, so it is normally there already).
DC_DEPS_GALERA_PROVIDER=/usr/lib/galera/libgalera_smm.so
# Header packages: fcgiapp.h and mysql.h; libcurl.so for the static link of Foundation's
# URLSession (scripts/package: --static-swift-stdlib links FoundationNetworking, which needs it).
DC_DEPS_DEV_PACKAGES=(libfcgi-dev libmariadb-dev libcurl4-openssl-dev)
# mariadb-backup: `datacovey-admin backup` and `restore` (physical backups; README, Back up and restore).
DC_DEPS_APT_PACKAGES=(mariadb-server mariadb-client mariadb-backup galera-4 socat libmariadb-dev libfcgi-dev
                      libcurl4-openssl-dev libfcgi-bin nginx-light curl pkg-config ca-certificates openssl procps dpkg-dev)
# (and systemd, whose systemd-analyze checks the package's units in Tests/scripts/test_package.sh)
DC_DEPS_BROWSER_PACKAGES=(chromium chromium-driver fonts-dejavu-core python3 python3-selenium python3-jwt
                          python3-cryptography systemd)

# Usage: dc_missing_deps   -> prints "command NAME" / "package NAME" lines.
dc_missing_deps() {
    dc_path_add_sbin
    local c p status
    for c in "${DC_DEPS_COMMANDS[@]}"; do
        command -v "$c" >/dev/null 2>&1 || printf 'command %s\n' "$c"
    done
    if [[ "${DC_DEPS_BROWSER:-0}" == 1 ]]; then
        for c in chromium chromedriver systemd-analyze; do
            command -v "$c" >/dev/null 2>&1 || printf 'command %s\n' "$c"
        done
        /usr/bin/python3 -c 'import selenium, jwt, cryptography' >/dev/null 2>&1 ||
            printf 'python modules selenium, jwt, cryptography\n'
    fi
    [[ -e "$DC_DEPS_GALERA_PROVIDER" ]] || printf 'library %s (galera-4)\n' "$DC_DEPS_GALERA_PROVIDER"
    for p in "${DC_DEPS_DEV_PACKAGES[@]}"; do
        if command -v dpkg-query >/dev/null 2>&1; then
            status="$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" || status=""
            [[ "$status" == "install ok installed" ]] || printf 'package %s\n' "$p"
        fi
    done
    # Without dpkg (another distribution), look for the headers themselves.
    if ! command -v dpkg-query >/dev/null 2>&1; then
        [[ -e /usr/include/fcgiapp.h ]] || printf 'header fcgiapp.h\n'
        pkg-config --exists libmariadb 2>/dev/null || [[ -e /usr/include/mariadb/mysql.h ]] ||
            printf 'header mysql.h\n'
    fi
    return 0
}

# Usage: dc_install_deps
# Does nothing when every command and header package is present. Otherwise runs
# apt-get update and installs DC_DEPS_APT_PACKAGES (as root, or through sudo),
# with services kept from starting (see above).
dc_install_deps() {
    local missing
    missing="$(dc_missing_deps)"
    if [[ -z "$missing" ]]; then
        dc_log "system dependencies present"
        return 0
    fi
    dc_log "missing: $(printf '%s' "$missing" | tr '\n' ',' | sed 's/,/, /g')"
    command -v apt-get >/dev/null 2>&1 || { dc_err "no apt-get here; install the equivalents of: ${DC_DEPS_APT_PACKAGES[*]}"; return 1; }

    local -a sudo=()
    if [[ "$(id -u)" != 0 ]]; then
        command -v sudo >/dev/null 2>&1 || { dc_err "not root and no sudo: install ${DC_DEPS_APT_PACKAGES[*]}"; return 1; }
        sudo=(sudo)
    fi

    local policy=/usr/sbin/policy-rc.d added_policy=0 rc=0
    if [[ ! -e "$policy" ]]; then
        "${sudo[@]}" sh -c "printf '#!/bin/sh\n# temporary, from DataCovey dc_install_deps\nexit 101\n' >$policy && chmod 0755 $policy" &&
            added_policy=1
    fi

    local -a packages=("${DC_DEPS_APT_PACKAGES[@]}")
    [[ "${DC_DEPS_BROWSER:-0}" == 1 ]] && packages+=("${DC_DEPS_BROWSER_PACKAGES[@]}")
    dc_log "apt-get update"
    "${sudo[@]}" apt-get update -q || rc=$?
    if (( rc == 0 )); then
        dc_log "apt-get install ${packages[*]}"
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -q --no-install-recommends "${packages[@]}" || rc=$?
    fi

    if (( added_policy )); then
        "${sudo[@]}" rm -f "$policy" || dc_log "could not remove $policy; remove it by hand"
    fi
    (( rc == 0 )) || { dc_err "package installation failed (status $rc)"; return 1; }

    missing="$(dc_missing_deps)"
    [[ -z "$missing" ]] || { dc_err "still missing after install: $missing"; return 1; }
    dc_log "system dependencies installed (system services were not started;" \
           "on a machine with systemd they stay enabled for the next boot:" \
           "systemctl disable nginx mariadb if unwanted)"
}
