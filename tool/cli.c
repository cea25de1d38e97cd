/* mirage_register(): the configuration program's command line. It runs
 * one subcommand (configure, build, clean, describe, query; any with
 * --help) for the registered application, in the application directory
 * (the `mirage` tool starts it there with MIRAGE_ROOT set to its
 * installation root and MIRAGE_CONFIG_FILE to config.c's name).
 *
 * Configure-time arguments: -t/--target, -o/--output, and every key the
 * graph reaches (--KEY=VALUE or --KEY VALUE; a bool key alone means
 * true). `configure` caches them in mirage/context, one per line; build,
 * clean, describe, query and configure --cached start from the cache and
 * apply their own arguments on top. A configure (or build) that fails
 * removes the Makefile and the cache, so nothing stale gets built. */
#include "appdir.h"
#include "commands.h"
#include "engine.h"
#include "run.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct cli {
    const struct command *cmd;
    const char *root;
    bool dry_run, dot, help, cached;
    bool made;           /* build: configured, make started */
    const char *what;    /* query's subject */
    struct ptrvec saved; /* normalised arguments, for the cache */
    key **keys;          /* the keys the command line accepts */
    size_t nkeys;
    runtime_arg **args; /* the runtime arguments, for a helpful error */
    size_t nargs;
};

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Set while clean reads the cache: a stale cache must not stop it. */
static bool quiet;

static int fail(const char *fmt, ...)
{
    va_list ap;
    if (quiet)
        return 1;
    va_start(ap, fmt);
    fprintf(stderr, "mirage: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    return 1;
}

static bool is(const struct cli *c, const char *cmd)
{
    return strcmp(c->cmd->name, cmd) == 0;
}

static bool valid_name(const char *s)
{
    if (!s || !*s || *s == '.' || *s == '-')
        return false;
    for (; *s; s++)
        if (!(*s == '_' || *s == '-' || *s == '.' || (*s >= 'a' && *s <= 'z') ||
              (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
            return false;
    return true;
}

static key *find_key(const struct cli *c, const char *name, size_t len)
{
    for (size_t i = 0; i < c->nkeys; i++)
        if (strlen(c->keys[i]->name) == len &&
            strncmp(c->keys[i]->name, name, len) == 0)
            return c->keys[i];
    return NULL;
}

static int set_key(struct cli *c, key *k, const char *v, bool save)
{
    const char *why;
    if (eng_set_key(k, v, &why) != 0)
        return fail("%s", why);
    if (save)
        pv_push(&c->saved, arena_printf("--%s=%s", k->name, v));
    return 0;
}

/* The error for --NAME[=VALUE] that is no configure key. */
static int unknown_option(const struct cli *c, const struct eng_app *app,
                          const char *a, size_t len, const char *value)
{
    for (size_t i = 0; i < c->nargs; i++) {
        if (strlen(c->args[i]->name) != len ||
            strncmp(c->args[i]->name, a + 2, len) != 0)
            continue;
        const char *t = key_text(target_key);
        const char *runner = target_runner(t);
        return fail("'--%s' is a runtime argument of the unikernel, not a "
                    "configure key: give it when the image runs, e.g. "
                    "%s%sdist/%s%s --%s=%s",
                    c->args[i]->name, runner, *runner ? " " : "./", app->output,
                    target_suffix(t), c->args[i]->name,
                    value ? value : c->args[i]->docv);
    }
    return fail("unknown option '%.*s' (see 'mirage %s --help')", (int)len + 2,
                a, c->cmd->name);
}

/* Parse args[0..n-1]. save: remember them for the cache. */
static int parse_args(struct cli *c, struct eng_app *app, size_t n, char **args,
                      bool save)
{
    bool configure = is(c, "configure");
    for (size_t i = 0; i < n; i++) {
        const char *a = args[i];
        const char *next = i + 1 < n ? args[i + 1] : NULL;
        if (strcmp(a, "--help") == 0) {
            c->help = true;
        } else if (strcmp(a, "--dry-run") == 0 && configure) {
            c->dry_run = true;
        } else if (strcmp(a, "--cached") == 0 && configure) {
            c->cached = true;
        } else if (strcmp(a, "--dot") == 0 && is(c, "describe")) {
            c->dot = true;
        } else if (strcmp(a, "-t") == 0 || strcmp(a, "--target") == 0) {
            if (!next)
                return fail("option '%s' needs a value", a);
            i++;
            if (set_key(c, target_key, next, save))
                return 1;
        } else if (strncmp(a, "-t", 2) == 0 && a[2] != '-') {
            if (set_key(c, target_key, a + 2, save))
                return 1;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 ||
                   strncmp(a, "--output=", 9) == 0) {
            const char *v = a[1] == 'o' || !a[8] ? next : a + 9;
            if (v == next)
                i++;
            if (!v || !valid_name(v))
                return fail("option '%s' needs a file name%s%s",
                            a[1] == 'o' ? "-o" : "--output", v ? ", not " : "",
                            v ? v : "");
            app->output = v;
            if (save)
                pv_push(&c->saved, arena_printf("--output=%s", v));
        } else if (strncmp(a, "--", 2) == 0) {
            const char *eq = strchr(a, '=');
            size_t len = eq ? (size_t)(eq - a - 2) : strlen(a) - 2;
            key *k = find_key(c, a + 2, len);
            if (!k)
                return unknown_option(c, app, a, len,
                                      eq                     ? eq + 1
                                      : next && *next != '-' ? next
                                                             : NULL);
            const char *v = eq ? eq + 1 : NULL;
            if (!v && k->kind == KEY_BOOL) {
                v = "true";
            } else if (!v) {
                if (!next)
                    return fail("option '%s' needs a value", a);
                v = next;
                i++;
            }
            if (set_key(c, k, v, save))
                return 1;
        } else if (is(c, "query") && !c->what) {
            c->what = a;
        } else {
            return fail("unexpected argument '%s' (see 'mirage %s --help')", a,
                        c->cmd->name);
        }
    }
    return 0;
}

/* The cache: one argument per line, '\' and newline escaped. */
static const char *context_text(const struct cli *c)
{
    struct strbuf b = {0};
    for (size_t i = 0; i < c->saved.n; i++) {
        for (const char *p = c->saved.v[i]; *p; p++)
            sb_add(&b, *p == '\\'   ? "\\\\"
                       : *p == '\n' ? "\\n"
                                    : (char[]){*p, 0});
        sb_add(&b, "\n");
    }
    return sb_str(&b);
}

/* The cached arguments; NULL when not configured. */
static char **load_context(size_t *n)
{
    char *text = read_file_text(APPDIR_CONTEXT);
    if (!text)
        return NULL;
    struct ptrvec v = {0};
    for (char *line = text; *line;) {
        char *end = strchr(line, '\n');
        if (end)
            *end = 0;
        char *w = line;
        for (char *r = line; *r; r++) {
            if (*r == '\\' && r[1])
                r++, *w++ = *r == 'n' ? '\n' : *r;
            else
                *w++ = *r;
        }
        *w = 0;
        pv_push(&v, line);
        line = end ? end + 1 : line + strlen(line);
    }
    *n = v.n;
    pv_push(&v, NULL);
    return (char **)v.v;
}

static const char *kind_docv(const key *k)
{
    if (k->kind == KEY_ENUM) {
        struct strbuf b = {0};
        for (size_t i = 0; i < k->values.n; i++)
            sb_printf(&b, "%s%s", i ? "|" : "", k->values.v[i]);
        return sb_str(&b);
    }
    return k->kind == KEY_INT ? "INT" : k->kind == KEY_BOOL ? "BOOL" : "STRING";
}

static void usage(const struct cli *c, const struct eng_app *app)
{
    command_help(stdout, c->cmd, app->name);
    for (size_t i = 0; i < c->nkeys; i++) {
        const key *k = c->keys[i];
        printf("  %s--%s=%s\n      %s (default: %s%s%s)\n",
               k == target_key ? "-t TARGET, " : "", k->name, kind_docv(k),
               k->doc, k->kind == KEY_STRING ? "\"" : "", k->def,
               k->kind == KEY_STRING ? "\"" : "");
    }
}

static int cmd_build(const struct eng_graph *g, struct cli *c)
{
    if (configure_write(g, c->root, context_text(c), false))
        return 1;
    char *const make[] = {"make", NULL};
    c->made = true;
    int rc = run_program(make);
    if (rc < 0)
        return fail("cannot start make: %s", strerror(errno));
    return rc == 0 ? 0 : fail("the build of %s failed", g->app->name);
}

static int cmd_query(const struct eng_graph *g, const struct cli *c)
{
    const char *w = c->what ? c->what : "";
    if (strcmp(w, "packages") == 0) {
        for (size_t i = 0; i < g->npackages; i++) {
            const package *p = g->packages[i];
            printf("%s", p->name);
            for (size_t j = 0; j < p->bounds.n; j++)
                printf("%s%s", j ? ", " : " (", p->bounds.v[j]);
            printf("%s\n", p->bounds.n ? ")" : "");
        }
    } else if (strcmp(w, "files") == 0) {
        const char **f;
        size_t n = configure_files(g, &f);
        for (size_t i = 0; i < n; i++)
            printf("%s\n", f[i]);
    } else if (strcmp(w, "Makefile") == 0) {
        fputs(gen_makefile(g, c->root), stdout);
    } else if (strcmp(w, "main") == 0) {
        fputs(gen_main_c(g), stdout);
    } else if (strcmp(w, "start") == 0) {
        fputs(gen_start_h(g), stdout);
    } else if (strcmp(w, "manifest") == 0) {
        if (!target_has_manifest(g->target))
            return fail("target '%s' has no manifest", g->target);
        fputs(gen_manifest_json(g), stdout);
    } else {
        return fail("query needs one of packages, files, Makefile, main, "
                    "start, manifest%s%s",
                    *w ? ", not " : "", w);
    }
    return 0;
}

static int print_errors(void)
{
    for (size_t i = 0; i < eng_error_count(); i++)
        fprintf(stderr, "%s\n", eng_error_at(i));
    return 1;
}

static const char *joined(const struct ptrvec *v)
{
    struct strbuf b = {0};
    sb_add(&b, "configure");
    for (size_t i = 0; i < v->n; i++)
        sb_printf(&b, " %s", (const char *)v->v[i]);
    return sb_str(&b);
}

/* .sources: relative paths or patterns make can use, outside the
 * build's own directories; .cflags: one line each. */
static void check_build_options(const struct mirage_register_opts *o)
{
    for (size_t i = 0; i < o->sources.n; i++) {
        const char *s = o->sources.v[i];
        if (!relative_path(s) || strpbrk(s, " \t\n$#:\\") ||
            strncmp(s, "mirage/", 7) == 0 || strncmp(s, "dist/", 5) == 0)
            eng_error(o->file_, o->line_,
                      "bad source '%s' (expected a path or pattern relative "
                      "to the application, outside mirage/ and dist/, "
                      "without blanks, '$', '#', ':' or '\\')",
                      s ? s : "(null)");
    }
    for (size_t i = 0; i < o->cflags.n; i++)
        if (!o->cflags.v[i] || strchr(o->cflags.v[i], '\n'))
            eng_error(o->file_, o->line_,
                      "bad compiler flag (a flag is one line of text)");
}

/* The subcommand c on app; its exit status. */
static int run(struct cli *c, struct eng_app *app, int argc, char **argv)
{
    c->nkeys = eng_reachable_keys(app, &c->keys);
    c->nargs = eng_reachable_args(app, &c->args);

    bool configure = is(c, "configure");
    size_t ncached = 0;
    char **cached = NULL;
    /* configure starts afresh unless --cached is among its arguments. */
    for (int i = 2; configure && i < argc; i++)
        c->cached |= strcmp(argv[i], "--cached") == 0;
    if (!configure || c->cached)
        cached = load_context(&ncached);
    if ((is(c, "build") || c->cached) && !cached)
        return fail("%s is not configured: run 'mirage configure' first",
                    app->name);
    quiet = is(c, "clean");
    bool stale = cached && parse_args(c, app, ncached, cached, true);
    quiet = false;
    if (stale && !is(c, "clean"))
        return fail("the cached configuration (%s) no longer applies: run "
                    "'mirage configure' again",
                    APPDIR_CONTEXT);
    if (parse_args(c, app, (size_t)argc - 2, argv + 2, configure))
        return 1;
    if (c->help) {
        usage(c, app);
        return 0;
    }
    if (is(c, "build") && argc > 2)
        return fail("build takes no arguments: it uses the cached "
                    "configuration (%s)",
                    APPDIR_CONTEXT);
    app->configure_args = joined(&c->saved);
    const char *libs = arena_printf("%s/lib/mirage/libraries", c->root);
    long nlibs = eng_read_libraries(libs, (struct eng_library **)&app->libs);
    if (nlibs < 0)
        return fail("cannot read %s: is the tool installed?", libs);
    app->nlibs = (size_t)nlibs;

    struct eng_graph *g = eng_eval(app);
    if (is(c, "clean")) {
        configure_clean(g);
        return 0;
    }
    if (!g)
        return print_errors();
    if (configure || is(c, "build")) {
        const char *mk =
            arena_printf("%s/lib/mirage/%s/target.mk", c->root, g->target);
        if (access(mk, R_OK) != 0)
            return fail("target '%s' is not installed (no %s)", g->target, mk);
    }
    if (configure)
        return configure_write(g, c->root, context_text(c), c->dry_run);
    if (is(c, "build"))
        return cmd_build(g, c);
    if (is(c, "query"))
        return cmd_query(g, c);
    if (c->dot)
        describe_dot(stdout, g);
    else
        describe_text(stdout, g);
    return 0;
}

int mirage_register_(int argc, char **argv, const char *name, impl_list jobs,
                     struct mirage_register_opts o)
{
    struct eng_app app = {
        .name = name,
        .output = name,
        .jobs = jobs,
        .argv = o.argv ? o.argv : o.default_argv_,
        .reporter = o.reporter ? o.reporter : o.default_reporter_,
        .keys = o.keys,
        .packages = o.packages,
        .sources = o.sources,
        .cflags = o.cflags,
        .config_file = getenv("MIRAGE_CONFIG_FILE"),
        .file = o.file_,
        .line = o.line_,
    };
    if (!valid_name(name))
        eng_error(o.file_, o.line_,
                  "invalid application name '%s' (expected letters, digits, "
                  "'_', '-' and '.')",
                  name ? name : "(null)");
    check_build_options(&o);
    if (eng_error_count())
        return print_errors();
    const char *cmd = argc > 1 ? argv[1] : "";
    struct cli c = {.cmd = command_find(cmd)};
    if (!c.cmd || is(&c, "help"))
        return fail("unknown command '%s' (expected configure, build, clean, "
                    "describe or query)",
                    cmd);
    c.root = getenv("MIRAGE_ROOT");
    if (!c.root)
        return fail("MIRAGE_ROOT is not set: run this through the mirage "
                    "tool");
    int rc = run(&c, &app, argc, argv);
    /* A configure that fails leaves nothing make could build. */
    if (rc != 0 && (is(&c, "configure") || is(&c, "build")) && !c.dry_run &&
        !c.help && !c.made)
        appdir_unconfigure();
    return rc;
}
