/* block: exercises a block device (the file disk.img on unix, the
 * tender's "storage" device on hvt and spt). */
#include <mirage/config.h>

int main(int argc, char **argv)
{
    impl *disk = match_impl(key_value(target_key), block_of_file("storage"),
                            match_case("unix", block_of_file("disk.img")));
    impl *m = mirage_main("block_start", typ_fn(block_typ, job));
    return mirage_register(argc, argv, "block", jobs(apply(m, disk)));
}
