/* `mirage describe`: the configuration as text, or as a Graphviz graph of
 * the devices, functor applications and if/match choices (--dot). */
#include "engine.h"

#include <string.h>

static bool key_given(const key *k)
{
    return k->given != NULL;
}

static const char *node_label(const struct eng_node *n)
{
    struct strbuf b = {0};
    sb_printf(&b, "%s", n->dev->dev.name);
    if (n->nargs) {
        sb_add(&b, "(");
        for (size_t i = 0; i < n->nargs; i++)
            sb_printf(&b, "%s#%u", i ? ", " : "", n->args[i]->index);
        sb_add(&b, ")");
    }
    return sb_str(&b);
}

void describe_text(FILE *out, const struct eng_graph *g)
{
    fprintf(out, "Name       %s\nTarget     %s\nImage      %s\n", g->app->name,
            g->target, image_path(g));
    for (size_t i = 0; i < g->nkeys; i++)
        fprintf(out, "%-11s%s=%s (%s)\n", i ? "" : "Keys", g->keys[i]->name,
                key_text(g->keys[i]),
                key_given(g->keys[i]) ? "given" : "default");
    for (size_t i = 0; i < g->npackages; i++)
        fprintf(out, "%-11s%s\n", i ? "" : "Packages", g->packages[i]->name);
    for (size_t i = 0; i < g->norder; i++) {
        const struct eng_node *n = g->order[i];
        fprintf(out, "%-11s#%u %s : %s\n", i ? "" : "Devices", n->index,
                node_label(n), typ_show(typ_after(n->dev->typ, n->nargs)));
    }
    for (size_t i = 0; i < g->njobs; i++)
        fprintf(out, "%-11s%s\n", i ? "" : "Jobs", node_label(g->jobs[i]));
    for (size_t i = 0; i < g->nargs; i++)
        fprintf(out, "%-11s--%s\n", i ? "" : "Arguments", g->args[i]->name);
}

/* A DOT string literal. */
static const char *dot_str(const char *s)
{
    struct strbuf b = {0};
    sb_add(&b, "\"");
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            sb_add(&b, "\\");
        if (*s == '\n')
            sb_add(&b, "\\n");
        else
            sb_printf(&b, "%c", *s);
    }
    sb_add(&b, "\"");
    return sb_str(&b);
}

static const impl *chosen_of(const struct eng_graph *g, const impl *i)
{
    for (size_t j = 0; j < g->nchoices; j++)
        if (g->choices[j] == i)
            return g->chosen[j];
    return NULL;
}

static void edge(FILE *out, const impl *from, const impl *to, const char *label,
                 const char *style)
{
    fprintf(out, "  i%u -> i%u [label=%s%s];\n", from->id, to->id,
            dot_str(label), style);
}

static void dot_impl(FILE *out, const struct eng_graph *g, const impl *i,
                     struct ptrvec *seen)
{
    if (pv_has(seen, i))
        return;
    pv_push(seen, (void *)i);
    const impl *c = NULL;
    switch (i->kind) {
    case IMPL_DEV:
        fprintf(out, "  i%u [shape=box, label=%s];\n", i->id,
                dot_str(arena_printf("%s\n%s", i->dev.name, typ_show(i->typ))));
        for (size_t j = 0; j < i->dev.extra_deps.n; j++) {
            dot_impl(out, g, i->dev.extra_deps.v[j], seen);
            edge(out, i, i->dev.extra_deps.v[j], "dep", ", style=dashed");
        }
        break;
    case IMPL_APP:
        fprintf(out, "  i%u [shape=ellipse, label=\"$\"];\n", i->id);
        dot_impl(out, g, i->fn, seen);
        dot_impl(out, g, i->arg, seen);
        edge(out, i, i->fn, "functor", "");
        edge(out, i, i->arg, "argument", "");
        break;
    case IMPL_IF:
    case IMPL_MATCH:
        c = chosen_of(g, i);
        fprintf(
            out, "  i%u [shape=diamond, label=%s];\n", i->id,
            dot_str(arena_printf("%s %s", i->kind == IMPL_IF ? "if" : "match",
                                 i->v->k->name)));
        dot_impl(out, g, i->a, seen);
        edge(out, i, i->a, i->kind == IMPL_IF ? "true" : "default",
             c == i->a ? ", style=bold" : ", style=dotted");
        if (i->b) {
            dot_impl(out, g, i->b, seen);
            edge(out, i, i->b, "false",
                 c == i->b ? ", style=bold" : ", style=dotted");
        }
        for (size_t j = 0; j < i->cases.n; j++) {
            const impl *x = i->cases.v[j].impl;
            dot_impl(out, g, x, seen);
            edge(out, i, x, i->cases.v[j].value,
                 c == x ? ", style=bold" : ", style=dotted");
        }
        break;
    }
}

void describe_dot(FILE *out, const struct eng_graph *g)
{
    struct ptrvec seen = {0};
    fprintf(out, "digraph %s {\n  app [shape=doubleoctagon, label=%s];\n",
            dot_str(g->app->name), dot_str(g->app->name));
    const impl *roots[] = {g->app->reporter, g->app->argv};
    const char *labels[] = {"reporter", "argv"};
    for (size_t i = 0; i < 2; i++) {
        dot_impl(out, g, roots[i], &seen);
        fprintf(out, "  app -> i%u [label=%s];\n", roots[i]->id,
                dot_str(labels[i]));
    }
    for (size_t i = 0; i < g->app->jobs.n; i++) {
        dot_impl(out, g, g->app->jobs.v[i], &seen);
        fprintf(out, "  app -> i%u [label=\"job\"];\n", g->app->jobs.v[i]->id);
    }
    fprintf(out, "}\n");
}
