/* hello-key: hello, with the greeting taken from a runtime argument. */
#include <mirage/config.h>

int main(int argc, char **argv)
{
    runtime_arg *hello = runtime_arg_string(
        "hello", "Hello World!", "How to say hello.", .docv = "TEXT");
    impl *m = mirage_main("hello_key_start", typ_fn(time_typ, job),
                          .runtime_args = args(hello));
    return mirage_register(argc, argv, "hello-key",
                           jobs(apply(m, default_time())));
}
