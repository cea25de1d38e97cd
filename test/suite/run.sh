#!/usr/bin/env bash
# The suite's own machinery: test/run, test/lib.sh and the C harness
# (test/unit/test.c) run on a made-up tree of small test programs that
# pass, fail, skip, stop early or declare no plan; the counts, the
# summary line, the list of skips, the CI gate on skips, the filter, the
# kept logs, running several programs at a time and the order they start
# in must come out right.
. "$(dirname "$0")/../lib.sh"
plan 31
scratch
# The made-up tree runs outside CI unless a case sets CI=true itself.
unset CI
tree=$T_TMP/tree
mkdir -p "$tree/test/a" "$tree/test/b" "$tree/build/test"
cp "$ROOT/test/run" "$ROOT/test/lib.sh" "$tree/test/"

# shell NAME BODY: a shell test test/a/NAME.sh sourcing test/lib.sh.
shell() {
    printf '. "$(dirname "$0")/../lib.sh"\n%s\nfinish\n' "$2" >"$tree/test/a/$1.sh"
}
shell good 'plan 2; pass one; expect two x x'
shell skips 'plan 5; pass three; skip four "no widget here"; skip five "no gadget" 3'
shell early 'plan 3; pass six; exit 0'
shell noplan 'pass seven'
shell failing 'plan 2; fail eight "wrong"; pass nine'
shell toomany 'plan 1; pass ten; pass eleven'

# A C program on the harness: a pass, a skip, a case failing twice.
cat >"$T_TMP/unit.c" <<'EOF'
#include "test.h"
#include <stdlib.h>
TEST(c_pass) { CHECK_INT(1 + 1, 2); }
TEST(c_skip) { SKIP("no %s here", "device"); }
TEST(c_fail_twice)
{
    test_fail(__FILE__, __LINE__, "first");
    test_fail(__FILE__, __LINE__, "second");
}
TEST(c_exit) { if (getenv("UNIT_EXIT")) exit(0); }
int main(void) { return test_main(); }
EOF
if cc -std=c11 -Wall -Wextra -Werror -I"$ROOT/test/unit" -o "$tree/build/test/unit" \
    "$T_TMP/unit.c" "$ROOT/test/unit/test.c" 2>"$T_TMP/cc.log"; then
    pass suite_harness_builds
else
    fail suite_harness_builds "$(head -n 5 "$T_TMP/cc.log")"
fi
out=$("$tree/build/test/unit")
expect suite_harness_plan_first "PLAN 4" "$(printf '%s\n' "$out" | head -n 1)"
expect suite_harness_lines "$(printf '%s\n' 'PASS c_pass' 'SKIP c_skip: no device here' \
    "FAIL c_fail_twice: $T_TMP/unit.c:7: first" "    $T_TMP/unit.c:8: second" 'PASS c_exit')" \
    "$(printf '%s\n' "$out" | sed 1d)"

out=$("$tree/test/run" 2>&1)
rc=$?
expect suite_run_status 1 "$rc"
# Passed: one two three six seven nine ten eleven c_pass c_exit (10);
# failed: eight, c_fail_twice, and early, noplan and toomany; skipped:
# four, five (3 cases), c_skip.
expect suite_summary "10 passed, 5 failed, 5 skipped" "$(printf '%s\n' "$out" | tail -n 1)"
expect_match suite_early_exit 'FAIL test/a/early.sh: reported 1 of 3 planned cases' "$out"
expect_match suite_no_plan 'FAIL test/a/noplan.sh: declares no plan' "$out"
expect_match suite_too_many 'FAIL test/a/toomany.sh: reported 2 of 1 planned cases' "$out"
expect suite_skips_listed "$(printf '%s\n' 'Skipped:' '    c_skip: no device here' \
    '    four: no widget here' '    five: no gadget [3 cases]')" \
    "$(printf '%s\n' "$out" | sed -n '/^Skipped:/,/^[0-9]/p' | sed '$d')"
expect_match suite_log_kept '^    \(whole output: build/test-logs/test_a_early\.sh\.log\)$' "$out"
expect suite_log_contents "$(printf '%s\n' 'PLAN 3' 'PASS six')" \
    "$(cat "$tree/build/test-logs/test_a_early.sh.log" 2>&1)"
# One program at a time prints the same, but for the order of the blocks
# and the durations.
same() { printf '%s\n' "$1" | sed -E 's/^(== [^ ]*) \([0-9]+ s\)$/\1/' | sort; }
expect suite_one_job_same_output "$(same "$out")" "$(same "$("$tree/test/run" -j1 2>&1)")"

# The filter, and the C program stopping early.
out=$(UNIT_EXIT=1 "$tree/test/run" unit 2>&1)
expect_match suite_c_early_exit 'FAIL build/test/unit: reported 3 of 4 planned cases' "$out"
expect suite_filter "1 passed, 2 failed, 1 skipped" "$(printf '%s\n' "$out" | tail -n 1)"

# CI=true: a skip fails the run unless test/skips-allowed lists it with a
# reason (a glob).
rm "$tree/test/a/"{early,noplan,failing,toomany}.sh "$tree/build/test/unit"
out=$("$tree/test/run" 2>&1)
expect suite_skips_pass_outside_ci "0 3 passed, 0 failed, 4 skipped" "$? $(printf '%s\n' "$out" | tail -n 1)"
out=$(CI=true "$tree/test/run" 2>&1)
expect suite_ci_fails_on_skips 1 "$?"
expect_match suite_ci_names_unlisted 'CI: four was skipped and test/skips-allowed does not list it' "$out"
printf '%s\n' '# comment' 'four: a widget is optional' 'fi*:' >"$tree/test/skips-allowed"
out=$(CI=true "$tree/test/run" 2>&1)
expect suite_ci_needs_reason "1 five" \
    "$? $(printf '%s\n' "$out" | sed -n 's/^CI: \([a-z]*\) was skipped.*/\1/p' | xargs)"
printf '%s\n' 'four: a widget is optional' 'fi*: gadgets are rare' >"$tree/test/skips-allowed"
out=$(CI=true "$tree/test/run" 2>&1)
expect suite_ci_listed_skips_pass "0 3 passed, 0 failed, 4 skipped" \
    "$? $(printf '%s\n' "$out" | tail -n 1)"

# Two programs that each wait for the other to start pass only side by
# side: with -j2, each block whole after its duration; with TEST_JOBS=1,
# the first gives up.
mkdir -p "$tree/test/c"
for me in a b; do
    other=a
    [ $me = a ] && other=b
    printf '%s\n' '. "$(dirname "$0")/../lib.sh"' 'plan 1' "touch $T_TMP/started.$me" \
        "if wait_until 30 test -e $T_TMP/started.$other; then pass met_$me; else" \
        "    fail met_$me 'alone'; fi" finish >"$tree/test/c/meet_$me.sh"
done
out=$("$tree/test/run" -j2 test/c 2>&1)
expect suite_jobs_side_by_side "2 passed, 0 failed, 0 skipped" "$(printf '%s\n' "$out" | tail -n 1)"
expect_match suite_jobs_block_whole '^== test/c/meet_a\.sh \([0-9]+ s\)\|PASS met_a$' \
    "$(printf '%s\n' "$out" | awk '/^== / { p = $2 == "test/c/meet_a.sh" }
        /^[0-9]+ passed/ { p = 0 } p' | paste -sd'|')"
rm "$T_TMP"/started.*
out=$(TEST_JOBS=1 "$tree/test/run" test/c 2>&1)
expect suite_one_job_at_a_time "FAIL met_a: alone|PASS met_b|1 passed, 1 failed, 0 skipped" \
    "$(printf '%s\n' "$out" | grep -E '^(PASS|FAIL|[0-9]+ passed)' | paste -sd'|')"
expect_match suite_durations_recorded '^[0-9]+ test/c/meet_a\.sh$' \
    "$(cat "$tree/build/test-logs/durations")"
# The longest recorded first, after those not recorded yet; the record
# keeps the programs that did not run.
printf '%s\n' '1 test/a/good.sh' '5 test/a/skips.sh' '7 test/c/meet_a.sh' \
    >"$tree/build/test-logs/durations"
shell new 'plan 1; pass twelve'
out=$("$tree/test/run" -j1 test/a 2>&1)
expect suite_slowest_first "test/a/new.sh test/a/skips.sh test/a/good.sh 7" \
    "$(printf '%s\n' "$out" | sed -n 's/^== \([^ ]*\) .*/\1/p' | xargs) $(awk \
        '$2 == "test/c/meet_a.sh" { print $1 }' "$tree/build/test-logs/durations")"
# A program marked "# test/run: alone" runs after the others, by itself:
# it sees none of their files, made while they run.
mkdir -p "$tree/test/d"
for me in x y; do
    printf '%s\n' '. "$(dirname "$0")/../lib.sh"' 'plan 1' "touch $T_TMP/busy.$me" \
        'sleep 0.5' "rm $T_TMP/busy.$me" "pass busy_$me" finish >"$tree/test/d/$me.sh"
done
printf '%s\n' '# test/run: alone' '. "$(dirname "$0")/../lib.sh"' 'plan 1' \
    "if wait_until 10 compgen -G '$T_TMP/busy.*' >/dev/null; then" \
    "    fail alone 'beside others'; else pass alone; fi" finish >"$tree/test/d/a.sh"
out=$("$tree/test/run" -j3 test/d 2>&1)
expect suite_alone_runs_by_itself "test/d/a.sh|3 passed, 0 failed, 0 skipped" \
    "$(printf '%s\n' "$out" | sed -n 's/^== \([^ ]*\) .*/\1/p' | tail -n 1)|$(printf \
        '%s\n' "$out" | tail -n 1)"
# Interrupted, test/run stops the programs still running, which clean up
# (here with a builtin: a command could be killed by the TERM timeout
# passes on to the whole process group).
mkdir -p "$tree/test/e"
printf '%s\n' '. "$(dirname "$0")/../lib.sh"' "trap ': >$T_TMP/ended' EXIT" 'plan 1' \
    "touch $T_TMP/long" 'sleep 60' 'pass long' finish >"$tree/test/e/long.sh"
"$tree/test/run" test/e >/dev/null 2>&1 &
runner=$!
wait_until 100 test -e "$T_TMP/long"
kill -TERM $runner
wait $runner
expect suite_interrupt_stops_programs "130 ended" "$? $(wait_until 50 test -e \
    "$T_TMP/ended" && echo ended)"
out=$("$tree/test/run" -j 0 2>&1)
expect suite_bad_job_count "2 test/run: the job count must be a positive number, not '0'" "$? $out"
out=$("$tree/test/run" -k 2>&1)
expect suite_bad_option "2 usage: test/run [-j N] [FILTER]" "$? $out"

# skip_rest skips what is not reported yet, and finishes.
out=$(bash -c ". '$tree/test/lib.sh'; plan 4; pass a; skip_rest rest 'none here'; pass b")
expect suite_skip_rest "$(printf '%s\n' 'PLAN 4' 'PASS a' 'SKIP rest: none here [3 cases]')" \
    "$out"
# wait_until polls until the command succeeds, or gives up.
touch "$T_TMP/later"
(sleep 0.3 && rm "$T_TMP/later") &
wait_until 50 test ! -e "$T_TMP/later"
expect suite_wait_until_succeeds 0 "$?"
wait_until 2 false
expect suite_wait_until_gives_up 1 "$?"
wait
finish
