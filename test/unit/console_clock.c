/* The console, clock and time devices (lib/console, lib/clock) on a fake
 * platform: names, formatted lines short and long, bad arguments, the
 * monotonic clock's origin and the wall clock. */
#include <mirage/clock.h>
#include <mirage/console.h>
#include <mirage/error.h>
#include <mirage/plat.h>
#include <mirage/time.h>
#include <stdlib.h>

#include "test.h"

/* The fake platform and scheduler. */
static char *written;
static size_t written_len;
static uint64_t mono_ns = 5000, wall_ns = 1700000000123456789ull;
static uint64_t slept_ns;

void plat_console_write(const char *buf, size_t len)
{
    written = realloc(written, written_len + len + 1);
    memcpy(written + written_len, buf, len);
    written_len += len;
    written[written_len] = 0;
}

uint64_t plat_clock_monotonic(void)
{
    return mono_ns;
}

uint64_t plat_clock_wall(void)
{
    return wall_ns;
}

void mirage_sleep_ns(uint64_t ns)
{
    slept_ns += ns;
}

static void clear_output(void)
{
    free(written);
    written = NULL;
    written_len = 0;
}

TEST(default_console_is_named_0)
{
    struct mirage_console *c;
    CHECK_INT(mirage_console_connect_default(&c), 0);
    CHECK_STR(c->name, "0");
    clear_output();
    CHECK_INT(mirage_console_write(c, "ab", 2), 0);
    CHECK_INT(mirage_console_write(c, "", 0), 0);
    CHECK_STR(written, "ab");
    CHECK_INT(mirage_console_write(c, NULL, 1), MIRAGE_EINVAL);
}

TEST(custom_console_keeps_its_own_name)
{
    struct mirage_console *c;
    char name[] = "serial";
    CHECK_INT(mirage_console_connect_custom(&c, name), 0);
    name[0] = 'X';
    CHECK_STR(c->name, "serial");
    clear_output();
    CHECK_INT(mirage_console_log(c, "%s=%d", "x", 42), 0);
    CHECK_STR(written, "x=42\n");
    free(c);
}

TEST(custom_console_needs_a_name)
{
    struct mirage_console *c = NULL;
    CHECK_INT(mirage_console_connect_custom(&c, NULL), MIRAGE_EINVAL);
    CHECK_INT(mirage_console_connect_custom(&c, ""), MIRAGE_EINVAL);
    CHECK(c == NULL);
}

/* Lines around and beyond the on-stack buffer are written whole. */
TEST(log_lines_of_every_length)
{
    struct mirage_console *c;
    CHECK_INT(mirage_console_connect_default(&c), 0);
    static char text[5001];
    memset(text, 'q', sizeof text - 1);
    for (size_t n = 0; n < sizeof text; n += n < 300 ? 1 : 997) {
        clear_output();
        CHECK_INT(mirage_console_log(c, "%.*s", (int)n, text), 0);
        CHECK_INT(written_len, n + 1);
        CHECK(written[n] == '\n');
        CHECK(n == 0 || written[n - 1] == 'q');
    }
    clear_output();
}

/* The host's vsnprintf fails on a wide character the "C" locale cannot
 * represent; nothing is written then. */
TEST(log_with_a_formatting_error)
{
    struct mirage_console *c;
    CHECK_INT(mirage_console_connect_default(&c), 0);
    clear_output();
    CHECK_INT(mirage_console_log(c, "%ls", L"\u00e9"), MIRAGE_EINVAL);
    CHECK_INT(written_len, 0);
}

TEST(mclock_counts_from_the_first_connect)
{
    struct mirage_mclock *a, *b;
    mono_ns = 1000000;
    CHECK_INT(mirage_mclock_connect_default(&a), 0);
    CHECK_INT(mirage_mclock_elapsed_ns(a), 0);
    mono_ns += 2500;
    CHECK_INT(mirage_mclock_connect_default(&b), 0);
    CHECK_INT(mirage_mclock_elapsed_ns(b), 2500);
    CHECK_INT(a->ops->period_ns(a), 0);
}

TEST(pclock_is_the_wall_clock_in_utc)
{
    struct mirage_pclock *p;
    CHECK_INT(mirage_pclock_connect_default(&p), 0);
    CHECK(mirage_pclock_now_ns(p) == wall_ns);
    CHECK_INT(p->ops->tz_offset_s(p), 0);
}

TEST(time_sleeps_on_the_scheduler)
{
    struct mirage_time *t;
    CHECK_INT(mirage_time_connect_default(&t), 0);
    slept_ns = 0;
    mirage_time_sleep_ns(t, 1234);
    CHECK_INT(slept_ns, 1234);
}

int main(void)
{
    return test_main();
}
