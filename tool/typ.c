/* Module types: the catalogue's base types, functor types (a @-> b),
 * user types, equality and display. Also the engine's error list. */
#include "engine.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define BASE(var, nm, ct, hd)                                                  \
    static struct mirage_typ var##_ = {nm, ct, hd, NULL, NULL};                \
    typ *const var = &var##_;
BASE(job, "job", "int", NULL)
BASE(time_typ, "time", "struct mirage_time *", "mirage/time.h")
BASE(console_typ, "console", "struct mirage_console *", "mirage/console.h")
BASE(pclock_typ, "pclock", "struct mirage_pclock *", "mirage/clock.h")
BASE(mclock_typ, "mclock", "struct mirage_mclock *", "mirage/clock.h")
BASE(random_typ, "random", "struct mirage_random *", "mirage/random.h")
BASE(reporter_typ, "reporter", "struct mirage_reporter *", "mirage/reporter.h")
BASE(argv_typ, "argv", "char **", NULL)
BASE(info_typ, "info", "struct mirage_info *", "mirage/info.h")
BASE(block_typ, "block", "struct mirage_block *", NULL)
BASE(kv_ro_typ, "kv_ro", "struct mirage_kv_ro *", NULL)
BASE(kv_rw_typ, "kv_rw", "struct mirage_kv_rw *", NULL)
BASE(fs_typ, "fs", "struct mirage_fs *", NULL)
BASE(network_typ, "network", "struct mirage_net *", NULL)
BASE(ethernet_typ, "ethernet", "struct mirage_ethernet *", NULL)
BASE(arpv4_typ, "arpv4", "struct mirage_arp *", NULL)
BASE(ipv4_typ, "ipv4", "struct mirage_ipv4 *", NULL)
BASE(ipv6_typ, "ipv6", "struct mirage_ipv6 *", NULL)
BASE(ipv4v6_typ, "ipv4v6", "struct mirage_ip *", NULL)
BASE(udpv4v6_typ, "udpv4v6", "struct mirage_udp *", NULL)
BASE(tcpv4v6_typ, "tcpv4v6", "struct mirage_tcp *", NULL)
BASE(stackv4_typ, "stackv4", "struct mirage_stack *", NULL)
BASE(stackv6_typ, "stackv6", "struct mirage_stackv6 *", NULL)
BASE(stackv4v6_typ, "stackv4v6", "struct mirage_stack *", NULL)
BASE(resolver_typ, "resolver", "struct mirage_resolver *", NULL)
BASE(conduit_typ, "conduit", "struct mirage_conduit *", NULL)
BASE(http_typ, "http", "struct mirage_http *", NULL)
BASE(syslog_typ, "syslog", "struct mirage_syslog *", NULL)

static struct mirage_typ *const catalogue[] = {
    &job_,          &time_typ_,    &console_typ_,  &pclock_typ_,
    &mclock_typ_,   &random_typ_,  &reporter_typ_, &argv_typ_,
    &info_typ_,     &block_typ_,   &kv_ro_typ_,    &kv_rw_typ_,
    &fs_typ_,       &network_typ_, &ethernet_typ_, &arpv4_typ_,
    &ipv4_typ_,     &ipv6_typ_,    &ipv4v6_typ_,   &udpv4v6_typ_,
    &tcpv4v6_typ_,  &stackv4_typ_, &stackv6_typ_,  &stackv4v6_typ_,
    &resolver_typ_, &conduit_typ_, &http_typ_,     &syslog_typ_,
};

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
    if (!name || !*name || !ctype || !*ctype) {
        eng_error(o.file_, o.line_, "typ_new needs a name and a C type");
        return NULL;
    }
    for (size_t i = 0; i < sizeof(catalogue) / sizeof(catalogue[0]); i++)
        if (strcmp(catalogue[i]->name, name) == 0) {
            eng_error(o.file_, o.line_,
                      "type '%s' is already defined by the catalogue", name);
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
