# Sourced after test/lib.sh by test/fuzz/targets.sh: the libFuzzer targets
# and the bounded run of one, keeping its evidence.

# fuzz_targets: every target, one name a line: fuzz/NAME.c defines
# LLVMFuzzerTestOneInput.
fuzz_targets() {
    grep -l '^int LLVMFuzzerTestOneInput(.*)$' "$ROOT"/fuzz/*.c |
        sed 's|.*/||; s|\.c$||' | sort
}

# fuzz_have_libfuzzer: whether clang's libFuzzer runtime is installed.
fuzz_have_libfuzzer() {
    [ -n "$(ls "$(clang --print-runtime-dir 2>/dev/null)"/libclang_rt.fuzzer-x86_64.a 2>/dev/null)" ]
}

# fuzz_run NAME: one case, fuzz_NAME. Runs build/fuzz/NAME for
# FUZZ_SECONDS (default 5, as make check runs 30 targets) with
# libFuzzer's random seed FUZZ_SEED (default 1), both printed, from the
# committed seeds fuzz/corpus/NAME and the corpus FUZZ_CORPUS/NAME
# (default: in the scratch directory), to which it adds the inputs that
# reach new code; fuzz/options may give it
# more options. Passes when libFuzzer finds nothing. Otherwise fails with
# the first error line, prints the end of libFuzzer's log and the bytes of
# the input that failed, which stays in build/fuzz-crashes/NAME/.
fuzz_run() {
    local name=$1 bin="$ROOT/build/fuzz/$1" seeds="$ROOT/fuzz/corpus/$1"
    local corpus="${FUZZ_CORPUS:-$T_TMP/corpus}/$1" crashes="$ROOT/build/fuzz-crashes/$1"
    local seconds=${FUZZ_SECONDS:-5} seed=${FUZZ_SEED:-1} log="$T_TMP/$1.log" opts f
    if [ ! -x "$bin" ]; then
        fail "fuzz_$name" "missing $bin (run make tests)"
        return
    fi
    if [ -z "$(ls -A "$seeds" 2>/dev/null)" ]; then
        fail "fuzz_$name" "no committed seeds in fuzz/corpus/$name (fuzz/seeds.sh)"
        return
    fi
    mkdir -p "$corpus" "$crashes"
    opts=$(awk -v n="$name" '$1 == n { $1 = ""; print }' "$ROOT/fuzz/options")
    echo "fuzz_$name: -seed=$seed -max_total_time=$seconds$opts, seeds fuzz/corpus/$name, corpus $corpus"
    touch "$T_TMP/start.$name"
    # shellcheck disable=SC2086 # opts are several options
    if "$bin" -seed="$seed" -max_total_time="$seconds" $opts -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=0 -artifact_prefix="$crashes/" \
        "$corpus" "$seeds" >"$log" 2>&1; then
        pass "fuzz_$name"
        return
    fi
    fail "fuzz_$name" "$(grep -m1 -E 'ERROR|SUMMARY|runtime error' "$log")"
    echo "fuzz_$name: the end of libFuzzer's log:"
    tail -n 30 "$log" | sed 's/^/    /'
    for f in $(find "$crashes" -type f -newer "$T_TMP/start.$name"); do
        echo "fuzz_$name: the input ($(wc -c <"$f") bytes; the first 4096 in hex):"
        head -c 4096 "$f" | od -An -tx1 -v | sed 's/^/   /'
        echo "fuzz_$name: input kept in $f; run it again: $bin $f"
    done
}
