/* The libraries an image links: rt (the runtime every image has) and the
 * libraries the selected devices declare (.libraries), with the libraries
 * those need, as lib/mirage/libraries lists them (written by the build
 * from each library's declaration in its module.mk). The generated
 * Makefile links exactly these, and the run-time configuration record
 * (<mirage/info.h>) lists them. */
#include "engine.h"

#include <stdlib.h>
#include <string.h>

long eng_read_libraries(const char *path, struct eng_library **out)
{
    char *text = read_file_text(path);
    if (!text)
        return -1;
    struct ptrvec libs = {0};
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        struct ptrvec words = {0};
        for (char *w = line; *w;) {
            size_t n = strcspn(w, " ");
            if (n)
                pv_push(&words, arena_printf("%.*s", (int)n, w));
            w += n + (w[n] == ' ');
        }
        if (!words.n)
            continue;
        struct eng_library *l = arena_alloc(sizeof *l);
        l->name = words.v[0];
        l->deps = (str_list){words.n - 1, (const char *const *)words.v + 1};
        pv_push(&libs, l);
    }
    struct eng_library *v = arena_alloc((libs.n + 1) * sizeof *v);
    for (size_t i = 0; i < libs.n; i++)
        v[i] = *(struct eng_library *)libs.v[i];
    *out = v;
    return (long)libs.n;
}

static const struct eng_library *find(const struct eng_app *app,
                                      const char *name)
{
    for (size_t i = 0; i < app->nlibs; i++)
        if (strcmp(app->libs[i].name, name) == 0)
            return &app->libs[i];
    return NULL;
}

static bool has(const struct ptrvec *v, const char *name)
{
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->v[i], name) == 0)
            return true;
    return false;
}

/* Add name and what it needs to out; false (after an error naming the
 * device d) when the installed libraries do not have it. */
static bool add(const struct eng_app *app, const impl *d, const char *name,
                struct ptrvec *out)
{
    if (has(out, name))
        return true;
    const struct eng_library *l = app->libs ? find(app, name) : NULL;
    if (app->libs && !l) {
        eng_error(d ? d->file : app->file, d ? d->line : app->line,
                  "device '%s' needs the library '%s', which is not "
                  "installed (no libmirage_%s.a)",
                  d ? d->dev.name : "rt", name, name);
        return false;
    }
    pv_push(out, (void *)name);
    for (size_t i = 0; l && i < l->deps.n; i++)
        if (!add(app, d, l->deps.v[i], out))
            return false;
    return true;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void eng_collect_libraries(struct eng_graph *g)
{
    struct ptrvec out = {0};
    bool ok = add(g->app, NULL, "rt", &out);
    for (size_t i = 0; ok && i < g->norder + g->njobs; i++) {
        const impl *d =
            i < g->norder ? g->order[i]->dev : g->jobs[i - g->norder]->dev;
        for (size_t j = 0; ok && j < d->dev.libraries.n; j++)
            ok = add(g->app, d, d->dev.libraries.v[j], &out);
    }
    qsort(out.v, out.n, sizeof *out.v, by_name);
    g->libraries = (const char **)out.v;
    g->nlibraries = out.n;
}
