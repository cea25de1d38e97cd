/* clock: tells the wall-clock time and the time since boot once a second,
 * --count times (0: for ever). */
#include <mirage/clock.h>
#include <mirage/log.h>
#include <mirage/time.h>

int clock_start(struct mirage_time *time, struct mirage_pclock *pclock,
                struct mirage_mclock *mclock)
{
    int64_t count = mirage_arg_count();
    if (count < 0) {
        mirage_log_err("--count must not be negative");
        return 1;
    }
    for (int64_t i = 0; count == 0 || i < count; i++) {
        char now[32];
        uint64_t up = mirage_mclock_elapsed_ns(mclock);
        mirage_time_rfc3339(mirage_pclock_now_ns(pclock), now);
        mirage_log_info("The time is now %s (%llu.%03llu s since boot)", now,
                        (unsigned long long)(up / 1000000000u),
                        (unsigned long long)(up / 1000000u % 1000u));
        mirage_time_sleep_ns(time, MIRAGE_SEC(1));
    }
    return 0;
}
