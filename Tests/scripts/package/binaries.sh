#!/usr/bin/env bash
# The packaged binaries run without the Swift toolchain: no RUNPATH or RPATH at all (the
# static build needs none; the old dynamic one named /opt/swift/usr/lib/swift/linux), only
# Debian's shared libraries as NEEDED (the Swift runtime, Foundation with its
# FoundationEssentials/FoundationInternationalization and ICU data are linked in; the
# static FoundationNetworking, behind URLSession, needs the system's libcurl), every one
# found by the loader, and each binary prints its help with /opt hidden behind an empty
# tmpfs in a mount namespace of its own.
# Usage: binaries.sh ROOT   (a dpkg -x of the package)
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../assert.sh"
root="$1"

for binary in usr/sbin/datacovey-fcgi usr/sbin/datacovey-worker usr/bin/datacovey-admin; do
    name="$(basename "$binary")"
    dc_test "$name runs without /opt/swift"
    dynamic="$(readelf -d "$root/$binary")"
    dc_assert_eq "" "$(grep -E 'RUNPATH|RPATH' <<<"$dynamic")" "$name: RUNPATH/RPATH entries"
    needed="$(sed -nE 's/.*\(NEEDED\).*\[(.*)\]/\1/p' <<<"$dynamic" | sort | tr '\n' ' ')"
    dc_assert_eq "ld-linux-x86-64.so.2 libc.so.6 libcurl.so.4 libfcgi.so.0 libgcc_s.so.1 libm.so.6 libmariadb.so.3 libstdc++.so.6 " "$needed" "$name: NEEDED libraries"
    libraries="$(ldd "$root/$binary" 2>&1)"
    [[ "$libraries" == *"not found"* ]] && dc_fail "$name: ldd finds a library missing: $libraries"
    [[ "$libraries" == */opt/* ]] && dc_fail "$name: ldd resolves a library from /opt: $libraries"
    help="$(unshare -m sh -c 'mount -t tmpfs none /opt && [ ! -e /opt/swift ] && exec "$0" --help' "$root/$binary" 2>&1)"
    dc_assert_eq 0 "$?" "$name --help with /opt hidden (output: $help)"
    dc_assert_contains "$help" "USAGE: $name" "$name --help"
done
dc_test_done
