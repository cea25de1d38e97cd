#!/usr/bin/env bash
# Runs the tar archive fuzz target (fuzz/kv_tar.c) for a bounded time
# (FUZZ_SECONDS, default 20) from a seed corpus of small archives made by
# GNU tar in its gnu, posix (pax) and ustar formats, with a long name and
# nested directories. A crash, hang, leak or sanitizer report fails the
# test. Skipped when clang's libFuzzer runtime is missing.
. "$(dirname "$0")/../lib.sh"
seconds=${FUZZ_SECONDS:-20}
if [ -z "$(ls "$(clang --print-runtime-dir 2>/dev/null)"/libclang_rt.fuzzer-x86_64.a 2>/dev/null)" ]; then
    echo "SKIP fuzz_kv_tar: clang's libFuzzer runtime is not installed"
    finish
fi
bin="$ROOT/build/fuzz/kv_tar"
if [ ! -x "$bin" ]; then
    fail fuzz_kv_tar "missing $bin (run make tests)"
    finish
fi
scratch
long=$(printf 'n%.0s' $(seq 120))
mkdir -p "$T_TMP/corpus" "$T_TMP/tree/dir/sub"
echo hello >"$T_TMP/tree/short.txt"
echo deep >"$T_TMP/tree/dir/sub/$long"
ln "$T_TMP/tree/short.txt" "$T_TMP/tree/dir/hardlink"
for format in gnu posix ustar; do
    tar --format=$format -cf "$T_TMP/corpus/$format.tar" -C "$T_TMP/tree" . \
        2>/dev/null || [ $format = ustar ] ||
        fail fuzz_kv_tar "cannot make the seed archive ($format)"
done
if (cd "$T_TMP" && "$bin" -max_total_time="$seconds" -max_len=65536 \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 "$T_TMP/corpus" \
    >"$T_TMP/fuzz.log" 2>&1); then
    pass fuzz_kv_tar
else
    fail fuzz_kv_tar "$(grep -m1 -E 'ERROR|SUMMARY|runtime error' "$T_TMP/fuzz.log")"
fi
finish
