/* time() of <time.h>, on the platform's wall clock. */
#include <mirage/plat.h>
#include <time.h>

time_t time(time_t *t)
{
    time_t now = (time_t)(plat_clock_wall() / 1000000000u);
    if (t)
        *t = now;
    return now;
}
