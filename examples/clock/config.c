/* clock: a speaking clock over the wall and monotonic clocks. */
#include <mirage/config.h>

int main(int argc, char **argv)
{
    runtime_arg *count = runtime_arg_int(
        "count", 5, "How many times to tell the time (0: for ever).",
        .docv = "N");
    impl *m = mirage_main(
        "clock_start",
        typ_fn(time_typ, typ_fn(pclock_typ, typ_fn(mclock_typ, job))),
        .runtime_args = args(count));
    return mirage_register(argc, argv, "clock",
                           jobs(apply(m, default_time(), default_posix_clock(),
                                      default_monotonic_clock())));
}
