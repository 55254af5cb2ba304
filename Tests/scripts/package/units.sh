#!/usr/bin/env bash
# The packaged systemd units: `systemd-analyze verify` accepts them (unknown settings,
# bad syntax, and ExecStart= binaries that do not exist under ROOT are errors), and
# `systemd-analyze security` rates each service's exposure. ROOT must hold systemd's own
# units too (verify loads sysinit.target and the like from it), so this runs on the host
# view where dpkg installed the package (lifecycle.sh), not on a bare `dpkg -x`.
# Usage: units.sh ROOT
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../assert.sh"
root="$1"
units=(datacovey-fcgi.socket datacovey-fcgi.service datacovey-worker.service
       datacovey-maintenance.service datacovey-maintenance.timer)

dc_test "systemd-analyze verify accepts the packaged units"
verified="$(cd "$root" && systemd-analyze verify --root="$root" "${units[@]/#//lib/systemd/system/}" 2>&1)"
dc_assert_eq 0 "$?" "systemd-analyze verify (output: $verified)"
dc_assert_eq "" "$verified" "systemd-analyze verify's complaints"

dc_test "the services are hardened"
for unit in datacovey-fcgi.service datacovey-worker.service datacovey-maintenance.service; do
    rating="$(systemd-analyze security --offline=true --root="$root" "$unit" 2>&1 | tail -n 1)"
    # systemd 252 (Debian 12). What is left: the network (MariaDB and Auth0 may be anywhere),
    # other users (the socket's and exports' group is www-data), group-readable files
    # (nginx serves exports), /proc and @resources (not proven harmless to the Swift runtime).
    # The face after the verdict is an emoji in a UTF-8 locale and ":-)" without one (CI).
    dc_assert_eq "→ Overall exposure level for $unit: 1.4 OK" "${rating% *}" "systemd-analyze security $unit"
done
dc_test_done
