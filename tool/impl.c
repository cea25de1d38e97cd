/* Implementations: user devices (impl), the application (mirage_main),
 * functor application with type checking, if_impl/match_impl, packages
 * and runtime arguments. Equal objects are one object (hash-consing), so
 * the graph keeps its sharing. */
#include "engine.h"

#include <inttypes.h>
#include <string.h>

/* The interning table: every impl with its structural signature. */
static struct ptrvec impls, sigs;
/* Packages and runtime arguments, interned the same way. */
static struct ptrvec pkgs, pkg_sigs, rargs, rarg_sigs;

void impl_reset(void)
{
    impls = sigs = pkgs = pkg_sigs = rargs = rarg_sigs = (struct ptrvec){0};
}

size_t eng_impl_count(void)
{
    return impls.n;
}

/* The existing object whose signature is sig, or NULL. */
static void *lookup(const struct ptrvec *objs, const struct ptrvec *ss,
                    const char *sig)
{
    for (size_t i = 0; i < ss->n; i++)
        if (strcmp(ss->v[i], sig) == 0)
            return objs->v[i];
    return NULL;
}

static impl *intern(impl *i, const char *sig)
{
    impl *old = lookup(&impls, &sigs, sig);
    if (old)
        return old;
    i->id = (unsigned)impls.n;
    pv_push(&impls, i);
    pv_push(&sigs, (void *)sig);
    return i;
}

/* A NULL input: an earlier error, or a plain mistake worth naming. */
static bool missing(const void *p, const char *file, int line, const char *what)
{
    if (p)
        return false;
    if (eng_error_count() == 0)
        eng_error(file, line, "%s is NULL", what);
    return true;
}

static const impl *head(const impl *i)
{
    while (i->kind != IMPL_DEV)
        i = i->kind == IMPL_APP ? i->fn : i->a;
    return i;
}

const char *impl_head_name(const impl *i)
{
    return head(i)->dev.name;
}

static void sig_strs(struct strbuf *b, str_list l)
{
    sb_add(b, "[");
    for (size_t i = 0; i < l.n; i++)
        sb_printf(b, "%zu:%s,", strlen(l.v[i]), l.v[i]);
    sb_add(b, "]");
}

static void sig_ptrs(struct strbuf *b, size_t n, void *const *v)
{
    sb_add(b, "[");
    for (size_t i = 0; i < n; i++)
        sb_printf(b, "%p,", v[i]);
    sb_add(b, "]");
}

static str_list copy_strs(str_list l)
{
    const char **v = arena_alloc((l.n + 1) * sizeof(*v));
    for (size_t i = 0; i < l.n; i++)
        v[i] = arena_strdup(l.v[i]);
    return (str_list){l.n, v};
}

#define COPY_LIST(T, l) ((T){(l).n, arena_memdup((l).v, (l).n, sizeof(*(l).v))})

/* Whether every element of a list is non-NULL (else an error). */
static bool all_present(size_t n, void *const *v, const char *file, int line,
                        const char *what)
{
    for (size_t i = 0; i < n; i++)
        if (missing(v[i], file, line, what))
            return false;
    return true;
}

/* The names of a device's dependencies in connect code: each functor
 * argument's and extra dependency's type name (as an identifier), in
 * order; a name several share is numbered in all of them ($block_1,
 * $block_2). */
static str_list dep_names(typ *t, impl_list extra)
{
    struct ptrvec base = {0};
    for (; !t->name; t = t->res)
        pv_push(&base, c_ident(t->arg->name));
    for (size_t i = 0; i < extra.n; i++)
        pv_push(&base,
                extra.v[i]->typ->name ? c_ident(extra.v[i]->typ->name) : "dep");
    const char **v = arena_alloc((base.n + 1) * sizeof *v);
    for (size_t i = 0; i < base.n; i++) {
        size_t same = 0, index = 0;
        for (size_t j = 0; j < base.n; j++)
            if (strcmp(base.v[i], base.v[j]) == 0 && (same++, j <= i))
                index = same;
        v[i] = same > 1 ? arena_printf("%s_%zu", (char *)base.v[i], index)
                        : base.v[i];
    }
    return (str_list){base.n, v};
}

static const char *dep_list(str_list names)
{
    struct strbuf b = {0};
    for (size_t i = 0; i < names.n; i++)
        sb_printf(&b, "%s$%s", i ? ", " : "", names.v[i]);
    return names.n ? sb_str(&b) : "none";
}

/* Check $out, $NAME and ${arg} in a connect template. */
static bool check_connect(const impl *d)
{
    bool is_job = typ_equal(typ_after(d->typ, typ_arity(d->typ)), job);
    const char *c = d->dev.connect;
    for (const char *p = c; (p = strchr(p, '$')) != NULL;) {
        size_t len = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz"
                                   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
        if (p[1] == '{') {
            const char *end = strchr(p, '}');
            size_t n = end ? (size_t)(end - p - 2) : 0;
            bool found = false;
            for (size_t i = 0; end && i < d->dev.args.n; i++)
                found |= strlen(d->dev.args.v[i]->name) == n &&
                         strncmp(d->dev.args.v[i]->name, p + 2, n) == 0;
            if (!found) {
                eng_error(d->file, d->line,
                          "connect code of '%s' uses %.*s, which is not one "
                          "of its runtime arguments",
                          d->dev.name, end ? (int)(end - p + 1) : 2, p);
                return false;
            }
            p = end + 1;
            continue;
        }
        if (len == 0) {
            eng_error(d->file, d->line,
                      "connect code of '%s' has a stray '$' (use $out, $TYPE "
                      "for a dependency or ${arg} for a runtime argument)",
                      d->dev.name);
            return false;
        }
        bool found = len == 3 && strncmp(p + 1, "out", 3) == 0;
        if (found && is_job) {
            eng_error(d->file, d->line,
                      "'%s' is a job: its connect code is the job's body, "
                      "which has no $out",
                      d->dev.name);
            return false;
        }
        for (size_t i = 0; !found && i < d->dev.dep_names.n; i++)
            found = strlen(d->dev.dep_names.v[i]) == len &&
                    strncmp(d->dev.dep_names.v[i], p + 1, len) == 0;
        if (!found) {
            eng_error(d->file, d->line,
                      "connect code of '%s' uses $%.*s, which names none of "
                      "its dependencies (it has: %s)",
                      d->dev.name, (int)len, p + 1, dep_list(d->dev.dep_names));
            return false;
        }
        p += 1 + len;
    }
    return true;
}

impl *make_device_(const char *file, int line, const char *name, typ *t,
                   struct eng_device dev)
{
    if (!name || !*name) {
        eng_error(file, line, "a device needs a name");
        return NULL;
    }
    if (missing(t, file, line, "the device's type"))
        return NULL;
    if (!all_present(dev.extra_deps.n, (void *const *)dev.extra_deps.v, file,
                     line, "an extra dependency") ||
        !all_present(dev.keys.n, (void *const *)dev.keys.v, file, line,
                     "a key") ||
        !all_present(dev.packages.n, (void *const *)dev.packages.v, file, line,
                     "a package") ||
        !all_present(dev.args.n, (void *const *)dev.args.v, file, line,
                     "a runtime argument"))
        return NULL;
    for (size_t i = 0; i < dev.files.n; i++)
        if (!relative_path(dev.files.v[i])) {
            eng_error(file, line,
                      "device '%s': the generated file '%s' must be a "
                      "relative path inside the application's directory",
                      name, dev.files.v[i] ? dev.files.v[i] : "(null)");
            return NULL;
        }
    for (size_t i = 0; i < dev.targets.n; i++) {
        key k = *target_key;
        const char *why;
        if (key_check_text(&k, dev.targets.v[i], &why) != 0) {
            eng_error(file, line, "device '%s': %s", name, why);
            return NULL;
        }
    }
    impl *d = arena_alloc(sizeof(*d));
    d->kind = IMPL_DEV;
    d->typ = t;
    d->file = file;
    d->line = line;
    d->dev = dev;
    d->dev.name = arena_strdup(name);
    d->dev.connect = arena_strdup(dev.connect ? dev.connect : "0");
    d->dev.headers = copy_strs(dev.headers);
    d->dev.files = copy_strs(dev.files);
    d->dev.configure_args = copy_strs(dev.configure_args);
    d->dev.targets = copy_strs(dev.targets);
    d->dev.libraries = copy_strs(dev.libraries);
    d->dev.dep_names = dep_names(t, dev.extra_deps);
    d->dev.net_device = arena_strdup(dev.net_device);
    d->dev.block_device = arena_strdup(dev.block_device);
    d->dev.packages = COPY_LIST(package_list, dev.packages);
    d->dev.keys = COPY_LIST(key_list_t, dev.keys);
    d->dev.args = COPY_LIST(arg_list, dev.args);
    d->dev.extra_deps = COPY_LIST(impl_list, dev.extra_deps);
    if (!d->dev.is_main && !check_connect(d))
        return NULL;

    struct strbuf s = {0};
    sb_printf(&s, "D|%zu:%s|%s|%d|%zu:%s|", strlen(name), name, typ_show(t),
              d->dev.is_main, strlen(d->dev.connect), d->dev.connect);
    sig_strs(&s, d->dev.headers);
    sig_strs(&s, d->dev.files);
    sig_strs(&s, d->dev.configure_args);
    sig_strs(&s, d->dev.targets);
    sig_strs(&s, d->dev.libraries);
    sb_printf(&s, "|%s|%s|", d->dev.net_device ? d->dev.net_device : "",
              d->dev.block_device ? d->dev.block_device : "");
    sig_ptrs(&s, dev.packages.n, (void *const *)dev.packages.v);
    sig_ptrs(&s, dev.keys.n, (void *const *)dev.keys.v);
    sig_ptrs(&s, dev.args.n, (void *const *)dev.args.v);
    sig_ptrs(&s, dev.extra_deps.n, (void *const *)dev.extra_deps.v);
    sb_printf(&s, "%" PRIxPTR, (uintptr_t)dev.configure);
    return intern(d, sb_str(&s));
}

impl *mirage_impl_(const char *name, typ *t, struct mirage_impl_opts o)
{
    eng_at(&o.file_, &o.line_);
    struct eng_device dev = {
        .connect = o.connect,
        .headers = o.headers,
        .packages = o.packages,
        .keys = o.keys,
        .args = o.runtime_args,
        .extra_deps = o.extra_deps,
        .configure = o.configure,
        .configure_args = o.configure_args,
        .files = o.files,
        .targets = o.targets,
        .libraries = o.libraries,
        .net_device = o.net_device,
        .block_device = o.block_device,
    };
    return make_device_(o.file_, o.line_, name, t, dev);
}

static bool c_identifier(const char *s)
{
    if (!s || !*s || (*s >= '0' && *s <= '9'))
        return false;
    return ident_chars(s);
}

impl *mirage_main_(const char *name, typ *t, struct mirage_main_opts o)
{
    eng_at(&o.file_, &o.line_);
    if (!c_identifier(name)) {
        eng_error(o.file_, o.line_,
                  "the start function's name must be a C identifier, not "
                  "'%s'",
                  name ? name : "(null)");
        return NULL;
    }
    if (missing(t, o.file_, o.line_, "the start function's type"))
        return NULL;
    struct ptrvec deps = {0};
    for (size_t i = 0; i < o.extra_deps.n; i++)
        pv_push(&deps, o.extra_deps.v[i]);
    for (size_t i = 0; i < o.deps.n; i++)
        pv_push(&deps, o.deps.v[i]);
    /* The call of the start function is generated (gen_main.c). */
    struct eng_device dev = {
        .is_main = true,
        .connect = name,
        .libraries = o.libraries,
        .packages = o.packages,
        .keys = o.keys,
        .args = o.runtime_args,
        .extra_deps = {deps.n, (impl *const *)deps.v},
    };
    return make_device_(o.file_, o.line_, name, t, dev);
}

impl *dep(impl *x)
{
    return x;
}

impl *mirage_apply_(const char *file, int line, impl *f, impl_list xs)
{
    eng_at(&file, &line);
    if (missing(f, file, line, "the applied functor"))
        return NULL;
    if (xs.n == 0) {
        eng_error(file, line, "apply of '%s' has no argument",
                  impl_head_name(f));
        return NULL;
    }
    for (size_t i = 0; i < xs.n; i++) {
        impl *x = xs.v[i];
        if (missing(x, file, line, "an argument"))
            return NULL;
        const impl *h = head(f);
        if (f->typ->name) {
            eng_error(file, line,
                      "too many arguments: '%s' has type %s and takes %zu "
                      "argument(s)",
                      h->dev.name, typ_show(h->typ), typ_arity(h->typ));
            return NULL;
        }
        if (!typ_equal(f->typ->arg, x->typ)) {
            eng_error(file, line,
                      "type mismatch in application: %s expects a %s but is "
                      "given a %s",
                      h->dev.name, typ_show(f->typ->arg), typ_show(x->typ));
            return NULL;
        }
        impl *a = arena_alloc(sizeof(*a));
        a->kind = IMPL_APP;
        a->typ = f->typ->res;
        a->file = file;
        a->line = line;
        a->fn = f;
        a->arg = x;
        f = intern(a, arena_printf("A|%u|%u", f->id, x->id));
    }
    return f;
}

impl *mirage_if_impl_(const char *file, int line, value *v, impl *a, impl *b)
{
    eng_at(&file, &line);
    if (missing(v, file, line, "the if_impl value") ||
        missing(a, file, line, "the if_impl 'then' branch") ||
        missing(b, file, line, "the if_impl 'else' branch"))
        return NULL;
    if (v->k->kind != KEY_BOOL) {
        eng_error(file, line,
                  "if_impl needs a bool key value, but key '%s' is a %s key",
                  v->k->name, key_kind_name(v->k->kind));
        return NULL;
    }
    if (!typ_equal(a->typ, b->typ)) {
        eng_error(file, line,
                  "if_impl branches have different types: %s and %s",
                  typ_show(a->typ), typ_show(b->typ));
        return NULL;
    }
    impl *i = arena_alloc(sizeof(*i));
    i->kind = IMPL_IF;
    i->typ = a->typ;
    i->file = file;
    i->line = line;
    i->v = v;
    i->a = a;
    i->b = b;
    return intern(i, arena_printf("I|%p|%u|%u", (void *)v->k, a->id, b->id));
}

impl *mirage_match_impl_(const char *file, int line, value *v, impl *def,
                         case_list cases)
{
    eng_at(&file, &line);
    if (missing(v, file, line, "the match_impl value") ||
        missing(def, file, line, "the match_impl default"))
        return NULL;
    struct strbuf s = {0};
    sb_printf(&s, "M|%p|%u", (void *)v->k, def->id);
    for (size_t i = 0; i < cases.n; i++) {
        const struct mirage_case *c = &cases.v[i];
        const char *why;
        if (missing(c->value, file, line, "a match_case value") ||
            missing(c->impl, file, line, "a match_case implementation"))
            return NULL;
        if (key_check_text(v->k, c->value, &why) != 0) {
            eng_error(file, line, "match_impl: %s", why);
            return NULL;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(cases.v[j].value, c->value) == 0) {
                eng_error(file, line, "match_impl: duplicate case '%s'",
                          c->value);
                return NULL;
            }
        if (!typ_equal(c->impl->typ, def->typ)) {
            eng_error(file, line,
                      "match_impl case '%s' has type %s but the default has "
                      "type %s",
                      c->value, typ_show(c->impl->typ), typ_show(def->typ));
            return NULL;
        }
        sb_printf(&s, "|%zu:%s=%u", strlen(c->value), c->value, c->impl->id);
    }
    impl *m = arena_alloc(sizeof(*m));
    m->kind = IMPL_MATCH;
    m->typ = def->typ;
    m->file = file;
    m->line = line;
    m->v = v;
    m->a = def;
    struct mirage_case *cv = arena_alloc((cases.n + 1) * sizeof(*cv));
    for (size_t i = 0; i < cases.n; i++)
        cv[i] = (struct mirage_case){arena_strdup(cases.v[i].value),
                                     cases.v[i].impl};
    m->cases = (case_list){cases.n, cv};
    return intern(m, sb_str(&s));
}

package *mirage_package_(const char *name, struct mirage_package_opts o)
{
    eng_at(&o.file_, &o.line_);
    if (!name || !*name || strpbrk(name, " \t\n,()")) {
        eng_error(o.file_, o.line_, "invalid package name '%s'",
                  name ? name : "(null)");
        return NULL;
    }
    struct strbuf s = {0};
    sb_printf(&s, "%s|%s|%s|", name, o.min ? o.min : "", o.max ? o.max : "");
    sig_strs(&s, o.libs);
    package *p = lookup(&pkgs, &pkg_sigs, sb_str(&s));
    if (p)
        return p;
    p = arena_alloc(sizeof(*p));
    p->name = arena_strdup(name);
    p->libs = copy_strs(o.libs);
    const char *b[2];
    size_t n = 0;
    if (o.min)
        b[n++] = arena_printf(">= %s", o.min);
    if (o.max)
        b[n++] = arena_printf("<< %s", o.max);
    p->bounds = copy_strs((str_list){n, b});
    pv_push(&pkgs, p);
    pv_push(&pkg_sigs, (void *)sb_str(&s));
    return p;
}

static runtime_arg *make_arg(const char *name, enum arg_kind kind,
                             const char *def, const char *doc,
                             struct mirage_arg_opts o)
{
    eng_at(&o.file_, &o.line_);
    static const char *const builtin[] = {"logs", "delay", "busy-poll", "name",
                                          "help"};
    if (!valid_option_name(name)) {
        eng_error(o.file_, o.line_,
                  "invalid runtime argument name '%s' (expected lower-case "
                  "letters, digits, '-' and '_')",
                  name ? name : "(null)");
        return NULL;
    }
    for (size_t i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++)
        if (strcmp(builtin[i], name) == 0) {
            eng_error(o.file_, o.line_, "runtime argument '--%s' is built in",
                      name);
            return NULL;
        }
    runtime_arg a = {
        .name = arena_strdup(name),
        .kind = kind,
        .def = arena_strdup(def),
        .doc = arena_strdup(doc ? doc : ""),
        .docv = arena_strdup(o.docv ? o.docv : "VALUE"),
        .section = arena_strdup(o.section ? o.section : "APPLICATION OPTIONS"),
        .file = o.file_,
        .line = o.line_,
    };
    const char *sig =
        arena_printf("%s|%d|%s|%s|%s|%s", a.name, kind, def ? def : "\x01",
                     a.doc, a.docv, a.section);
    runtime_arg *r = lookup(&rargs, &rarg_sigs, sig);
    if (r)
        return r;
    r = arena_memdup(&a, 1, sizeof(a));
    pv_push(&rargs, r);
    pv_push(&rarg_sigs, (void *)sig);
    return r;
}

runtime_arg *mirage_runtime_arg_string_(const char *name, const char *def,
                                        const char *doc,
                                        struct mirage_arg_opts o)
{
    return make_arg(name, ARG_STRING, def, doc, o);
}

runtime_arg *mirage_runtime_arg_int_(const char *name, int64_t def,
                                     const char *doc, struct mirage_arg_opts o)
{
    return make_arg(name, ARG_INT, arena_printf("%" PRId64, def), doc, o);
}

runtime_arg *mirage_runtime_arg_bool_(const char *name, bool def,
                                      const char *doc, struct mirage_arg_opts o)
{
    return make_arg(name, ARG_BOOL, def ? "true" : "false", doc, o);
}
