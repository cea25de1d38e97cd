#!/usr/bin/env bash
# Runs the tar archive fuzz target (fuzz/kv_tar.c) for a bounded time
# (FUZZ_SECONDS, default 20) from a seed corpus of small archives made by
# GNU tar in its gnu, posix (pax) and ustar formats, with a long name and
# nested directories. A crash, hang, leak or sanitizer report fails the
# test. Skipped when clang's libFuzzer runtime is missing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/runner.bash"
fuzz_need_libfuzzer fuzz_kv_tar
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
fuzz_run fuzz_kv_tar kv_tar "$T_TMP/corpus" -max_len=65536
finish
