/* The random device's catalogue entry (<mirage/config/random.h>): the
 * connect function of <mirage/random.h>, in libmirage_random.a. */
#include <mirage/config.h>

typ *mirage_random_typ(void)
{
    return typ_new("random", "struct mirage_random *",
                   .header = "mirage/random.h");
}

impl *mirage_default_random_(void)
{
    return impl("default_random", random_typ,
                .connect = "mirage_random_connect_default(&$out)",
                .headers = strs("mirage/random.h"),
                .libraries = strs("random"));
}
