#!/usr/bin/env bash
# The Debian package (issue 14). scripts/package builds it once, with the static Swift
# runtime; then: its control data and file layout are the documented ones; each binary
# has no RUNPATH into the toolchain, no missing library, and starts with /opt hidden; the
# units pass `systemd-analyze verify` (package/units.sh, run by lifecycle.sh on the installed
# root, which has systemd's own units); and dpkg installs, upgrades, removes and purges it
# for real in a copy-on-write view of this host (package/lifecycle.sh), where the packaged
# responder answers FastCGI against the test stack's MariaDB.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/assert.sh"
repo="$(cd "$here/../.." && pwd)"
work="$(mktemp -d /tmp/dc-testpkg.XXXXXX)"
trap 'rm -rf "$work"' EXIT

dc_test "scripts/package builds the .deb"
started=$SECONDS
deb="$("$repo/scripts/package" --output-dir "$work" | tail -n 1)"
echo "==> scripts/package took $((SECONDS - started)) s" >&2
version="$(cat "$repo/VERSION")+git$(git -C "$repo" rev-list --count HEAD).$(git -C "$repo" rev-parse --short=10 HEAD)"
dc_assert_eq "$work/datacovey_${version}_amd64.deb" "$deb" "the package's path"
if [[ ! -f "$deb" ]]; then dc_fail "no package was built"; dc_test_done; fi

bash "$here/package/control.sh" "$deb" || dc_fail "the control data (package/control.sh)"
bash "$here/package/layout.sh" "$deb" || dc_fail "the file layout (package/layout.sh)"
dpkg -x "$deb" "$work/root"
bash "$here/package/binaries.sh" "$work/root" || dc_fail "the binaries (package/binaries.sh)"
unshare -m bash "$here/package/lifecycle.sh" "$deb" || dc_fail "install, upgrade, remove, purge (package/lifecycle.sh)"
dc_test_done
