/* The random device's catalogue entry (<mirage/config/random.h>): the
 * connect function of <mirage/random.h>, in libmirage_random.a. */
#include <mirage/config.h>

impl *mirage_default_random_(void)
{
    return impl("default_random", random_typ,
                .connect = "mirage_random_connect_default(&$out)",
                .headers = strs("mirage/random.h"),
                .libraries = strs("random"));
}

impl *mirage_rng_(struct mirage_rng_opts o)
{
    impl *time = o.time ? o.time : default_time();
    impl *mclock = o.mclock ? o.mclock : default_monotonic_clock();
    return impl("rng", random_typ,
                .connect = "mirage_random_connect_rng(&$out, $time, $mclock)",
                .headers = strs("mirage/random.h"), .libraries = strs("random"),
                .extra_deps = deps(time, mclock));
}
