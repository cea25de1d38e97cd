/* heads: two fibers interleaving (the skeleton's lwt heads example). */
#include <mirage/config.h>

int main(int argc, char **argv)
{
    impl *m = mirage_main("heads_start", typ_fn(time_typ, job));
    return mirage_register(argc, argv, "heads", jobs(apply(m, default_time())));
}
