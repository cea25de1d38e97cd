/* Module types: the engine's base types (job, argv, reporter), functor
 * types (a @-> b), the types typ_new makes (the catalogue's and the
 * user's), equality and display. Also the engine's error list. */
#include "engine.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The engine's own types; the catalogue's are made with typ_new by
 * their families (lib/NAME/config.c). */
#define BASE(var, nm, ct, hd)                                                  \
    static struct mirage_typ var##_ = {nm, ct, hd, NULL, NULL};                \
    typ *const var = &var##_;
BASE(job, "job", "int", NULL)
BASE(argv_typ, "argv", "char **", NULL)
BASE(reporter_typ, "reporter", "struct mirage_reporter *", "mirage/reporter.h")
static struct mirage_typ *const core[] = {&job_, &argv_typ_, &reporter_typ_};

/* User types, for typ_new's interning. */
static struct ptrvec user_typs;
/* Recorded errors. */
static struct ptrvec errors;

void eng_error(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *msg = arena_alloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    va_end(ap);
    pv_push(&errors, file ? arena_printf("%s:%d: error: %s", file, line, msg)
                          : arena_printf("error: %s", msg));
}

size_t eng_error_count(void)
{
    return errors.n;
}

const char *eng_error_at(size_t i)
{
    return errors.v[i];
}

/* Defined by the other parts of the engine: they drop their tables. */
void key_reset(void);
void impl_reset(void);

void eng_reset(void)
{
    key_reset();
    impl_reset();
    user_typs = (struct ptrvec){0};
    errors = (struct ptrvec){0};
    arena_free_all();
}

bool typ_equal(const typ *a, const typ *b)
{
    if (a == b)
        return true;
    if (!a || !b || a->name || b->name)
        return false;
    return typ_equal(a->arg, b->arg) && typ_equal(a->res, b->res);
}

const char *typ_show(const typ *t)
{
    if (t->name)
        return t->name;
    const char *arg = typ_show(t->arg);
    return arena_printf(t->arg->name ? "%s -> %s" : "(%s) -> %s", arg,
                        typ_show(t->res));
}

const typ *typ_after(const typ *t, size_t n)
{
    for (; n > 0; n--) {
        if (t->name)
            return NULL;
        t = t->res;
    }
    return t;
}

size_t typ_arity(const typ *t)
{
    size_t n = 0;
    for (; !t->name; t = t->res)
        n++;
    return n;
}

typ *mirage_typ_fn_(const char *file, int line, typ *a, typ *b)
{
    eng_at(&file, &line);
    if (!a || !b)
        return NULL;
    if (!a->name) {
        eng_error(file, line,
                  "a functor argument must be a device type, not the "
                  "functor type %s",
                  typ_show(a));
        return NULL;
    }
    typ *t = arena_alloc(sizeof(*t));
    t->arg = a;
    t->res = b;
    t->ctype = b->ctype;
    return t;
}

typ *mirage_typ_new_(const char *name, const char *ctype,
                     struct mirage_typ_opts o)
{
    eng_at(&o.file_, &o.line_);
    if (!name || !*name || !ctype || !*ctype) {
        eng_error(o.file_, o.line_, "typ_new needs a name and a C type");
        return NULL;
    }
    for (size_t i = 0; i < sizeof(core) / sizeof(core[0]); i++)
        if (strcmp(core[i]->name, name) == 0) {
            eng_error(o.file_, o.line_,
                      "type '%s' is already defined by the engine", name);
            return NULL;
        }
    for (size_t i = 0; i < user_typs.n; i++) {
        typ *t = user_typs.v[i];
        if (strcmp(t->name, name) != 0)
            continue;
        if (strcmp(t->ctype, ctype) == 0)
            return t;
        eng_error(o.file_, o.line_,
                  "type '%s' is already defined with C type '%s'", name,
                  t->ctype);
        return NULL;
    }
    typ *t = arena_alloc(sizeof(*t));
    t->name = arena_strdup(name);
    t->ctype = arena_strdup(ctype);
    t->header = arena_strdup(o.header);
    pv_push(&user_typs, t);
    return t;
}
