#!/usr/bin/env bash
# The scale-out layout (issue 16): `scripts/cluster up` once, with the binaries already built
# (DC_BIN), in a throwaway run directory on free ports; then every check of
# Tests/scripts/cluster/*.sh in name order (their contract: Tests/scripts/cluster/lib/checks.sh);
# then `scripts/cluster down`, always. Exits non-zero when the cluster did not come up or a check
# failed. Bounded: `up` 150 s, each check CLUSTER_CHECK_TIMEOUT (default 120 s) or its own
# "# cluster-check-timeout: SECONDS" line, `down` 90 s.
#
#   bash Tests/scripts/test_cluster.sh [CHECK_NAME_SUBSTRING...]   (only the matching checks)
# The cluster's logs are kept in test-artifacts/cluster-logs/ when a check failed, or always
# with DATACOVEY_CLUSTER_KEEP_LOGS=1.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
: "${DC_BIN:?DC_BIN names the built executables}"
cluster_dir="$(mktemp -d /tmp/dc-cluster-test.XXXXXX)"
started=$(date +%s)

# scripts/cluster in a clean environment: nothing of the caller's stack leaks in.
cluster() {
    env -i HOME="${HOME:-/root}" PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
        DC_BIN="$DC_BIN" DATACOVEY_CLUSTER_DIR="$cluster_dir" DATACOVEY_JOB_LEASE_SECONDS="${DATACOVEY_JOB_LEASE_SECONDS:-5}" \
        DATACOVEY_WORKER_GRACE_SECONDS=0 DATACOVEY_JWKS_COOLDOWN_SECONDS=1 \
        timeout --kill-after=10 "$1" bash "$repo/scripts/cluster" "${@:2}"
}

down() {
    local t0 rc
    t0=$(date +%s%N)
    cluster 90 down >"$cluster_dir/down.log" 2>&1
    rc=$?
    printf '==> figure: cluster down: %d ms\n' $(( ($(date +%s%N) - t0) / 1000000 )) >&2
    (( rc == 0 )) || { echo "==> FAIL: scripts/cluster down (status $rc)" >&2; tail -n 20 "$cluster_dir/down.log" >&2; }
    if [[ -n "$(cluster 30 status 2>/dev/null | grep -v ' down$' | grep -v '^cluster ')" ]]; then
        echo "==> FAIL: something of the cluster still runs after down" >&2
        cluster 30 status >&2
        return 1
    fi
    return "$rc"
}

keep_logs() {
    mkdir -p "$repo/test-artifacts"
    rm -rf "$repo/test-artifacts/cluster-logs"
    cp -r "$cluster_dir/logs" "$repo/test-artifacts/cluster-logs" 2>/dev/null &&
        echo "==> cluster logs: test-artifacts/cluster-logs/" >&2
}

failed=0
cleanup() {
    down || failed=1
    if (( failed )) || [[ "${DATACOVEY_CLUSTER_KEEP_LOGS:-}" == 1 ]]; then keep_logs; fi
    rm -rf "$cluster_dir"
    printf '==> figure: cluster tests, whole: %d s\n' $(( $(date +%s) - started )) >&2
}
trap cleanup EXIT
trap 'exit 1' INT TERM

echo "==> test: scripts/cluster up" >&2
t0=$(date +%s%N)
if ! cluster 150 up >"$cluster_dir/up.log" 2>&1; then
    echo "==> FAIL: scripts/cluster up" >&2
    tail -n 40 "$cluster_dir/up.log" >&2
    failed=1
    exit 1
fi
printf '==> figure: cluster up: %d ms\n' $(( ($(date +%s%N) - t0) / 1000000 )) >&2
applied="$(grep -c '^applied ' "$cluster_dir/up.log")"
printf '==> figure: migrations applied by up: %s (once, through node 1)\n' "$applied" >&2

# The checks' environment: cluster.env, the cluster's secrets, a token of the demo admin.
set -a
# shellcheck disable=SC1091
source "$cluster_dir/cluster.env"
while IFS='=' read -r key value; do
    [[ "$key" =~ ^DATACOVEY_[A-Z_]+$ && "$value" =~ ^[A-Za-z0-9]+$ ]] && printf -v "$key" '%s' "$value"
done <"$cluster_dir/secrets.env"
set +a
export DC_BIN REPO_DIR="$repo" DATACOVEY_RUN_DIR="$cluster_dir" DATACOVEY_DB_SUPERUSER="$CLUSTER_SUPERUSER"
unset DATACOVEY_DB_HOSTS DATACOVEY_DB_HOST DATACOVEY_DB_PORT DATACOVEY_DB_SOCKET DATACOVEY_PORT DATACOVEY_FCGI_SOCKET
CLUSTER_TOKEN="$(cluster 30 admin token mint --user admin@demo.test 2>/dev/null | tail -n 1)"
export CLUSTER_TOKEN
[[ -n "$CLUSTER_TOKEN" ]] || { echo "==> FAIL: no token for admin@demo.test" >&2; failed=1; exit 1; }

for check in "$here"/cluster/*.sh; do
    name="$(basename "$check" .sh)"
    if (( $# > 0 )); then
        wanted=0
        for pattern in "$@"; do [[ "$name" == *"$pattern"* ]] && wanted=1; done
        (( wanted )) || continue
    fi
    limit="$(sed -n 's/^# cluster-check-timeout: *\([0-9]\+\).*/\1/p' "$check" | head -n 1)"
    limit="${limit:-${CLUSTER_CHECK_TIMEOUT:-120}}"
    echo "==> cluster check: $name (at most ${limit}s)" >&2
    t0=$(date +%s)
    (cd "$repo" && timeout --kill-after=10 "$limit" bash "$check")
    rc=$?
    printf '==> figure: %s: %d s\n' "$name" $(( $(date +%s) - t0 )) >&2
    if (( rc != 0 )); then
        (( rc == 124 )) && echo "==> FAIL: $name ran over ${limit}s" >&2
        echo "==> FAIL: cluster check $name (status $rc)" >&2
        failed=1
    fi
    # The next check finds the cluster whole again: every node Synced, every process running.
    whole=0
    for _ in $(seq 1 60); do
        if cluster 10 status >/dev/null 2>&1; then whole=1; break; fi
        sleep 1
    done
    if (( ! whole )); then
        echo "==> FAIL: the cluster is not whole after $name; no further checks" >&2
        cluster 10 status >&2
        failed=1
        break
    fi
done

if (( failed )); then echo "==> test_cluster.sh: FAILED" >&2; exit 1; fi
echo "==> test_cluster.sh: passed" >&2
