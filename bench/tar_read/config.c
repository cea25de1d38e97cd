/* tar_read: the tar archive read benchmark's unikernel (bench/tar_read.sh).
 * The archive is disk.img on unix, the tender's "storage" device on
 * spt/hvt. */
#include <mirage/config.h>

int main(int argc, char **argv)
{
    impl *disk = match_impl(key_value(target_key), block_of_file("storage"),
                            match_case("unix", block_of_file("disk.img")));
    impl *m = mirage_main("tar_read_start", typ_fn(kv_ro_typ, job));
    return mirage_register(argc, argv, "tar_read",
                           jobs(apply(m, archive(disk))));
}
