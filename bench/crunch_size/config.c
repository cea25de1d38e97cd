/* crunch_size: the crunch benchmark's unikernel (bench/crunch.sh): the
 * directory data/ embedded with crunch. */
#include <mirage/config.h>

int main(int argc, char **argv)
{
    impl *m = mirage_main("crunch_size_start", typ_fn(kv_ro_typ, job));
    return mirage_register(argc, argv, "crunch_size",
                           jobs(apply(m, crunch("data"))));
}
