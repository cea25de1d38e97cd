#!/usr/bin/env bash
# Runs every libFuzzer target (fuzz/*.c) for a bounded time, each from its
# committed seeds (fuzz/corpus/NAME): one case each (test/fuzz/runner.bash
# says how, and what is kept of a failure). `bash test/fuzz/targets.sh
# NAME...` runs only those; `make fuzz` runs them all for FUZZ_SECONDS,
# keeping the corpus they grow in build/fuzz-corpus/. Skipped when clang's
# libFuzzer runtime is missing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/runner.bash"
if [ $# -gt 0 ]; then targets=("$@"); else mapfile -t targets < <(fuzz_targets); fi
plan ${#targets[@]}
fuzz_have_libfuzzer ||
    skip_rest fuzz_targets "clang's libFuzzer runtime is not installed (scripts/install-deps.sh)"
scratch
for t in "${targets[@]}"; do
    fuzz_run "$t"
done
finish
