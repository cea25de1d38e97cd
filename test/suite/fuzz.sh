#!/usr/bin/env bash
# The fuzz runner (test/fuzz/targets.sh, runner.bash) keeps its evidence:
# on a made-up tree, a target whose committed seed crashes it fails with
# the input kept under build/fuzz-crashes/ and its bytes in the log; the
# seed libFuzzer used is printed; a corpus kept with FUZZ_CORPUS grows
# while the committed seeds stay as they are; a target without committed
# seeds fails.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../fuzz/runner.bash"
plan 9
fuzz_have_libfuzzer ||
    skip_rest suite_fuzz "clang's libFuzzer runtime is not installed (scripts/install-deps.sh)"
scratch
tree=$T_TMP/tree
mkdir -p "$tree/test/fuzz" "$tree/fuzz/corpus/boom" "$tree/fuzz/corpus/calm" \
    "$tree/build/fuzz"
cp "$ROOT/test/lib.sh" "$tree/test/"
cp "$ROOT/test/fuzz/runner.bash" "$ROOT/test/fuzz/targets.sh" "$tree/test/fuzz/"
: >"$tree/fuzz/options"
cat >"$tree/fuzz/boom.c" <<'EOF'
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= 4 && memcmp(data, "boom", 4) == 0)
        abort();
    return 0;
}
EOF
cat >"$tree/fuzz/calm.c" <<'EOF'
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    volatile unsigned sum = 0;
    for (size_t i = 0; i < size; i++)
        if (data[i] == 'a' + (int)(i % 26))
            sum += i; /* new coverage for libFuzzer to find */
    return (int)sum * 0;
}
EOF
cp "$tree/fuzz/calm.c" "$tree/fuzz/bare.c"
printf 'boom!' >"$tree/fuzz/corpus/boom/seed"
printf 'abc' >"$tree/fuzz/corpus/calm/seed"
built=0
for t in boom calm bare; do
    clang -g -fsanitize=fuzzer -o "$tree/build/fuzz/$t" "$tree/fuzz/$t.c" \
        2>>"$T_TMP/cc.log" && built=$((built + 1))
done
expect suite_fuzz_targets_build 3 "$built"
expect suite_fuzz_lists_targets "bare boom calm" "$(ROOT=$tree fuzz_targets | xargs)"

out=$(FUZZ_SECONDS=2 bash "$tree/test/fuzz/targets.sh" boom 2>&1)
expect suite_fuzz_crash_fails 1 "$?"
expect_match suite_fuzz_seed_printed '^fuzz_boom: -seed=1 -max_total_time=2, ' "$out"
kept=$(ls "$tree/build/fuzz-crashes/boom/" 2>/dev/null)
expect_match suite_fuzz_crash_kept '^crash-[0-9a-f]{40}$' "$kept"
expect_match suite_fuzz_crash_bytes_printed \
    "^    62 6f 6f 6d 21\$" "$out"
expect_match suite_fuzz_crash_named \
    "input kept in $tree/build/fuzz-crashes/boom/crash-[0-9a-f]{40}; run it again" "$out"

out=$(FUZZ_SECONDS=2 FUZZ_SEED=7 FUZZ_CORPUS="$tree/build/fuzz-corpus" \
    bash "$tree/test/fuzz/targets.sh" calm 2>&1)
expect suite_fuzz_corpus_grows "0 yes seed" \
    "$? $([ -n "$(ls "$tree/build/fuzz-corpus/calm" 2>/dev/null)" ] && echo yes) $(ls "$tree/fuzz/corpus/calm" | xargs)"

out=$(FUZZ_SECONDS=1 bash "$tree/test/fuzz/targets.sh" bare 2>&1)
expect_match suite_fuzz_needs_seeds 'FAIL fuzz_bare: no committed seeds in fuzz/corpus/bare' \
    "$out"
finish
