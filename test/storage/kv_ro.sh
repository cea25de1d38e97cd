#!/usr/bin/env bash
# examples/kv_ro end to end: the key "secret" reads "foo\n" from each
# store --kv_ro selects (crunch on every target, direct on unix, archive
# on every target with the tar image attached on hvt and spt); a missing
# archive device fails cleanly; direct_kv_rw is refused on spt.
. "$(dirname "$0")/storage.bash"
plan $((4 * (3 * 3 + 2) + 2)) # per target: three stores, the bad archive

want='[APP] [application] kv_ro: '"'secret'"' holds "foo\n"'
for t in unix spt hvt virtio; do
    target_usable "$t" "kv_ro_$t" 11 || continue
    for store in crunch direct archive; do
        name=kv_ro_${t}_${store}
        if ! build_example kv_ro "$t" --kv_ro=$store; then
            fail "${name}_build" "$(tail -n 15 build.log)"
            continue
        fi
        pass "${name}_build"
        dev=
        [ $store = archive ] && dev=t=mirage/t.tar
        out=$(boot "$t" "$(image kv_ro "$t")" "$dev")
        expect "${name}_status" 0 "$?"
        expect "${name}_output" "$want" "$out"
    done
    # The archive's tar image is damaged: an error naming the offset.
    printf 'X' | dd of=mirage/t.tar bs=1 seek=0 conv=notrunc 2>/dev/null
    out=$(boot "$t" "$(image kv_ro "$t")" t=mirage/t.tar)
    [ $? -ne 0 ] && pass "kv_ro_${t}_bad_archive_fails" ||
        fail "kv_ro_${t}_bad_archive_fails" "status 0"
    expect_match "kv_ro_${t}_bad_archive_message" \
        'offset 0: bad checksum' "$out"
done

# direct_kv_rw exists only on unix: configuring it for spt is an error.
[ -n "${T_TMP:-}" ] || scratch
mkdir -p "$T_TMP/rw" && cd "$T_TMP/rw" || exit 1
cat >config.c <<'CONF'
#include <mirage/config.h>
int main(int argc, char **argv)
{
    impl *m = mirage_main("start", typ_fn(kv_rw_typ, job));
    return mirage_register(argc, argv, "rw",
                           jobs(apply(m, direct_kv_rw("data"))));
}
CONF
out=$("$MIRAGE" configure -t spt 2>&1)
expect "direct_kv_rw_spt_refused_status" 1 "$?"
expect_match "direct_kv_rw_spt_refused_message" \
    "config.c:6: error: device 'direct_kv_rw' is not supported on target 'spt'" \
    "$out"
finish
