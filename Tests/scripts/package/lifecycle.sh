#!/usr/bin/env bash
# dpkg installs, upgrades, removes and purges the package for real, maintainer scripts
# included, in a throwaway root. The maintainer scripts need a whole system (a shell,
# adduser, dpkg-statoverride, a dpkg database with the dependencies installed); a bare
# directory has none, and `dpkg -x` runs no script at all. So the root is an overlay of this
# host's / with its upper layer on a tmpfs: every write (a user in /etc/passwd, directories,
# the dpkg database) lands in the tmpfs and vanishes with this mount namespace. dpkg runs
# chrooted there, not as `dpkg --root=DIR`: with --root only the maintainer scripts are
# chrooted, while dpkg itself resolves the statoverride's group (datacovey, made by
# postinst inside DIR) through the host's /etc/group, and aborts on the upgrade ("unknown
# system group 'datacovey' in statoverride file"). /opt is an empty tmpfs in the root (no
# Swift toolchain), /run too (no /run/systemd/system: the scripts leave init alone, as in
# any chroot).
# Run as root, in a mount namespace of its own: unshare -m bash lifecycle.sh DEB
# Needs the test stack's environment (DATACOVEY_DB_SOCKET, the passwords, DATACOVEY_DB_SUPERUSER).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../assert.sh"
repo="$(cd "$here/../../.." && pwd)"
deb="$1"
: "${DATACOVEY_DB_SOCKET:?the test stack's MariaDB socket}" "${DATACOVEY_DB_SUPERUSER:?the stack's MariaDB superuser}"

base="$(mktemp -d /tmp/dc-pkgroot.XXXXXX)"
fcgi_pid=""
# SIGTERM, and SIGKILL if it has not ended within 5 s: the test never leaves a responder behind.
stop_fcgi() {
    kill "$fcgi_pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$fcgi_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$fcgi_pid" 2>/dev/null
    wait "$fcgi_pid" 2>/dev/null
}
cleanup() {
    [[ -n "$fcgi_pid" ]] && stop_fcgi
    umount -R -l "$base" 2>/dev/null
    rmdir "$base"
}
trap cleanup EXIT
mount -t tmpfs dc-pkgroot "$base"
mkdir "$base/upper" "$base/work" "$base/root"
mount -t overlay dc-pkgroot -o "lowerdir=/,upperdir=$base/upper,workdir=$base/work" "$base/root"
sysroot="$base/root"
mount --rbind /dev "$sysroot/dev"
mount -t proc proc "$sysroot/proc"
mount -t tmpfs none "$sysroot/opt"
mount -t tmpfs none "$sysroot/run"
# The test stack's MariaDB socket, at the same path inside.
db_dir="$(dirname "$DATACOVEY_DB_SOCKET")"
mkdir -p "$sysroot$db_dir" && mount --bind "$db_dir" "$sysroot$db_dir"

# Never a conffile prompt: stdin is not a terminal, and the operator's file stays.
dpkg_root() { chroot "$sysroot" dpkg --force-confdef --force-confold "$@" </dev/null 2>&1; }
status() { dpkg-query --admindir="$sysroot/var/lib/dpkg" -W -f='${Status} ${Version}' datacovey 2>/dev/null; }
# A command in the root, with the environment file read as systemd's EnvironmentFile= would.
in_root() {
    chroot "$sysroot" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DATACOVEY_HISTORY_RETENTION_DAYS=365 \
        sh -c "set -a; . /etc/datacovey/datacovey.env; set +a; $1"
}
version="$(dpkg-deb -f "$deb" Version)"
cp "$deb" "$sysroot/tmp/datacovey.deb"

dc_test "a fresh install: the user, its directories, and what the operator must fill in"
output="$(dpkg_root -i /tmp/datacovey.deb)"
dc_assert_eq 0 "$?" "dpkg -i (output: $output)"
dc_assert_eq "install ok installed $version" "$(status)" "the package's state"
dc_assert_contains "$output" "datacovey: /etc/datacovey/datacovey.env still has placeholder passwords or secrets:" \
    "postinst names the unfinished environment file"
placeholder="$(grep -n '^DATACOVEY_DB_PASSWORD=' "$repo/nginx/production/datacovey.env.example")"
dc_assert_contains "$output" "$placeholder" "postinst names each placeholder line"
[[ "$output" == *"applying migrations"* ]] && dc_fail "postinst migrated with placeholder passwords"
dc_assert_eq "/var/lib/datacovey:/usr/sbin/nologin" "$(chroot "$sysroot" getent passwd datacovey | cut -d: -f6,7)" \
    "the system user's home and shell"
modes="$(chroot "$sysroot" stat -c '%n %U:%G %a' /var/lib/datacovey /var/lib/datacovey/data \
    /var/lib/datacovey/data/exports /var/log/datacovey /etc/datacovey/datacovey.env)"
dc_assert_eq "/var/lib/datacovey datacovey:www-data 750
/var/lib/datacovey/data datacovey:www-data 750
/var/lib/datacovey/data/exports datacovey:www-data 2750
/var/log/datacovey root:adm 2750
/etc/datacovey/datacovey.env root:datacovey 640" "$modes" "owners and modes"

bash "$here/units.sh" "$sysroot" || dc_fail "the systemd units (units.sh)"

dc_test "an upgrade with the environment filled in applies the migrations"
cat >"$sysroot/etc/datacovey/datacovey.env" <<ENV
DATACOVEY_RUN_DIR=/var/lib/datacovey
DATACOVEY_PUBLIC_URL=http://127.0.0.1:8080
DATACOVEY_DB_SOCKET=$DATACOVEY_DB_SOCKET
DATACOVEY_FCGI_THREADS=2
DATACOVEY_DB_PASSWORD=$DATACOVEY_DB_PASSWORD
DATACOVEY_DATA_DB_PASSWORD=$DATACOVEY_DATA_DB_PASSWORD
DATACOVEY_OPS_DB_PASSWORD=$DATACOVEY_OPS_DB_PASSWORD
DATACOVEY_WORKER_DB_PASSWORD=$DATACOVEY_WORKER_DB_PASSWORD
DATACOVEY_QUERY_ACCOUNT_SECRET=$DATACOVEY_QUERY_ACCOUNT_SECRET
DATACOVEY_SESSION_SECRET=$DATACOVEY_SESSION_SECRET
ENV
# The stack's superuser, through the root-only file postinst reads for the migrations.
install -m 0600 /dev/null "$sysroot/etc/datacovey/migrate.env"
echo "DATACOVEY_MIGRATE_DB_USER=$DATACOVEY_DB_SUPERUSER" >"$sysroot/etc/datacovey/migrate.env"
# The newer package: the same files under a higher version, as the next build would be.
dpkg-deb -R "$deb" "$base/newer"
sed -i "s/^Version: .*/Version: $version.1/" "$base/newer/DEBIAN/control"
dpkg-deb --root-owner-group -Zzstd -z1 -b "$base/newer" "$sysroot/tmp/datacovey-newer.deb" >/dev/null
rm -rf "$base/newer"
output="$(dpkg_root -i /tmp/datacovey-newer.deb)"
dc_assert_eq 0 "$?" "dpkg -i of the newer package (output: $output)"
dc_assert_eq "install ok installed $version.1" "$(status)" "the package's state after the upgrade"
migrations="$(find "$repo/sql" -name '*.sql' | wc -l)"
dc_assert_contains "$output" "datacovey: applying migrations (/usr/share/datacovey/sql)" "postinst migrates"
dc_assert_contains "$output" "0 applied, $migrations already applied" "the migrations' report"
dc_assert_contains "$(cat "$sysroot/etc/datacovey/datacovey.env")" "DATACOVEY_DB_PASSWORD=$DATACOVEY_DB_PASSWORD" \
    "the upgrade kept the operator's environment file"

dc_test "the packaged responder answers FastCGI, without /opt, against the stack's MariaDB"
# As root, not datacovey: the test stack's socket directory is private to the user running it.
# chroot itself in the background (not the in_root function, whose subshell would be the pid
# and leave the responder running when killed): chroot, env and sh exec down to the responder.
chroot "$sysroot" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    sh -c 'set -a; . /etc/datacovey/datacovey.env; set +a; exec /usr/sbin/datacovey-fcgi --listen /var/lib/datacovey/test-fcgi.sock' \
    >"$base/fcgi.log" 2>&1 &
fcgi_pid=$!
socket="$sysroot/var/lib/datacovey/test-fcgi.sock"
for _ in $(seq 1 300); do [[ -S "$socket" ]] && break; kill -0 "$fcgi_pid" 2>/dev/null || break; sleep 0.1; done
[[ -S "$socket" ]] || dc_fail "the responder did not listen: $(cat "$base/fcgi.log")"
fcgi_get() {
    env -i REQUEST_METHOD=GET REQUEST_URI="$1" DOCUMENT_URI="$1" QUERY_STRING= SERVER_PROTOCOL=HTTP/1.1 \
        REQUEST_SCHEME=http REMOTE_ADDR=127.0.0.1 SERVER_NAME=127.0.0.1 SERVER_PORT=8080 \
        cgi-fcgi -bind -connect "$socket" | tr -d '\r'
}
answer="$(fcgi_get /healthz)"
dc_assert_eq "Status: 200 OK" "$(head -n 1 <<<"$answer")" "GET /healthz: status"
dc_assert_eq '{"status":"ok"}' "$(tail -n 1 <<<"$answer")" "GET /healthz: body"
answer="$(fcgi_get /readyz)"
dc_assert_eq "Status: 200 OK" "$(head -n 1 <<<"$answer")" "GET /readyz (the database answers): status"
# The test stack's worker is alive and reports in (0021).
dc_assert_eq '{"database_nodes":{"configured":1,"usable":1},"status":"ready","warnings":[],"workers":1}' "$(tail -n 1 <<<"$answer")" "GET /readyz: body"
stop_fcgi
fcgi_pid=""

dc_test "the maintenance unit's commands run"
while IFS= read -r command; do
    output="$(in_root "${command#ExecStart=}" 2>&1)"
    dc_assert_eq 0 "$?" "${command#ExecStart=} (output: $output)"
done < <(grep '^ExecStart=' "$sysroot/lib/systemd/system/datacovey-maintenance.service")

dc_test "removal keeps the data and the configuration"
output="$(dpkg_root -r datacovey)"
dc_assert_eq 0 "$?" "dpkg -r (output: $output)"
dc_assert_eq "deinstall ok config-files $version.1" "$(status)" "the package's state after removal"
[[ -e "$sysroot/usr/sbin/datacovey-fcgi" ]] && dc_fail "the responder is still installed"
[[ -d "$sysroot/var/lib/datacovey/data/exports" ]] || dc_fail "removal took /var/lib/datacovey"
[[ -f "$sysroot/etc/datacovey/datacovey.env" ]] || dc_fail "removal took the environment file"

dc_test "purge removes the data, the logs and the configuration, and keeps the user"
output="$(dpkg_root -P datacovey)"
dc_assert_eq 0 "$?" "dpkg -P (output: $output)"
dc_assert_eq "" "$(status)" "the package's state after purge"
for path in /var/lib/datacovey /var/log/datacovey /etc/datacovey /etc/nginx/sites-available/datacovey; do
    [[ -e "$sysroot$path" ]] && dc_fail "purge left $path"
done
dc_assert_eq "" "$(chroot "$sysroot" dpkg-statoverride --list /etc/datacovey/datacovey.env)" "the statoverride after purge"
dc_assert_eq "datacovey" "$(chroot "$sysroot" getent passwd datacovey | cut -d: -f1)" "the system user stays"
dc_test_done
