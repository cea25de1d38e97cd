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
