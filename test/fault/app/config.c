/* The stack overflow test unikernel (test/fault/overflow.sh): --mode
 * chooses a deliberate overflow of a fiber's stack ("fiber"), a TCP
 * listen handler that keeps 100 KB on its 64 KiB stack ("tcp"), or the
 * same handler on a stack chosen large enough ("tcp-big"). */
#include <mirage/config.h>

int main(int argc, char **argv)
{
    runtime_arg *mode = runtime_arg_string(
        "mode", "fiber", "fiber, tcp or tcp-big.", .docv = "MODE");
    runtime_arg *port =
        runtime_arg_int("port", 8080, "The TCP port.", .docv = "PORT");
    impl *m = mirage_main("overflow_start", typ_fn(stackv4v6_typ, job),
                          .runtime_args = args(mode, port));
    return mirage_register(
        argc, argv, "overflow",
        jobs(apply(m, generic_stackv4v6(default_network()))));
}
