# Shared helpers for the shell tests: each check prints "PASS name" or
# "FAIL name: why", which test/run counts. Source it; the tests run from the
# top of the tree with MIRAGE pointing at the in-tree tool.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MIRAGE="$ROOT/build/bin/mirage"
export PATH="$ROOT/build/bin:$PATH"
T_FAILED=0

pass() { echo "PASS $1"; }
fail() {
    echo "FAIL $1: $2"
    T_FAILED=1
}
# expect NAME WANT GOT: pass when the two strings are equal.
expect() {
    if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "expected [$2], got [$3]"; fi
}
# expect_match NAME REGEX TEXT: pass when TEXT matches the extended regex.
expect_match() {
    if printf '%s' "$3" | grep -Eq -- "$2"; then pass "$1"; else
        fail "$1" "[$3] does not match /$2/"
    fi
}
# A scratch directory removed on exit.
scratch() {
    T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/mirage-test.XXXXXX")
    trap 'rm -rf "$T_TMP"' EXIT
}
# Copy an example into the scratch directory (so tests never write into the
# tree) and cd there.
use_example() {
    [ -n "${T_TMP:-}" ] || scratch
    rm -rf "${T_TMP:?}/$1"
    cp -r "$ROOT/examples/$1" "$T_TMP/$1"
    cd "$T_TMP/$1" || exit 1
}
finish() { exit $T_FAILED; }
