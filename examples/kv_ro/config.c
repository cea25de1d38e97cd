/* kv_ro: reads the key "secret" from a read-only store of the directory
 * t/, chosen with --kv_ro=crunch|direct|archive. */
#include <mirage/config.h>

int main(int argc, char **argv)
{
    impl *m = mirage_main("kv_ro_start", typ_fn(kv_ro_typ, job));
    return mirage_register(argc, argv, "kv_ro",
                           jobs(apply(m, generic_kv_ro("t"))));
}
