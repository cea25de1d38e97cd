/* fiber_spawn: the cost of starting and joining a fiber (bench/fibers.sh). */
#include <mirage/config.h>

int main(int argc, char **argv)
{
    runtime_arg *n =
        runtime_arg_int("n", 100000, "Fibers to run.", .docv = "N");
    runtime_arg *burst = runtime_arg_int(
        "burst", 1, "Fibers alive at once (spawned, then joined).",
        .docv = "K");
    impl *m = mirage_main("fiber_spawn_start", typ_fn(time_typ, job),
                          .runtime_args = args(n, burst));
    return mirage_register(argc, argv, "fiber_spawn",
                           jobs(apply(m, default_time())));
}
