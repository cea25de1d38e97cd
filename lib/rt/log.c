/* Logs (log.h): source registration, thresholds from --logs, message
 * formatting into a bounded buffer, and the console reporter. */
#include "internal.h"

#include <mirage/clock.h>
#include <mirage/error.h>
#include <mirage/log.h>
#include <mirage/plat.h>
#include <stdlib.h>
#include <string.h>

/* Longer messages are cut and end with "...". */
#define MSG_MAX 1024
/* A console line: timestamp, level, source name and the message. */
#define LINE_MAX (MSG_MAX + 128)

struct mirage_log_src mirage_log_app_src = {
    "application", "The application's own messages", -1, NULL};

static struct mirage_log_src *sources;
static enum mirage_log_level base_level = MIRAGE_LOG_INFO;
static char *spec; /* the last accepted --logs specification, or NULL */
static mirage_log_reporter reporter = mirage_log_console_reporter;
static void *reporter_arg;
static bool reporting; /* a message is being reported right now */

static const char *const level_names[] = {
    "quiet", "app", "error", "warning", "info", "debug",
};
static const char *const level_tags[] = {
    "QUIET", "APP", "ERROR", "WARNING", "INFO", "DEBUG",
};

const char *mirage_log_level_name(enum mirage_log_level l)
{
    if ((unsigned)l > MIRAGE_LOG_DEBUG)
        return "unknown";
    return level_names[l];
}

static int parse_level(const char *s, size_t len)
{
    for (int l = MIRAGE_LOG_QUIET; l <= MIRAGE_LOG_DEBUG; l++)
        if (strlen(level_names[l]) == len &&
            memcmp(s, level_names[l], len) == 0)
            return l;
    return -1;
}

/* One item of a specification: src is NULL for the default ("LEVEL" or
 * "*:LEVEL"). */
typedef void (*item_fn)(void *ctx, const char *src, size_t src_len, int level);

/* Check every item of s, then, when all are valid, pass them to fn in
 * order (fn may be NULL). Returns 0 or MIRAGE_EINVAL with *why set. */
static int walk_spec(const char *s, item_fn fn, void *ctx, const char **why)
{
    for (int pass = 0; pass < (fn ? 2 : 1); pass++) {
        const char *item = s;
        for (;;) {
            const char *end = strchr(item, ',');
            if (!end)
                end = item + strlen(item);
            const char *colon = memchr(item, ':', (size_t)(end - item));
            const char *lv = colon ? colon + 1 : item;
            if (end == item || (colon && memchr(lv, ':', (size_t)(end - lv)))) {
                *why = "malformed item (expected LEVEL or SRC:LEVEL)";
                return MIRAGE_EINVAL;
            }
            if (colon == item) {
                *why = "empty source name";
                return MIRAGE_EINVAL;
            }
            int level = parse_level(lv, (size_t)(end - lv));
            if (level < 0) {
                *why = "unknown level (expected quiet, app, error, "
                       "warning, info or debug)";
                return MIRAGE_EINVAL;
            }
            if (pass == 1) {
                bool all = !colon || (colon - item == 1 && *item == '*');
                fn(ctx, all ? NULL : item, all ? 0 : (size_t)(colon - item),
                   level);
            }
            if (!*end)
                break;
            item = end + 1;
        }
    }
    return 0;
}

struct lookup {
    const char *name;
    int by_default, by_name; /* -1: not given */
};

static void lookup_item(void *ctx, const char *src, size_t len, int level)
{
    struct lookup *k = ctx;
    if (!src)
        k->by_default = level;
    else if (strlen(k->name) == len && memcmp(k->name, src, len) == 0)
        k->by_name = level;
}

/* The threshold of the source called name: its own item in the spec,
 * else the spec's default, else the base level. Later items win. */
static int level_for(const char *name)
{
    struct lookup k = {name, -1, -1};
    const char *why;
    if (spec)
        walk_spec(spec, lookup_item, &k, &why);
    if (k.by_name >= 0)
        return k.by_name;
    return k.by_default >= 0 ? k.by_default : (int)base_level;
}

static void update_sources(void)
{
    for (struct mirage_log_src *s = sources; s; s = s->next)
        s->level = level_for(s->name);
}

int mirage_log_check_spec(const char *value, const char **why)
{
    const char *ignored;
    return walk_spec(value, NULL, NULL, why ? why : &ignored);
}

int mirage_log_set_levels(const char *value, const char **why)
{
    const char *ignored;
    if (!why)
        why = &ignored;
    int err = walk_spec(value, NULL, NULL, why);
    if (err)
        return err;
    size_t len = strlen(value) + 1;
    char *copy = malloc(len);
    if (!copy) {
        *why = "out of memory";
        return MIRAGE_ENOMEM;
    }
    memcpy(copy, value, len);
    free(spec);
    spec = copy;
    update_sources();
    return 0;
}

void mirage_log_set_default_level(enum mirage_log_level l)
{
    base_level = l;
    update_sources();
}

enum mirage_log_level mirage_log_default_level(void)
{
    return base_level;
}

bool mirage_log_enabled(struct mirage_log_src *src, enum mirage_log_level l)
{
    if (src->level < 0) {
        src->next = sources;
        sources = src;
        src->level = level_for(src->name);
    }
    return l != MIRAGE_LOG_QUIET && (int)l <= src->level;
}

void mirage_log_set_reporter(mirage_log_reporter fn, void *arg)
{
    reporter = fn;
    reporter_arg = arg;
}

/* A bounded text buffer: output beyond its size is counted, not kept. */
struct text {
    char *buf;
    size_t size, len; /* len may exceed size - 1 */
};

static void text_put(void *ctx, const char *s, size_t n)
{
    struct text *t = ctx;
    if (t->len < t->size - 1) {
        size_t room = t->size - 1 - t->len;
        memcpy(t->buf + t->len, s, n < room ? n : room);
    }
    t->len += n;
}

/* Terminate the text; a cut text ends with "...". */
static size_t text_end(struct text *t)
{
    if (t->len < t->size)
        t->buf[t->len] = '\0';
    else {
        t->len = t->size - 1;
        memcpy(t->buf + t->len - 3, "...", 4);
    }
    return t->len;
}

void mirage_log_vmsg(struct mirage_log_src *src, enum mirage_log_level l,
                     const char *fmt, va_list ap)
{
    static char msg[MSG_MAX];
    if (!mirage_log_enabled(src, l) || !reporter || reporting)
        return;
    struct text t = {msg, sizeof msg, 0};
    rt_vformat(text_put, &t, fmt, ap);
    text_end(&t);
    reporting = true;
    reporter(src, l, msg, reporter_arg);
    reporting = false;
}

void mirage_log_msg(struct mirage_log_src *src, enum mirage_log_level l,
                    const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mirage_log_vmsg(src, l, fmt, ap);
    va_end(ap);
}

static void text_puts(struct text *t, const char *s)
{
    text_put(t, s, strlen(s));
}

void mirage_log_console_reporter(struct mirage_log_src *src,
                                 enum mirage_log_level l, const char *msg,
                                 void *arg)
{
    static char line[LINE_MAX];
    struct mirage_pclock *clock = arg;
    char stamp[26];
    mirage_time_rfc3339(clock ? mirage_pclock_now_ns(clock) : plat_clock_wall(),
                        stamp);
    struct text t = {line, sizeof line - 1, 0};
    text_puts(&t, stamp);
    text_puts(&t, ": [");
    text_puts(&t, (unsigned)l <= MIRAGE_LOG_DEBUG ? level_tags[l] : "?");
    text_puts(&t, "] [");
    text_puts(&t, src->name);
    text_puts(&t, "] ");
    text_puts(&t, msg);
    size_t len = text_end(&t);
    line[len++] = '\n';
    plat_console_write(line, len);
}
