# shellcheck shell=bash
# DataCovey — assertions for the scripts tests: each failure names the test and what was
# expected; a test file exits non-zero when any of its assertions failed.

DC_TEST_FAILURES=0
DC_TEST_NAME=""

# Usage: dc_test NAME   (starts a named test; its assertions' messages carry the name)
dc_test() {
    DC_TEST_NAME="$1"
    printf '==> test: %s\n' "$1" >&2
}

dc_fail() {
    printf '==> FAIL [%s]: %s\n' "$DC_TEST_NAME" "$*" >&2
    DC_TEST_FAILURES=$((DC_TEST_FAILURES + 1))
}

# Usage: dc_assert_eq EXPECTED ACTUAL WHAT
dc_assert_eq() {
    [[ "$1" == "$2" ]] || dc_fail "$3: expected '$1', got '$2'"
}

# Usage: dc_assert_contains HAYSTACK NEEDLE WHAT
dc_assert_contains() {
    [[ "$1" == *"$2"* ]] || dc_fail "$3: expected to contain '$2', got: $1"
}

# Usage: dc_assert_alive PID WHAT
dc_assert_alive() {
    kill -0 "$1" 2>/dev/null || dc_fail "$2: process $1 is gone"
}

# Usage: dc_test_done   (the file's exit status)
dc_test_done() {
    if (( DC_TEST_FAILURES > 0 )); then
        printf '==> %s: %d failure(s)\n' "$(basename "$0")" "$DC_TEST_FAILURES" >&2
        exit 1
    fi
    exit 0
}
