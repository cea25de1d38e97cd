/* The reporter devices (reporter.h): default_reporter sends logs to the
 * console reporter, no_reporter drops them. */
#include <mirage/error.h>
#include <mirage/log.h>
#include <mirage/reporter.h>
#include <stddef.h>

static struct mirage_reporter reporter;

int mirage_reporter_connect_default(struct mirage_reporter **out,
                                    struct mirage_pclock *clock,
                                    enum mirage_log_level level)
{
    if ((unsigned)level > MIRAGE_LOG_DEBUG)
        return MIRAGE_EINVAL;
    mirage_log_set_default_level(level);
    mirage_log_set_reporter(mirage_log_console_reporter, clock);
    reporter.enabled = 1;
    *out = &reporter;
    return 0;
}

int mirage_reporter_connect_none(struct mirage_reporter **out)
{
    mirage_log_set_reporter(NULL, NULL);
    reporter.enabled = 0;
    *out = &reporter;
    return 0;
}
