/* timeout: a deadline that wins against a slow operation. */
#include <mirage/config.h>

int main(int argc, char **argv)
{
    impl *m =
        mirage_main("timeout_start", typ_fn(time_typ, typ_fn(random_typ, job)));
    return mirage_register(argc, argv, "timeout",
                           jobs(apply(m, default_time(), default_random())));
}
