# Sourced by the fuzz tests in test/fuzz/ after test/lib.sh: the libFuzzer
# check and the bounded run of one fuzz target.

# fuzz_need_libfuzzer NAME: when clang's libFuzzer runtime is missing,
# prints a SKIP line for NAME and ends the test (finish).
fuzz_need_libfuzzer() {
    if [ -z "$(ls "$(clang --print-runtime-dir 2>/dev/null)"/libclang_rt.fuzzer-x86_64.a 2>/dev/null)" ]; then
        echo "SKIP $1: clang's libFuzzer runtime is not installed"
        finish
    fi
}

# fuzz_run NAME TARGET CORPUS [OPTION...]: runs build/fuzz/TARGET from the
# seed folder CORPUS for FUZZ_SECONDS (default 20) with the given extra
# libFuzzer options, in T_TMP (scratch must have run), logging to
# T_TMP/NAME.log. NAME passes, or fails with the first error line of the
# log (a crash, hang, leak or sanitizer report) or when TARGET is not
# built.
fuzz_run() {
    local name=$1 bin="$ROOT/build/fuzz/$2" corpus=$3
    shift 3
    if [ ! -x "$bin" ]; then
        fail "$name" "missing $bin (run make tests)"
        return
    fi
    if (cd "$T_TMP" && "$bin" -max_total_time="${FUZZ_SECONDS:-20}" "$@" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 "$corpus" \
        >"$T_TMP/$name.log" 2>&1); then
        pass "$name"
    else
        fail "$name" "$(grep -m1 -E 'ERROR|SUMMARY|runtime error' "$T_TMP/$name.log")"
    fi
}
