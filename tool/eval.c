/* Evaluation: resolve a graph for the current key values and target into
 * shared device instances in connect order, check it, and collect keys,
 * packages, runtime arguments and files from the selected branches. */
#include "engine.h"

#include <string.h>

struct eval {
    struct eng_graph *g;
    struct ptrvec nodes, node_sigs; /* interned instances */
    struct eng_node **memo;         /* by impl id */
    struct ptrvec order, keys, choices, chosen;
    /* The innermost if/match on a key other than the target's that the
     * resolution is under: what selected the nodes being made. */
    const impl *via;
};

static void add_key(struct eval *e, key *k)
{
    if (!pv_has(&e->keys, k))
        pv_push(&e->keys, k);
}

static struct eng_node *node_make(struct eval *e, impl *dev,
                                  struct eng_node **args, size_t nargs,
                                  struct eng_node **deps, size_t ndeps)
{
    struct strbuf s = {0};
    sb_printf(&s, "%u", dev->id);
    for (size_t i = 0; i < nargs; i++)
        sb_printf(&s, ",%p", (void *)args[i]);
    for (size_t i = 0; i < e->node_sigs.n; i++)
        if (strcmp(e->node_sigs.v[i], sb_str(&s)) == 0)
            return e->nodes.v[i];
    struct eng_node *n = arena_alloc(sizeof(*n));
    n->dev = dev;
    n->args = arena_memdup(args, nargs, sizeof(*args));
    n->nargs = nargs;
    n->deps = arena_memdup(deps, ndeps, sizeof(*deps));
    n->ndeps = ndeps;
    n->via = e->via;
    pv_push(&e->nodes, n);
    pv_push(&e->node_sigs, (void *)sb_str(&s));
    return n;
}

static struct eng_node *resolve(struct eval *e, impl *i);

static impl *choose(struct eval *e, impl *i)
{
    const char *v = key_text(i->v->k);
    add_key(e, i->v->k);
    impl *c = i->a;
    if (i->kind == IMPL_IF)
        c = strcmp(v, "true") == 0 ? i->a : i->b;
    for (size_t j = 0; i->kind == IMPL_MATCH && j < i->cases.n; j++)
        if (strcmp(i->cases.v[j].value, v) == 0)
            c = i->cases.v[j].impl;
    if (!pv_has(&e->choices, i)) {
        pv_push(&e->choices, i);
        pv_push(&e->chosen, c);
    }
    return c;
}

static struct eng_node *resolve_uncached(struct eval *e, impl *i)
{
    switch (i->kind) {
    case IMPL_IF:
    case IMPL_MATCH: {
        const impl *outer = e->via;
        if (i->v->k != target_key)
            e->via = i;
        struct eng_node *n = resolve(e, choose(e, i));
        e->via = outer;
        return n;
    }
    case IMPL_DEV: {
        size_t n = i->dev.extra_deps.n;
        struct eng_node **deps = arena_alloc((n + 1) * sizeof(*deps));
        for (size_t j = 0; j < n; j++)
            deps[j] = resolve(e, i->dev.extra_deps.v[j]);
        return node_make(e, i, NULL, 0, deps, n);
    }
    case IMPL_APP: {
        struct eng_node *f = resolve(e, i->fn);
        struct eng_node *x = resolve(e, i->arg);
        struct eng_node **args = arena_alloc((f->nargs + 1) * sizeof(*args));
        if (f->nargs)
            memcpy(args, f->args, f->nargs * sizeof(*args));
        args[f->nargs] = x;
        return node_make(e, f->dev, args, f->nargs + 1, f->deps, f->ndeps);
    }
    }
    return NULL;
}

static struct eng_node *resolve(struct eval *e, impl *i)
{
    if (!e->memo[i->id])
        e->memo[i->id] = resolve_uncached(e, i);
    return e->memo[i->id];
}

static bool is_job(const struct eng_node *n)
{
    return typ_equal(typ_after(n->dev->typ, n->nargs), job);
}

/* Post-order: dependencies first. state 1: in progress, 2: placed. */
static void visit(struct eval *e, struct eng_node *n)
{
    if (n->state)
        return;
    n->state = 1;
    for (size_t i = 0; i < n->nargs; i++)
        visit(e, n->args[i]);
    for (size_t i = 0; i < n->ndeps; i++) {
        if (is_job(n->deps[i]))
            eng_error(n->dev->file, n->dev->line,
                      "'%s' is a job and cannot be a dependency of '%s'",
                      n->deps[i]->dev->dev.name, n->dev->dev.name);
        visit(e, n->deps[i]);
    }
    n->state = 2;
    if (!is_job(n)) {
        n->index = (unsigned)e->order.n;
        pv_push(&e->order, n);
    }
}

static bool supported(const struct eng_node *n, const char *target)
{
    const str_list *t = &n->dev->dev.targets;
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->v[i], target) == 0)
            return true;
    return t->n == 0;
}

/* Checks and collection over one selected node. */
static void collect(struct eval *e, struct eng_node *n, struct ptrvec *pk,
                    struct ptrvec *ra, struct ptrvec *files)
{
    const struct eng_device *d = &n->dev->dev;
    if (!supported(n, e->g->target)) {
        struct strbuf s = {0};
        for (size_t i = 0; i < d->targets.n; i++)
            sb_printf(&s, "%s%s", i ? ", " : "", d->targets.v[i]);
        /* Selected by a key: the key's value is what the user chose. */
        const key *k = n->via ? n->via->v->k : NULL;
        if (k)
            eng_error(n->dev->file, n->dev->line,
                      "--%s=%s is %s%s%s: target '%s' does not support the "
                      "device it selects, %s",
                      k->name, key_text(k),
                      d->targets.n == 1 ? "" : "only for ", sb_str(&s),
                      d->targets.n == 1 ? "-only" : "", e->g->target, d->name);
        else
            eng_error(n->dev->file, n->dev->line,
                      "device '%s' is not supported on target '%s' "
                      "(supported: %s)",
                      d->name, e->g->target, sb_str(&s));
    }
    const char *platform[] = {d->net_device, d->block_device};
    for (size_t i = 0; i < 2; i++)
        if (platform[i] && target_has_manifest(e->g->target) &&
            !solo5_device_name(platform[i]))
            eng_error(n->dev->file, n->dev->line,
                      "device '%s': '%s' is not a device name on target "
                      "'%s' (1 to 67 letters and digits)",
                      d->name, platform[i], e->g->target);
    const typ *rest = typ_after(n->dev->typ, n->nargs);
    if (!rest->name)
        eng_error(n->dev->file, n->dev->line,
                  "'%s' is not fully applied: it still expects a %s", d->name,
                  typ_show(rest->arg));
    for (size_t i = 0; i < d->keys.n; i++)
        add_key(e, d->keys.v[i]);
    for (size_t i = 0; i < d->packages.n; i++)
        if (!pv_has(pk, d->packages.v[i]))
            pv_push(pk, d->packages.v[i]);
    for (size_t i = 0; i < d->files.n; i++)
        pv_push(files, (void *)d->files.v[i]);
    for (size_t i = 0; i < d->args.n; i++) {
        runtime_arg *a = d->args.v[i];
        if (pv_has(ra, a))
            continue;
        for (size_t j = 0; j < ra->n; j++) {
            runtime_arg *b = ra->v[j];
            if (strcmp(a->name, b->name) == 0)
                eng_error(a->file, a->line,
                          "duplicate runtime argument '--%s' (also defined "
                          "at %s:%d)",
                          a->name, b->file, b->line);
        }
        pv_push(ra, a);
    }
}

/* Two start functions with one name must have one type (one prototype). */
static void check_mains(const struct eng_graph *g)
{
    struct ptrvec mains = {0};
    for (size_t i = 0; i < g->norder + g->njobs; i++) {
        const impl *d =
            i < g->norder ? g->order[i]->dev : g->jobs[i - g->norder]->dev;
        if (!d->dev.is_main || pv_has(&mains, d))
            continue;
        for (size_t j = 0; j < mains.n; j++) {
            const impl *o = mains.v[j];
            if (strcmp(o->dev.name, d->dev.name) == 0 &&
                !typ_equal(o->typ, d->typ))
                eng_error(d->file, d->line,
                          "start function '%s' has type %s here but %s at "
                          "%s:%d",
                          d->dev.name, typ_show(d->typ), typ_show(o->typ),
                          o->file, o->line);
        }
        pv_push(&mains, (void *)d);
    }
}

/* Packages with the same name become one, with every bound and lib. */
static void merge_packages(struct eng_graph *g, struct ptrvec *pk)
{
    struct ptrvec out = {0};
    for (size_t i = 0; i < pk->n; i++) {
        package *p = pk->v[i], *m = NULL;
        for (size_t j = 0; j < out.n && !m; j++)
            if (strcmp(((package *)out.v[j])->name, p->name) == 0)
                m = out.v[j];
        if (!m) {
            m = arena_memdup(p, 1, sizeof(*p));
            pv_push(&out, m);
            continue;
        }
        struct ptrvec libs = {0}, bounds = {0};
        for (size_t j = 0; j < m->libs.n; j++)
            pv_push(&libs, (void *)m->libs.v[j]);
        for (size_t j = 0; j < p->libs.n; j++)
            pv_push(&libs, (void *)p->libs.v[j]);
        for (size_t j = 0; j < m->bounds.n; j++)
            pv_push(&bounds, (void *)m->bounds.v[j]);
        for (size_t j = 0; j < p->bounds.n; j++)
            pv_push(&bounds, (void *)p->bounds.v[j]);
        m->libs = (str_list){libs.n, (const char *const *)libs.v};
        m->bounds = (str_list){bounds.n, (const char *const *)bounds.v};
    }
    g->packages = (package **)out.v;
    g->npackages = out.n;
}

static bool check_root(const impl *i, const typ *want, const char *what,
                       const struct eng_app *app)
{
    if (!i) {
        if (eng_error_count() == 0)
            eng_error(app->file, app->line, "%s is NULL", what);
        return false;
    }
    if (typ_equal(i->typ, want))
        return true;
    eng_error(i->file, i->line, "%s '%s' has type %s, not %s", what,
              impl_head_name(i), typ_show(i->typ), typ_show(want));
    return false;
}

struct eng_graph *eng_eval(const struct eng_app *app)
{
    bool ok = eng_error_count() == 0;
    ok &= check_root(app->reporter, reporter_typ, "the reporter", app);
    ok &= check_root(app->argv, argv_typ, "the argv", app);
    for (size_t i = 0; i < app->jobs.n; i++)
        ok &= check_root(app->jobs.v[i], job, "the job", app);
    if (!ok)
        return NULL;

    struct eval e = {0};
    struct eng_graph *g = arena_alloc(sizeof(*g));
    e.g = g;
    e.memo = arena_alloc((eng_impl_count() + 1) * sizeof(*e.memo));
    g->app = app;
    g->target = key_text(target_key);
    add_key(&e, target_key);

    g->reporter = resolve(&e, app->reporter);
    visit(&e, g->reporter);
    g->argv = resolve(&e, app->argv);
    visit(&e, g->argv);
    g->nearly = e.order.n;
    for (size_t i = 0; i < g->nearly; i++) {
        const impl *d = ((struct eng_node *)e.order.v[i])->dev;
        if (d->dev.args.n)
            eng_error(d->file, d->line,
                      "'%s' is connected before the runtime arguments are "
                      "parsed (it is the reporter, the argv or one of their "
                      "dependencies) and cannot take runtime arguments",
                      d->dev.name);
    }
    g->njobs = app->jobs.n;
    g->jobs = arena_alloc((g->njobs + 1) * sizeof(*g->jobs));
    for (size_t i = 0; i < app->jobs.n; i++) {
        g->jobs[i] = resolve(&e, app->jobs.v[i]);
        g->jobs[i]->state = 0; /* a job shared by two entries runs twice */
        visit(&e, g->jobs[i]);
    }
    g->order = (struct eng_node **)e.order.v;
    g->norder = e.order.n;

    struct ptrvec pk = {0}, ra = {0}, files = {0};
    for (size_t i = 0; i < app->keys.n; i++)
        add_key(&e, app->keys.v[i]);
    for (size_t i = 0; i < app->packages.n; i++)
        if (!pv_has(&pk, app->packages.v[i]))
            pv_push(&pk, app->packages.v[i]);
    for (size_t i = 0; i < g->norder; i++)
        collect(&e, g->order[i], &pk, &ra, &files);
    struct ptrvec done = {0};
    for (size_t i = 0; i < g->njobs; i++)
        if (!pv_has(&done, g->jobs[i])) {
            pv_push(&done, g->jobs[i]);
            collect(&e, g->jobs[i], &pk, &ra, &files);
        }
    check_mains(g);
    merge_packages(g, &pk);
    g->keys = (key **)e.keys.v;
    g->nkeys = e.keys.n;
    g->args = (runtime_arg **)ra.v;
    g->nargs = ra.n;
    g->files = (const char **)files.v;
    g->nfiles = files.n;
    eng_collect_libraries(g);
    g->choices = (const impl **)e.choices.v;
    g->chosen = (const impl **)e.chosen.v;
    g->nchoices = e.choices.n;
    return eng_error_count() ? NULL : g;
}

/* What every branch reaches: the keys and the runtime arguments. */
struct reach {
    struct ptrvec seen, keys, args;
};

static void push_new(struct ptrvec *v, void *x)
{
    if (!pv_has(v, x))
        pv_push(v, x);
}

static void reach(const impl *i, struct reach *r)
{
    if (!i || pv_has(&r->seen, i))
        return;
    pv_push(&r->seen, (void *)i);
    switch (i->kind) {
    case IMPL_DEV:
        for (size_t j = 0; j < i->dev.keys.n; j++)
            push_new(&r->keys, i->dev.keys.v[j]);
        for (size_t j = 0; j < i->dev.args.n; j++)
            push_new(&r->args, i->dev.args.v[j]);
        for (size_t j = 0; j < i->dev.extra_deps.n; j++)
            reach(i->dev.extra_deps.v[j], r);
        break;
    case IMPL_APP:
        reach(i->fn, r);
        reach(i->arg, r);
        break;
    case IMPL_MATCH:
        for (size_t j = 0; j < i->cases.n; j++)
            reach(i->cases.v[j].impl, r);
        /* fall through */
    case IMPL_IF:
        push_new(&r->keys, i->v->k);
        reach(i->a, r);
        reach(i->b, r);
        break;
    }
}

static void reach_app(const struct eng_app *app, struct reach *r)
{
    reach(app->reporter, r);
    reach(app->argv, r);
    for (size_t i = 0; i < app->jobs.n; i++)
        reach(app->jobs.v[i], r);
}

size_t eng_reachable_args(const struct eng_app *app, runtime_arg ***out)
{
    struct reach r = {0};
    reach_app(app, &r);
    *out = (runtime_arg **)r.args.v;
    return r.args.n;
}

size_t eng_reachable_keys(const struct eng_app *app, key ***out)
{
    struct reach r = {0};
    struct ptrvec sorted = {0};
    reach_app(app, &r);
    struct ptrvec keys = r.keys;
    for (size_t i = 0; i < app->keys.n; i++)
        pv_push(&keys, app->keys.v[i]);
    /* In definition order, the target first. */
    for (size_t i = 0; i < eng_key_count(); i++)
        if (i == 0 || pv_has(&keys, eng_key_at(i)))
            pv_push(&sorted, eng_key_at(i));
    *out = (key **)sorted.v;
    return sorted.n;
}
