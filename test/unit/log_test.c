/* Tests of logs (log.c, reporter.c): --logs specifications and their
 * errors, thresholds of sources registered before and after, message
 * formatting and truncation, the console reporter's format; and of the
 * error names (strerror.c). Linked with malloc wrapped to inject a
 * failure. */
#include "fake_plat.h"
#include "test.h"

#include <mirage/error.h>
#include <mirage/log.h>
#include <mirage/reporter.h>
#include <stdlib.h>
#include <string.h>

static bool fail_malloc;
void *__real_malloc(size_t n);

void *__wrap_malloc(size_t n)
{
    return fail_malloc ? NULL : __real_malloc(n);
}

MIRAGE_LOG_SRC(net_src, "net", "The network");
MIRAGE_LOG_SRC(tcp_src, "tcp", "TCP");
MIRAGE_LOG_SRC(late_src, "late", "Registered after --logs");

/* 2026-11-24T04:43:39 */
#define WALL 1795495419000000000ull

static const char *bad_spec(const char *spec)
{
    const char *why = NULL;
    if (mirage_log_check_spec(spec, &why) != MIRAGE_EINVAL)
        return "(accepted by check)";
    const char *why2 = NULL;
    if (mirage_log_set_levels(spec, &why2) != MIRAGE_EINVAL)
        return "(accepted by set)";
    return why2 && strcmp(why, why2) == 0 ? why : "(different reasons)";
}

TEST(spec_errors_are_named)
{
    const char *malformed = "malformed item (expected LEVEL or SRC:LEVEL)";
    const char *unknown = "unknown level (expected quiet, app, error, "
                          "warning, info or debug)";
    CHECK_STR(bad_spec(""), malformed);
    CHECK_STR(bad_spec("info,"), malformed);
    CHECK_STR(bad_spec(",info"), malformed);
    CHECK_STR(bad_spec("info,,debug"), malformed);
    CHECK_STR(bad_spec("a:b:debug"), malformed);
    CHECK_STR(bad_spec(":debug"), "empty source name");
    CHECK_STR(bad_spec("net:debug,:info"), "empty source name");
    CHECK_STR(bad_spec("bogus"), unknown);
    CHECK_STR(bad_spec("net:bogus"), unknown);
    CHECK_STR(bad_spec("net:"), unknown);
    CHECK_STR(bad_spec("INFO"), unknown);
    CHECK_STR(bad_spec("*:info,net:debugx"), unknown);
}

TEST(valid_specs_pass_the_check)
{
    const char *why = NULL;
    CHECK_INT(mirage_log_check_spec("*:info,net:debug", &why), 0);
    CHECK_INT(mirage_log_check_spec("quiet", &why), 0);
    CHECK_INT(mirage_log_check_spec("app,error,warning", &why), 0);
    CHECK(why == NULL);
    CHECK_INT(mirage_log_check_spec("bogus", NULL), MIRAGE_EINVAL);
    CHECK_INT(mirage_log_set_levels("bogus", NULL), MIRAGE_EINVAL);
}

TEST(thresholds_apply_to_sources_before_and_after)
{
    const char *why;
    mirage_log_set_default_level(MIRAGE_LOG_INFO);
    CHECK_INT(mirage_log_set_levels("info", &why), 0);
    CHECK(mirage_log_enabled(&net_src, MIRAGE_LOG_INFO)); /* registers */
    CHECK(!mirage_log_enabled(&net_src, MIRAGE_LOG_DEBUG));
    CHECK_INT(mirage_log_set_levels("*:warning,net:debug,tcp:error", &why), 0);
    CHECK_INT(net_src.level, MIRAGE_LOG_DEBUG);
    CHECK(mirage_log_enabled(&net_src, MIRAGE_LOG_DEBUG));
    CHECK(mirage_log_enabled(&tcp_src, MIRAGE_LOG_ERROR));
    CHECK(!mirage_log_enabled(&tcp_src, MIRAGE_LOG_WARNING));
    CHECK(mirage_log_enabled(&mirage_log_app_src, MIRAGE_LOG_WARNING));
    CHECK(!mirage_log_enabled(&mirage_log_app_src, MIRAGE_LOG_INFO));
    /* A bad spec changes nothing. */
    CHECK(mirage_log_set_levels("late:debug,bogus", &why) != 0);
    CHECK_INT(late_src.level, -1);
    /* Per-name settings hold for sources registered later; the last item
     * naming a source wins. */
    CHECK_INT(mirage_log_set_levels("late:debug,late:app", &why), 0);
    CHECK(mirage_log_enabled(&late_src, MIRAGE_LOG_APP));
    CHECK(!mirage_log_enabled(&late_src, MIRAGE_LOG_ERROR));
    /* Without a default item, the default level applies. */
    CHECK_INT(net_src.level, MIRAGE_LOG_INFO);
    mirage_log_set_default_level(MIRAGE_LOG_ERROR);
    CHECK_INT(net_src.level, MIRAGE_LOG_ERROR);
    CHECK_INT(late_src.level, MIRAGE_LOG_APP);
    CHECK_INT(mirage_log_set_levels("quiet", &why), 0);
    CHECK(!mirage_log_enabled(&net_src, MIRAGE_LOG_APP));
    CHECK(!mirage_log_enabled(&net_src, MIRAGE_LOG_QUIET));
    CHECK_INT(mirage_log_set_levels("debug", &why), 0);
    CHECK(!mirage_log_enabled(&net_src, MIRAGE_LOG_QUIET));
    CHECK(!mirage_log_enabled(&net_src, (enum mirage_log_level)9));
    mirage_log_set_default_level(MIRAGE_LOG_INFO);
}

TEST(set_levels_without_memory_changes_nothing)
{
    const char *why;
    CHECK_INT(mirage_log_set_levels("net:warning", &why), 0);
    fail_malloc = true;
    int err = mirage_log_set_levels("net:debug", &why);
    fail_malloc = false;
    CHECK_INT(err, MIRAGE_ENOMEM);
    CHECK_STR(why, "out of memory");
    CHECK(!mirage_log_enabled(&net_src, MIRAGE_LOG_INFO));
    CHECK_INT(mirage_log_set_levels("info", &why), 0);
}

TEST(level_names)
{
    const char *names[] = {"quiet", "app", "error", "warning", "info", "debug"};
    for (int l = 0; l <= MIRAGE_LOG_DEBUG; l++)
        CHECK_STR(mirage_log_level_name(l), names[l]);
    CHECK_STR(mirage_log_level_name((enum mirage_log_level)6), "unknown");
    CHECK_STR(mirage_log_level_name((enum mirage_log_level) - 1), "unknown");
}

TEST(console_reporter_format)
{
    const char *why;
    CHECK_INT(mirage_log_set_levels("info", &why), 0);
    mirage_log_set_reporter(mirage_log_console_reporter, NULL);
    fake_wall_ns = WALL;
    fake_console_capture(true);
    mirage_log_info("hello %d %s", 42, "world");
    mirage_log_src_warn(&net_src, "link down");
    mirage_log_src_err(&net_src, "e");
    mirage_log_app("a");
    mirage_log_debug("not shown");
    CHECK_STR(fake_console_text(),
              "2026-11-24T04:43:39-00:00: [INFO] [application] hello 42 "
              "world\n"
              "2026-11-24T04:43:39-00:00: [WARNING] [net] link down\n"
              "2026-11-24T04:43:39-00:00: [ERROR] [net] e\n"
              "2026-11-24T04:43:39-00:00: [APP] [application] a\n");
    fake_console_capture(false);
    fake_wall_ns = 0;
}

static const char *got_msg;
static char got_copy[2048];
static enum mirage_log_level got_level;
static struct mirage_log_src *got_src;
static int got_calls;

static void record(struct mirage_log_src *src, enum mirage_log_level l,
                   const char *msg, void *arg)
{
    got_src = src;
    got_level = l;
    got_msg = msg;
    snprintf(got_copy, sizeof got_copy, "%s%s", (const char *)arg, msg);
    got_calls++;
    mirage_log_info("from the reporter"); /* dropped, not recursive */
}

TEST(custom_reporter_and_truncation)
{
    char long_text[3000];
    memset(long_text, 'x', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    got_calls = 0;
    mirage_log_set_reporter(record, "arg:");
    mirage_log_src_info(&net_src, "n=%zu", (size_t)5);
    CHECK_INT(got_calls, 1);
    CHECK(got_src == &net_src);
    CHECK_INT(got_level, MIRAGE_LOG_INFO);
    CHECK_STR(got_copy, "arg:n=5");
    mirage_log_info("%s!", long_text);
    CHECK_INT(got_calls, 2);
    CHECK_INT(strlen(got_msg), 1023);
    CHECK(memcmp(got_msg, long_text, 1020) == 0);
    CHECK_STR(got_msg + 1020, "...");
    /* Exactly 1023 bytes fit without a cut. */
    long_text[1023] = '\0';
    mirage_log_info("%s", long_text);
    CHECK_STR(got_msg, long_text);
    mirage_log_set_reporter(NULL, NULL);
    mirage_log_info("dropped");
    CHECK_INT(got_calls, 3);
}

static uint64_t fixed_now(struct mirage_pclock *c)
{
    (void)c;
    return 86400ull * 1000000000ull + 5; /* 1970-01-02 */
}

static int32_t no_tz(struct mirage_pclock *c)
{
    (void)c;
    return 0;
}

TEST(reporter_devices)
{
    static const struct mirage_pclock_ops ops = {fixed_now, no_tz};
    struct mirage_pclock clock = {&ops};
    struct mirage_reporter *r = NULL;
    const char *why;
    CHECK_INT(mirage_log_set_levels("net:debug", &why), 0);
    CHECK_INT(mirage_reporter_connect_default(&r, &clock, MIRAGE_LOG_WARNING),
              0);
    CHECK(r && r->enabled);
    fake_console_capture(true);
    mirage_log_info("below the default level");
    mirage_log_src_debug(&net_src, "named");
    CHECK_STR(fake_console_text(),
              "1970-01-02T00:00:00-00:00: [DEBUG] [net] named\n");
    CHECK_INT(mirage_reporter_connect_none(&r), 0);
    CHECK(!r->enabled);
    mirage_log_src_debug(&net_src, "dropped");
    CHECK_STR(fake_console_text(),
              "1970-01-02T00:00:00-00:00: [DEBUG] [net] named\n");
    fake_console_capture(false);
    CHECK_INT(
        mirage_reporter_connect_default(&r, NULL, (enum mirage_log_level)6),
        MIRAGE_EINVAL);
    CHECK_INT(mirage_reporter_connect_default(&r, NULL, MIRAGE_LOG_INFO), 0);
    CHECK_INT(mirage_log_set_levels("info", &why), 0);
}

TEST(strerror_names_every_code)
{
    for (int e = MIRAGE_ERROR_MIN; e <= 0; e++) {
        CHECK(strcmp(mirage_strerror(e), "unknown error") != 0);
        for (int f = MIRAGE_ERROR_MIN; f < e; f++)
            CHECK(strcmp(mirage_strerror(e), mirage_strerror(f)) != 0);
    }
    CHECK_STR(mirage_strerror(MIRAGE_ETIMEDOUT), "timed out");
    CHECK_STR(mirage_strerror(1), "unknown error");
    CHECK_STR(mirage_strerror(MIRAGE_ERROR_MIN - 1), "unknown error");
}

int main(void)
{
    return test_main();
}
