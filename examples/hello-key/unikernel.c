/* hello-key: logs the --hello runtime argument four times, one second
 * apart. mirage_arg_hello() is declared by the generated mirage/start.h. */
#include <mirage/log.h>
#include <mirage/time.h>

int hello_key_start(struct mirage_time *time)
{
    for (int i = 0; i < 4; i++) {
        mirage_log_info("%s", mirage_arg_hello());
        mirage_time_sleep_ns(time, MIRAGE_SEC(1));
    }
    return 0;
}
