/* The runtime's devices (lib/rt, entries in lib/rt/config.c): where the
 * logs go, the command line, jobs that only wait for the command line or
 * do nothing, and the configuration at run time. Part of
 * <mirage/config.h>; include that. */
#ifndef MIRAGE_CONFIG_RT_H
#define MIRAGE_CONFIG_RT_H

/* info_typ: struct mirage_info * (<mirage/info.h>). */
#define info_typ                                                               \
    typ_new("info", "struct mirage_info *", .header = "mirage/info.h")

/* default_reporter(...): logs go to the console. Options: .level, the
 * default threshold ("app", "error", "warning", "info" (default),
 * "debug" or "quiet"; the default of the runtime argument --logs, which
 * overrides it); .clock, a pclock device for the timestamps (default:
 * the platform wall clock, as default_posix_clock()). The reporter and
 * its clock are connected before the runtime arguments are parsed, so
 * they cannot take any.
 * Example: default_reporter(.level = "debug", .clock = default_posix_clock())
 * no_reporter(): the logs are dropped.
 * Example: no_reporter() */
struct mirage_reporter_opts {
    const char *file_;
    int line_;
    const char *level;
    impl *clock;
};
#define default_reporter(...)                                                  \
    MIRAGE_ENTRY_(mirage_default_reporter_((struct mirage_reporter_opts){      \
        .file_ = __FILE__, .line_ = __LINE__, __VA_ARGS__}))
#define no_reporter() MIRAGE_ENTRY_(mirage_no_reporter_())

/* default_argv(): the unikernel's command line. no_argv(): none (every
 * runtime argument takes its default). Connected before the runtime
 * arguments are parsed.
 * Example: default_argv()
 * Example: no_argv() */
#define default_argv() MIRAGE_ENTRY_(mirage_default_argv_())
#define no_argv()      MIRAGE_ENTRY_(mirage_no_argv_())

/* noop(): a job that does nothing and succeeds.
 * Job example: noop()
 * keys(argv): a job that only needs argv parsed (MirageOS's `keys argv`).
 * Job example: keys(no_argv()) */
#define noop()     MIRAGE_ENTRY_(mirage_noop_())
#define keys(argv) MIRAGE_ENTRY_(mirage_keys_(argv))

/* app_info(): the configuration, at run time (<mirage/info.h>): name,
 * target, configure arguments, the libraries linked, the packages and
 * the keys.
 * Example: app_info() */
#define app_info() MIRAGE_ENTRY_(mirage_app_info_())

impl *mirage_default_reporter_(struct mirage_reporter_opts o);
impl *mirage_no_reporter_(void);
impl *mirage_default_argv_(void);
impl *mirage_no_argv_(void);
impl *mirage_noop_(void);
impl *mirage_keys_(impl *argv);
impl *mirage_app_info_(void);

#endif
