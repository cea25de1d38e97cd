/* The console's catalogue entries (<mirage/config/console.h>): the
 * connect functions of <mirage/console.h>, in libmirage_console.a. */
#include <mirage/config.h>

impl *mirage_default_console_(void)
{
    return impl("default_console", console_typ,
                .connect = "mirage_console_connect_default(&$out)",
                .headers = strs("mirage/console.h"),
                .libraries = strs("console"));
}

impl *mirage_custom_console_(const char *name)
{
    if (!name || !*name)
        return mirage_fail("custom_console needs a name");
    return impl(
        "custom_console", console_typ,
        .connect = mirage_printf("mirage_console_connect_custom(&$out, %s)",
                                 mirage_cstr(name)),
        .headers = strs("mirage/console.h"), .libraries = strs("console"));
}
