/* hello: logs "hello" four times, one second apart. */
#include <mirage/config.h>

int main(int argc, char **argv)
{
    impl *hello = mirage_main("hello_start", typ_fn(time_typ, job));
    return mirage_register(argc, argv, "hello",
                           jobs(apply(hello, default_time())));
}
