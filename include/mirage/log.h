/* Logs: named sources with levels, and one reporter that prints them.
 *
 * Levels follow MirageOS's Logs library: a message is shown when its level
 * is at or above the source's threshold in this order of importance:
 * app > error > warning > info > debug; "quiet" shows nothing. The
 * `-l/--logs` runtime argument sets thresholds ("*:info,net:debug").
 * No call here yields. */
#ifndef MIRAGE_LOG_H
#define MIRAGE_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

enum mirage_log_level {
    MIRAGE_LOG_QUIET = 0, /* only as a threshold */
    MIRAGE_LOG_APP = 1,
    MIRAGE_LOG_ERROR = 2,
    MIRAGE_LOG_WARNING = 3,
    MIRAGE_LOG_INFO = 4,
    MIRAGE_LOG_DEBUG = 5,
};

/* A log source. Define one per library or module with MIRAGE_LOG_SRC; it
 * registers itself on first use and takes the threshold --logs gives it. */
struct mirage_log_src {
    const char *name;
    const char *doc;
    int level; /* threshold; -1 until registered */
    struct mirage_log_src *next;
};
#define MIRAGE_LOG_SRC(var, name, doc)                                         \
    static struct mirage_log_src var = {name, doc, -1, 0}

/* The source of the application's own messages ("application"). */
extern struct mirage_log_src mirage_log_app_src;

bool mirage_log_enabled(struct mirage_log_src *src, enum mirage_log_level l);
void mirage_log_msg(struct mirage_log_src *src, enum mirage_log_level l,
                    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void mirage_log_vmsg(struct mirage_log_src *src, enum mirage_log_level l,
                     const char *fmt, va_list ap);

#define mirage_log_src_app(src, ...)                                           \
    mirage_log_msg(src, MIRAGE_LOG_APP, __VA_ARGS__)
#define mirage_log_src_err(src, ...)                                           \
    mirage_log_msg(src, MIRAGE_LOG_ERROR, __VA_ARGS__)
#define mirage_log_src_warn(src, ...)                                          \
    mirage_log_msg(src, MIRAGE_LOG_WARNING, __VA_ARGS__)
#define mirage_log_src_info(src, ...)                                          \
    mirage_log_msg(src, MIRAGE_LOG_INFO, __VA_ARGS__)
#define mirage_log_src_debug(src, ...)                                         \
    mirage_log_msg(src, MIRAGE_LOG_DEBUG, __VA_ARGS__)
/* Shorthands for the application source. */
#define mirage_log_app(...) mirage_log_src_app(&mirage_log_app_src, __VA_ARGS__)
#define mirage_log_err(...) mirage_log_src_err(&mirage_log_app_src, __VA_ARGS__)
#define mirage_log_warn(...)                                                   \
    mirage_log_src_warn(&mirage_log_app_src, __VA_ARGS__)
#define mirage_log_info(...)                                                   \
    mirage_log_src_info(&mirage_log_app_src, __VA_ARGS__)
#define mirage_log_debug(...)                                                  \
    mirage_log_src_debug(&mirage_log_app_src, __VA_ARGS__)

/* Parse and apply a --logs specification: comma-separated "LEVEL" (the
 * default for every source) or "SRC:LEVEL" items, SRC "*" meaning all;
 * LEVEL is quiet, app, error, warning, info or debug. A source takes the
 * level of the last item naming it, else of the last default item, else
 * the default level below; this holds for sources registered later too.
 * Each call replaces the previous specification (which it copies).
 * Returns 0, or MIRAGE_EINVAL (malformed item, empty source name, unknown
 * level) or MIRAGE_ENOMEM, leaving the thresholds unchanged and pointing
 * *why (unless why is NULL) at a static description of the first problem.
 * Does not yield. */
int mirage_log_set_levels(const char *spec, const char **why);
/* Only check a specification: 0, or MIRAGE_EINVAL with *why set as above.
 * Usable as the `check` of the --logs runtime argument (args.h). */
int mirage_log_check_spec(const char *spec, const char **why);
/* The threshold used for sources --logs does not name (default info). */
void mirage_log_set_default_level(enum mirage_log_level l);
enum mirage_log_level mirage_log_default_level(void);
/* "quiet", "app", "error", "warning", "info", "debug"; "unknown" for
 * values outside the enumeration. */
const char *mirage_log_level_name(enum mirage_log_level l);

/* The reporter receives each enabled message, formatted (at most 1023
 * bytes: longer ones are cut and end with "..."), without a trailing
 * newline. It must not log itself (such messages are dropped). NULL
 * disables reporting (no_reporter). Until this is called, messages go to
 * mirage_log_console_reporter with the platform wall clock. */
typedef void (*mirage_log_reporter)(struct mirage_log_src *src,
                                    enum mirage_log_level l, const char *msg,
                                    void *arg);
void mirage_log_set_reporter(mirage_log_reporter fn, void *arg);
/* The console reporter: "2026-01-01T10:00:00-00:00: [INFO] [src] msg\n"
 * in one console write, in UTC. arg is NULL (timestamps from the platform
 * wall clock) or the struct mirage_pclock * to read the time from. */
void mirage_log_console_reporter(struct mirage_log_src *src,
                                 enum mirage_log_level l, const char *msg,
                                 void *arg);

#endif
