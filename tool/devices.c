/* The device catalogue of this release: consoles, time, clocks, random,
 * reporters, argv, noop, keys and app_info. Each is an ordinary device
 * whose connect code calls the connect function its header declares. */
#include "engine.h"

#include <string.h>

static impl *simple(const char *file, int line, const char *name, typ *t,
                    const char *connect, const char *header,
                    const char *library)
{
    struct eng_device dev = {
        .connect = connect,
        .headers = {header ? 1 : 0, &header},
        .libraries = {library ? 1 : 0, &library},
    };
    return make_device_(file, line, name, t, dev);
}

impl *mirage_default_console_(const char *file, int line)
{
    return simple(file, line, "default_console", console_typ,
                  "mirage_console_connect_default(&$$)", "mirage/console.h",
                  "console");
}

impl *mirage_custom_console_(const char *file, int line, const char *name)
{
    if (!name || !*name) {
        eng_error(file, line, "custom_console needs a name");
        return NULL;
    }
    struct strbuf c = {0};
    sb_add(&c, "mirage_console_connect_custom(&$$, ");
    sb_cstr(&c, name);
    sb_add(&c, ")");
    return simple(file, line, "custom_console", console_typ, sb_str(&c),
                  "mirage/console.h", "console");
}

impl *mirage_default_time_(const char *file, int line)
{
    return simple(file, line, "default_time", time_typ,
                  "mirage_time_connect_default(&$$)", "mirage/time.h", "clock");
}

impl *mirage_default_posix_clock_(const char *file, int line)
{
    return simple(file, line, "default_posix_clock", pclock_typ,
                  "mirage_pclock_connect_default(&$$)", "mirage/clock.h",
                  "clock");
}

impl *mirage_default_monotonic_clock_(const char *file, int line)
{
    return simple(file, line, "default_monotonic_clock", mclock_typ,
                  "mirage_mclock_connect_default(&$$)", "mirage/clock.h",
                  "clock");
}

impl *mirage_default_random_(const char *file, int line)
{
    return simple(file, line, "default_random", random_typ,
                  "mirage_random_connect_default(&$$)", "mirage/random.h",
                  "random");
}

impl *mirage_default_reporter_(struct mirage_reporter_opts o)
{
    static const char *const levels[] = {"quiet",   "app",  "error",
                                         "warning", "info", "debug"};
    static const char *const consts[] = {
        "MIRAGE_LOG_QUIET",   "MIRAGE_LOG_APP",  "MIRAGE_LOG_ERROR",
        "MIRAGE_LOG_WARNING", "MIRAGE_LOG_INFO", "MIRAGE_LOG_DEBUG"};
    const char *level = o.level ? o.level : "info";
    for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
        if (strcmp(levels[i], level) != 0)
            continue;
        if (o.clock && !typ_equal(o.clock->typ, pclock_typ)) {
            eng_error(o.file_, o.line_,
                      "type mismatch in application: default_reporter "
                      "expects a pclock but is given a %s",
                      typ_show(o.clock->typ));
            return NULL;
        }
        struct eng_device dev = {
            .connect =
                arena_printf("mirage_reporter_connect_default(&$$, %s, %s)",
                             o.clock ? "$0" : "NULL", consts[i]),
            .headers = {1, (const char *const[]){"mirage/reporter.h"}},
            .extra_deps = {o.clock ? 1 : 0, &o.clock},
            .log_level = levels[i],
        };
        return make_device_(o.file_, o.line_, "default_reporter", reporter_typ,
                            dev);
    }
    eng_error(o.file_, o.line_,
              "unknown log level '%s' (expected quiet, app, error, warning, "
              "info or debug)",
              level);
    return NULL;
}

impl *mirage_no_reporter_(const char *file, int line)
{
    return simple(file, line, "no_reporter", reporter_typ,
                  "mirage_reporter_connect_none(&$$)", "mirage/reporter.h",
                  NULL);
}

impl *mirage_default_argv_(const char *file, int line)
{
    return simple(file, line, "default_argv", argv_typ, "($$ = argv, 0)", NULL,
                  NULL);
}

impl *mirage_no_argv_(const char *file, int line)
{
    /* Only the program name: every runtime argument takes its default. */
    return simple(file, line, "no_argv", argv_typ,
                  "($$ = (char *[]){argv[0], NULL}, 0)", NULL, NULL);
}

impl *mirage_noop_(const char *file, int line)
{
    return simple(file, line, "noop", job, "0", NULL, NULL);
}

impl *mirage_keys_(const char *file, int line, impl *argv)
{
    if (!argv) {
        if (eng_error_count() == 0)
            eng_error(file, line, "keys: argv is NULL");
        return NULL;
    }
    if (!typ_equal(argv->typ, argv_typ)) {
        eng_error(file, line,
                  "type mismatch in application: keys expects a argv but is "
                  "given a %s",
                  typ_show(argv->typ));
        return NULL;
    }
    struct eng_device dev = {.extra_deps = {1, &argv}};
    return make_device_(file, line, "keys", job, dev);
}

impl *mirage_app_info_(const char *file, int line)
{
    return simple(file, line, "app_info", info_typ,
                  "mirage_info_connect_default(&$$)", "mirage/info.h", NULL);
}
