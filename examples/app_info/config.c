/* app_info: the configuration, read back at run time. */
#include <mirage/config.h>

int main(int argc, char **argv)
{
    impl *m = mirage_main("app_info_start",
                          typ_fn(console_typ, typ_fn(info_typ, job)));
    return mirage_register(argc, argv, "app_info",
                           jobs(apply(m, default_console(), app_info())));
}
