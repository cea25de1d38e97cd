/* What catalogue entries are written with (<mirage/config.h>, "Writing
 * catalogue entries"): the place of the combinator's call, to which
 * everything made inside an entry is attributed, errors there, strings,
 * and the files and programs of configure actions. */
#include "engine.h"
#include "run.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The outermost entry's place, while depth > 0. */
static const char *entry_file;
static int entry_line;
static unsigned depth;

void mirage_enter(const char *file, int line)
{
    if (depth++ == 0) {
        entry_file = file;
        entry_line = line;
    }
}

impl *mirage_leave(impl *result)
{
    if (depth > 0)
        depth--;
    return result;
}

void eng_at(const char **file, int *line)
{
    if (depth > 0) {
        *file = entry_file;
        *line = entry_line;
    }
}

impl *mirage_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *msg = arena_vprintf(fmt, ap);
    va_end(ap);
    eng_error(depth ? entry_file : NULL, entry_line, "%s", msg);
    return NULL;
}

const char *mirage_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *s = arena_vprintf(fmt, ap);
    va_end(ap);
    return s;
}

const char *mirage_cstr(const char *s)
{
    struct strbuf b = {0};
    sb_cstr(&b, s ? s : "");
    return sb_str(&b);
}

bool mirage_impl_has_typ(const impl *i, typ *t)
{
    return i && typ_equal(i->typ, t);
}

const char *mirage_group_name(const char *group, const char *base)
{
    return group && *group ? arena_printf("%s-%s", group, base) : base;
}

const char *mirage_ident(const char *s, size_t max)
{
    struct strbuf b = {0};
    size_t kept = 0, len = strlen(s);
    for (const char *p = s; *p && kept < max; p++)
        if (isalnum((unsigned char)*p)) {
            sb_printf(&b, "%c", *p);
            kept++;
        }
    if (kept == len)
        return sb_str(&b);
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const char *p = s; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    sb_printf(&b, "%08" PRIx32, h);
    return sb_str(&b);
}

int mirage_write_file(const char *path, const char *content)
{
    return write_if_changed(path, content);
}

int mirage_run(char *const argv[])
{
    int rc = run_program(argv);
    if (rc != 0 && rc != 127)
        fprintf(stderr, "mirage: %s %s (status %d)\n", argv[0],
                rc < 0 ? "could not be run" : "failed", rc);
    return rc == 0 ? 0 : -1;
}
