/* The burst test's unikernel (test/tcp/burst.sh): a small static web
 * server, as a new user would write it, over a crunch store of htdocs/
 * and the generic stack. */
#include <mirage/config.h>

int main(int argc, char **argv)
{
    impl *m =
        mirage_main("www_start", typ_fn(kv_ro_typ, typ_fn(stackv4v6_typ, job)));
    return mirage_register(
        argc, argv, "www",
        jobs(apply(m, crunch("htdocs"), generic_stackv4v6(default_network()))));
}
