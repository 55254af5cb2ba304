#!/usr/bin/env bash
# The package's files, exactly: every path (the migrations and static assets as they are in
# the repository), all owned by root, the binaries 0755 and the environment file 0640
# (its group becomes datacovey by a statoverride in postinst).
# Usage: layout.sh DEB
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../assert.sh"
repo="$(cd "$here/../../.." && pwd)"
deb="$1"

dc_test "the package's files"
expected="$(
    {
        printf '%s\n' ./usr/sbin/datacovey-fcgi ./usr/sbin/datacovey-worker ./usr/bin/datacovey-admin \
            ./etc/datacovey/datacovey.env ./etc/logrotate.d/datacovey ./etc/nginx/sites-available/datacovey \
            ./etc/nginx/datacovey/{access_log_format,allow_header,fastcgi_params,problem_pages,retry_after,security_headers,security_headers_tls}.conf \
            ./lib/systemd/system/datacovey-fcgi.{socket,service} ./lib/systemd/system/datacovey-worker.service \
            ./lib/systemd/system/datacovey-maintenance.{service,timer} \
            ./usr/share/doc/datacovey/copyright ./usr/share/doc/datacovey/README.production.md
        (cd "$repo/sql" && find . -name '*.sql' | sed 's#^\.#./usr/share/datacovey/sql#')
        (cd "$repo/nginx/static" && find . -type f | sed 's#^\.#./usr/share/datacovey/static#')
    } | sort
)"
contents="$(dpkg-deb --contents "$deb")"
files="$(awk '$1 !~ /^d/ { print $6 }' <<<"$contents" | sort)"
dc_assert_eq "$expected" "$files" "the files in the package"
owners="$(awk '{ print $2 }' <<<"$contents" | sort -u | tr '\n' ' ')"
dc_assert_eq "root/root " "$owners" "owner of every entry"
mode() { awk -v p="$1" '$6 == p { print $1 }' <<<"$contents"; }
for binary in ./usr/sbin/datacovey-fcgi ./usr/sbin/datacovey-worker ./usr/bin/datacovey-admin; do
    dc_assert_eq "-rwxr-xr-x" "$(mode "$binary")" "mode of $binary"
done
dc_assert_eq "-rw-r-----" "$(mode ./etc/datacovey/datacovey.env)" "mode of the environment file"
dc_assert_eq "-rw-r--r--" "$(mode ./etc/nginx/sites-available/datacovey)" "mode of the nginx site"
# The site is offered, not enabled: nothing in sites-enabled or conf.d.
[[ "$contents" == *sites-enabled* || "$contents" == */conf.d/* ]] && dc_fail "the package enables the nginx site"
dc_test_done
