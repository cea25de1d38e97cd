/* The runtime's catalogue entries (<mirage/config/rt.h>): the reporters
 * (lib/rt/reporter.c), the command line, noop, keys and app_info (whose
 * record the generated main.c holds). Written with <mirage/config.h>
 * alone; compiled into the tool's configuration library. */
#include <mirage/config.h>
#include <string.h>

impl *mirage_default_reporter_(struct mirage_reporter_opts o)
{
    static const char *const levels[][2] = {
        {"quiet", "MIRAGE_LOG_QUIET"}, {"app", "MIRAGE_LOG_APP"},
        {"error", "MIRAGE_LOG_ERROR"}, {"warning", "MIRAGE_LOG_WARNING"},
        {"info", "MIRAGE_LOG_INFO"},   {"debug", "MIRAGE_LOG_DEBUG"}};
    const char *level = o.level ? o.level : "info";
    for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
        if (strcmp(levels[i][0], level) != 0)
            continue;
        /* The level is the connect function's parameter: the reporter sets
         * the default threshold, which --logs then overrides. */
        const char *connect =
            mirage_printf("mirage_reporter_connect_default(&$out, %s, %s)",
                          o.clock ? "$pclock" : "NULL", levels[i][1]);
        if (!o.clock)
            return impl("default_reporter", reporter_typ, .connect = connect,
                        .headers = strs("mirage/reporter.h"));
        /* With a clock: a functor over it, so its type is checked. */
        impl *r =
            impl("default_reporter", typ_fn(pclock_typ, reporter_typ),
                 .connect = connect, .headers = strs("mirage/reporter.h"));
        return apply(r, o.clock);
    }
    return mirage_fail("unknown log level '%s' (expected quiet, app, error, "
                       "warning, info or debug)",
                       level);
}

impl *mirage_no_reporter_(void)
{
    return impl("no_reporter", reporter_typ,
                .connect = "mirage_reporter_connect_none(&$out)",
                .headers = strs("mirage/reporter.h"));
}

/* argv is mirage_app_main's parameter in the generated main.c. */
impl *mirage_default_argv_(void)
{
    return impl("default_argv", argv_typ, .connect = "($out = argv, 0)");
}

impl *mirage_no_argv_(void)
{
    /* Only the program name: every runtime argument takes its default. */
    return impl("no_argv", argv_typ,
                .connect = "($out = (char *[]){argv[0], NULL}, 0)");
}

impl *mirage_noop_(void)
{
    return impl("noop", job, .connect = "0");
}

impl *mirage_keys_(impl *argv)
{
    /* A functor over argv, so its type is checked. */
    return apply(impl("keys", typ_fn(argv_typ, job)), argv);
}

impl *mirage_app_info_(void)
{
    return impl("app_info", info_typ,
                .connect = "mirage_info_connect_default(&$out)",
                .headers = strs("mirage/info.h"));
}
