#!/usr/bin/env bash
# The filesystem devices end to end on unix. fat_of_files and kv_ro_of_fs:
# configure builds mirage/NAME.img from the files of a directory
# matching a pattern (nested directories kept, other files left out;
# fsck.fat finds it clean), and a unikernel reads values from it; a
# missing directory fails at configure time with a message. kv_rw_of_fs
# over fat(block_of_file): a unikernel stores a value that mtype reads
# back from the image.
. "$(dirname "$0")/../lib.sh"
plan 13
export MTOOLS_SKIP_CHECK=1
scratch
app="$T_TMP/app"
mkdir -p "$app/data/sub dir"
printf 'foo\n' >"$app/data/secret.txt"
printf 'deep\n' >"$app/data/sub dir/Nested Value.txt"
printf 'skip\n' >"$app/data/left-out.bin"
cat >"$app/config.c" <<'C'
#include <mirage/config.h>

int main(int argc, char **argv)
{
    impl *m = mirage_main("start", typ_fn(kv_ro_typ, job));
    return mirage_register(
        argc, argv, "fatfiles",
        jobs(apply(m, kv_ro_of_fs(fat_of_files("data", "*.txt")))));
}
C
cat >"$app/unikernel.c" <<'C'
#include <mirage/kv.h>
#include <mirage/log.h>
#include <stdlib.h>

int start(struct mirage_kv_ro *kv)
{
    void *a, *b;
    size_t la, lb;
    if (mirage_kv_ro_get(kv, "secret.txt", &a, &la) ||
        mirage_kv_ro_get(kv, "sub dir/Nested Value.txt", &b, &lb))
        return 1;
    mirage_log_app("read %s and %s", (char *)a, (char *)b);
    free(a);
    free(b);
    return 0;
}
C
cd "$app" || exit 1
if out=$("$MIRAGE" configure -t unix 2>&1 && make 2>&1); then
    pass fat_of_files_build
    img=$(ls mirage/fat*.img 2>/dev/null | head -n 1)
    expect_match fat_of_files_image 'mirage/fatdata[0-9a-z]+\.img' "$img"
    expect fat_of_files_fsck 0 "$(fsck.fat -n "$img" >/dev/null 2>&1; echo $?)"
    expect fat_of_files_contents "$(printf '::/secret.txt\n::/sub dir/Nested Value.txt')" \
        "$(mdir -b -/ -i "$img" ::/ | grep -v '/$' | sort)"
    out=$(./dist/fatfiles 2>&1)
    expect fat_of_files_run_status 0 "$?"
    expect_match fat_of_files_read 'read foo' "$out"
    expect_match fat_of_files_read_nested 'and deep' "$out"
else
    fail fat_of_files_build "$(printf '%s' "$out" | tail -n 15)"
fi
sed -i 's/"data"/"missing"/' config.c
out=$("$MIRAGE" configure -t unix 2>&1)
[ $? -ne 0 ] && pass fat_of_files_missing_dir_fails ||
    fail fat_of_files_missing_dir_fails "configure succeeded"
expect_match fat_of_files_missing_dir_message \
    'fat_of_files: cannot open directory missing' "$out"

rw="$T_TMP/rw"
mkdir -p "$rw"
cat >"$rw/config.c" <<'C'
#include <mirage/config.h>

int main(int argc, char **argv)
{
    impl *m = mirage_main("start", typ_fn(kv_rw_typ, job));
    return mirage_register(
        argc, argv, "fatrw",
        jobs(apply(m, kv_rw_of_fs(fat(block_of_file("disk.img"))))));
}
C
cat >"$rw/unikernel.c" <<'C'
#include <mirage/kv.h>

int start(struct mirage_kv_rw *kv)
{
    return mirage_kv_rw_set(kv, "state/last run.txt", "stored\n", 7) ? 1 : 0;
}
C
cd "$rw" || exit 1
if out=$("$MIRAGE" configure -t unix 2>&1 && make 2>&1); then
    pass kv_rw_of_fs_build
    mkfs.fat -C disk.img 1440 >/dev/null
    ./dist/fatrw >/dev/null 2>&1
    expect kv_rw_of_fs_status 0 "$?"
    expect kv_rw_of_fs_value stored "$(mtype -i disk.img '::/state/last run.txt')"
    expect kv_rw_of_fs_fsck 0 "$(fsck.fat -n disk.img >/dev/null 2>&1; echo $?)"
else
    fail kv_rw_of_fs_build "$(printf '%s' "$out" | tail -n 15)"
fi
finish
