# Shared helpers for the shell tests. Source it; the tests run from the top
# of the tree with MIRAGE pointing at the in-tree tool.
#
# A test program declares how many cases it runs, then reports each case
# with one line that test/run counts:
#
#   . "$(dirname "$0")/../lib.sh"
#   plan 3                        # first: the number of cases below
#   expect answer 42 "$(f)"       # "PASS answer" or "FAIL answer: why"
#   pass built                    # "PASS built"
#   if [ ! -e /dev/kvm ]; then
#       skip kvm_boot "no /dev/kvm"  # "SKIP kvm_boot: no /dev/kvm"
#   else ...; fi
#   finish                        # exit status 1 if a case failed
#
# test/run fails a program whose PASS, FAIL and SKIP lines do not add up to
# its plan: it stopped early (a crash, an exit in the middle) or the plan
# is wrong. `plan` may be called more than once (the counts add up), and a
# script run by another prints its own plan. `skip NAME WHY CASES` stands
# for CASES planned cases at once (a target that cannot run here), and
# `skip_rest NAME WHY` skips every case not yet reported and finishes.
# A skip is counted and named; with CI=true it fails the run unless
# test/skips-allowed lists it (see test/run).
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MIRAGE="$ROOT/build/bin/mirage"
export PATH="$ROOT/build/bin:$PATH"
T_FAILED=0
T_PLANNED=0
T_DONE=0

# plan N: this program runs N (more) cases.
plan() {
    T_PLANNED=$((T_PLANNED + $1))
    echo "PLAN $1"
}
pass() {
    echo "PASS $1"
    T_DONE=$((T_DONE + 1))
}
fail() {
    echo "FAIL $1: $2"
    T_FAILED=1
    T_DONE=$((T_DONE + 1))
}
# skip NAME WHY [CASES]: NAME cannot run on this machine, for the reason
# WHY; it stands for CASES planned cases (default 1).
skip() {
    local n=${3:-1}
    if [ "$n" -eq 1 ]; then echo "SKIP $1: $2"; else echo "SKIP $1: $2 [$n cases]"; fi
    T_DONE=$((T_DONE + n))
}
# skip_rest NAME WHY: skip the planned cases not reported yet, and finish.
skip_rest() {
    [ "$T_PLANNED" -gt "$T_DONE" ] && skip "$1" "$2" $((T_PLANNED - T_DONE))
    finish
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
# wait_until TENTHS COMMAND...: run COMMAND every tenth of a second until
# it succeeds (status 0) or TENTHS tenths have passed (status 1).
wait_until() {
    local tenths=$1 i
    shift
    for ((i = 0; i < tenths; i++)); do
        "$@" && return 0
        sleep 0.1
    done
    "$@"
}
# cpu_entropy: "yes" when CPUID reports RDRAND or RDSEED (the flags in
# /proc/cpuinfo), else "no": the answer plat_entropy gives on spt and hvt.
cpu_entropy() {
    if grep -qwE 'rdrand|rdseed' /proc/cpuinfo; then echo yes; else echo no; fi
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
