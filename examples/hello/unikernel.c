/* hello: the first unikernel. Logs "hello" four times, one second apart,
 * through the time device the configuration gives it. */
#include <mirage/log.h>
#include <mirage/time.h>

int hello_start(struct mirage_time *time)
{
    for (int i = 0; i < 4; i++) {
        mirage_log_info("hello");
        mirage_time_sleep_ns(time, MIRAGE_SEC(1));
    }
    return 0;
}
