#!/usr/bin/env bash
# DataCovey — the local stack's scheduler of `datacovey-admin maintenance` (the package uses a
# systemd timer instead): runs it at once, then every DATACOVEY_MAINTENANCE_INTERVAL_SECONDS
# (default a day). Started under dc_supervise; SIGTERM stops it without waiting out the sleep.
#   maintenance_loop.sh /path/to/datacovey-admin
admin="$1"
interval="${DATACOVEY_MAINTENANCE_INTERVAL_SECONDS:-86400}"
sleeper=""
trap '[[ -n "$sleeper" ]] && kill "$sleeper" 2>/dev/null; exit 0' TERM INT
while :; do
    if ! "$admin" maintenance; then
        echo "==> maintenance failed; next try in ${interval}s" >&2
    fi
    sleep "$interval" &
    sleeper=$!
    wait "$sleeper"
done
