#!/usr/bin/env bash
# cluster-check-timeout: 180
# Isolation is unchanged on the cluster: the XCTest isolation classes (two tenants x every role,
# every API route and every page; the tenant views refusing other tenants' rows) run against the cluster's nginx,
# whose upstream spreads their requests over both responders, and against node 1 for the fixtures
# they make and check directly. Needs the test binaries built (swift build --build-tests) next to
# DC_BIN.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/checks.sh"
# shellcheck source=../../../scripts/lib/stack.sh
source "$REPO_DIR/scripts/lib/stack.sh"
dc_swift_path || exit 1
classes='DataCoveyTests\.(IsolationMatrixTests|PageIsolationMatrixTests|TenantViewIsolationTests)/'

dc_test "the isolation matrix through the cluster ($classes)"
log="$(mktemp /tmp/dc-cluster-isolation.XXXXXX)"
# TestStack's variables (Tests/TestSupport/TestStack.swift), pointed at the cluster.
(cd "$REPO_DIR" && env -u DATACOVEY_DB_HOSTS \
    DATACOVEY_TEST_STACK=1 DATACOVEY_REPO_DIR="$REPO_DIR" DATACOVEY_TEST_STACKCTL="$REPO_DIR/scripts/stackctl" \
    DATACOVEY_RUN_DIR="$DATACOVEY_CLUSTER_DIR" DATACOVEY_PORT="$CLUSTER_HTTP_PORT" \
    DATACOVEY_METRICS_PORT="$CLUSTER_METRICS_PORT_1" DATACOVEY_FCGI_SOCKET="$CLUSTER_FCGI_SOCKET_1" \
    DATACOVEY_DB_SOCKET="$CLUSTER_NODE_SOCKET_1" DATACOVEY_DB_HOST=127.0.0.1 DATACOVEY_DB_PORT="$CLUSTER_NODE_PORT_1" \
    DATACOVEY_DB_ACCOUNT_HOST="$CLUSTER_ACCOUNT_HOST" DATACOVEY_DB_SUPERUSER="$CLUSTER_SUPERUSER" \
    DATACOVEY_MIGRATE_DB_USER="$CLUSTER_SUPERUSER" DATACOVEY_PUBLIC_URL="${CLUSTER_URL%/}" \
    swift test --skip-build --disable-swift-testing --filter "$classes") >"$log" 2>&1
rc=$?
summary="$(grep -E '^\s*Executed [0-9]+ tests' "$log" | tail -n 1)"
dc_assert_eq 0 "$rc" "swift test --filter '$classes' ($summary)"
if (( rc != 0 )); then
    grep -E 'error:|failed' "$log" | head -n 30 >&2
fi
[[ "$summary" == *"with 0 failures"* ]] || dc_fail "no clean XCTest summary: ${summary:-none}"
tests="$(sed -n 's/.*Executed \([0-9]*\) tests.*/\1/p' <<<"$summary")"
[[ "${tests:-0}" -gt 0 ]] || dc_fail "no test ran"
cl_figure "isolation tests through the cluster" "${summary:-none}"
rm -f "$log"
dc_test_done
