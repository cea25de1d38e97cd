/* The clock's catalogue entries (<mirage/config/clock.h>): the connect
 * functions of <mirage/time.h> and <mirage/clock.h>, in
 * libmirage_clock.a. */
#include <mirage/config.h>

impl *mirage_default_time_(void)
{
    return impl("default_time", time_typ,
                .connect = "mirage_time_connect_default(&$out)",
                .headers = strs("mirage/time.h"), .libraries = strs("clock"));
}

impl *mirage_default_posix_clock_(void)
{
    return impl("default_posix_clock", pclock_typ,
                .connect = "mirage_pclock_connect_default(&$out)",
                .headers = strs("mirage/clock.h"), .libraries = strs("clock"));
}

impl *mirage_default_monotonic_clock_(void)
{
    return impl("default_monotonic_clock", mclock_typ,
                .connect = "mirage_mclock_connect_default(&$out)",
                .headers = strs("mirage/clock.h"), .libraries = strs("clock"));
}
