#!/usr/bin/env bash
# The package's control data: name, architecture, the Debian packages its shared
# libraries come from (libfcgi.so.0 is libfcgi0ldbl's, libmariadb.so.3 libmariadb3's,
# found with `dpkg -S`), adduser for postinst, the conffiles and maintainer scripts.
# Usage: control.sh DEB
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../assert.sh"
repo="$(cd "$here/../../.." && pwd)"
deb="$1"

dc_test "the package's control data"
dc_assert_eq "datacovey amd64 web optional" "$(dpkg-deb -f "$deb" Package Architecture Section Priority | cut -d' ' -f2 | tr '\n' ' ' | sed 's/ $//')" \
    "Package, Architecture, Section, Priority"
# The package names only: the version floors are dpkg-shlibdeps' (the symbols used).
depends="$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed -E 's/^ *([^ ]+).*/\1/' | sort | tr '\n' ' ')"
dc_assert_eq "adduser libc6 libcurl4 libfcgi0ldbl libgcc-s1 libmariadb3 libstdc++6 " "$depends" "Depends (package names)"
dc_assert_contains "$(dpkg-deb -f "$deb" Depends)" "libfcgi0ldbl (>= " "a versioned libfcgi dependency"
dc_assert_eq "$(cat "$repo/packaging/deb/conffiles")" "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)" "conffiles"
scripts="$(dpkg-deb --ctrl-tarfile "$deb" | tar -tv | awk '{ print $1, $2, $6 }' | grep -E 'post|pre' | sort | tr '\n' ' ')"
dc_assert_eq "-rwxr-xr-x root/root ./postinst -rwxr-xr-x root/root ./postrm -rwxr-xr-x root/root ./prerm " "$scripts" \
    "the maintainer scripts"
info="$(dpkg-deb --info "$deb")"
dc_assert_contains "$info" "Installed-Size: " "dpkg-deb --info lists Installed-Size"
for script in postinst prerm postrm; do
    sh -n "$repo/packaging/deb/$script" || dc_fail "$script is not valid sh"
done
dc_test_done
