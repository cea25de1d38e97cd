/* mirage_register(): the configuration program's command line. It runs
 * one subcommand (configure, build, clean, describe, query, help) for the
 * registered application, in the application directory (the `mirage`
 * tool starts it there with MIRAGE_ROOT set to its installation root).
 *
 * Configure-time arguments: -t/--target, -o/--output, and every key the
 * graph reaches (--KEY=VALUE or --KEY VALUE; a bool key alone means
 * true). `configure` caches them in mirage/context, one per line; build,
 * clean, describe and query start from the cache and apply their own
 * arguments on top. */
#include "engine.h"

#include <errno.h>
#include <ftw.h>
#include <glob.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define CONTEXT "mirage/context"

struct cli {
    const char *cmd;
    const char *root;
    bool dry_run, dot, help;
    const char *what;    /* query's subject */
    struct ptrvec saved; /* normalised arguments, for the cache */
    key **keys;          /* the keys the command line accepts */
    size_t nkeys;
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

/* Parse args[0..n-1]. save: remember them for the cache. */
static int parse_args(struct cli *c, struct eng_app *app, size_t n, char **args,
                      bool save)
{
    for (size_t i = 0; i < n; i++) {
        const char *a = args[i];
        const char *next = i + 1 < n ? args[i + 1] : NULL;
        if (strcmp(a, "--help") == 0) {
            c->help = true;
        } else if (strcmp(a, "--dry-run") == 0 &&
                   strcmp(c->cmd, "configure") == 0) {
            c->dry_run = true;
        } else if (strcmp(a, "--dot") == 0 && strcmp(c->cmd, "describe") == 0) {
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
                return fail("unknown option '%s' (see 'mirage %s --help')",
                            eq ? arena_printf("%.*s", (int)(eq - a), a) : a,
                            c->cmd);
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
        } else if (strcmp(c->cmd, "query") == 0 && !c->what) {
            c->what = a;
        } else {
            return fail("unexpected argument '%s' (see 'mirage %s --help')", a,
                        c->cmd);
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
    char *text = read_file_text(CONTEXT);
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
    static const char *const what[][2] = {
        {"configure", "Generate mirage/main.c, mirage/start.h and the "
                      "Makefile for a target."},
        {"build", "Regenerate with the cached arguments and build the "
                  "image."},
        {"clean", "Remove every generated file and the image."},
        {"describe", "Show the configuration (--dot: as a Graphviz "
                     "graph)."},
        {"query", "Print one generated item: packages, files, Makefile, "
                  "main, start or manifest."},
    };
    const char *doc = "";
    for (size_t i = 0; i < sizeof(what) / sizeof(what[0]); i++)
        if (strcmp(what[i][0], c->cmd) == 0)
            doc = what[i][1];
    printf("usage: mirage %s [OPTION]...%s\n\n%s\n\nOPTIONS\n", c->cmd,
           strcmp(c->cmd, "query") == 0 ? " WHAT" : "", doc);
    printf("  -f FILE, --file=FILE\n      The configuration file (default "
           "config.c).\n");
    printf("  -o NAME, --output=NAME\n      The image's name (default "
           "%s).\n",
           app->name);
    if (strcmp(c->cmd, "configure") == 0)
        printf("  --dry-run\n      Show what would be written; write "
               "nothing.\n");
    if (strcmp(c->cmd, "describe") == 0)
        printf("  --dot\n      Print a Graphviz graph of the devices.\n");
    printf("\nCONFIGURE KEYS\n");
    for (size_t i = 0; i < c->nkeys; i++) {
        const key *k = c->keys[i];
        printf("  %s--%s=%s\n      %s (default: %s%s%s)\n",
               k == target_key ? "-t TARGET, " : "", k->name, kind_docv(k),
               k->doc, k->kind == KEY_STRING ? "\"" : "", k->def,
               k->kind == KEY_STRING ? "\"" : "");
    }
}

static int run_configure_actions(const struct eng_graph *g)
{
    struct mirage_configure_info info = {g->app->name, g->target,
                                         g->app->output};
    struct ptrvec done = {0};
    int rc = 0;
    eng_key_text_enable(true);
    for (size_t i = 0; i < g->norder + g->njobs && rc == 0; i++) {
        const impl *d =
            i < g->norder ? g->order[i]->dev : g->jobs[i - g->norder]->dev;
        if (!d->dev.configure || pv_has(&done, d))
            continue;
        pv_push(&done, (void *)d);
        info.files = d->dev.files;
        if (d->dev.configure(&info) != 0)
            rc = fail("configure action of '%s' failed", d->dev.name);
    }
    eng_key_text_enable(false);
    return rc;
}

struct gen_file {
    const char *path, *content;
};

/* The files configure writes (content NULL: removed, not written). */
static size_t gen_files(const struct eng_graph *g, const struct cli *c,
                        struct gen_file *f)
{
    bool m = target_has_manifest(g->target);
    size_t n = 0;
    f[n++] = (struct gen_file){"Makefile", gen_makefile(g, c->root)};
    f[n++] = (struct gen_file){"mirage/main.c", gen_main_c(g)};
    f[n++] = (struct gen_file){"mirage/start.h", gen_start_h(g)};
    f[n++] =
        (struct gen_file){"mirage/manifest.c", m ? gen_manifest_c(g) : NULL};
    f[n++] = (struct gen_file){"mirage/manifest.json",
                               m ? gen_manifest_json(g) : NULL};
    f[n++] = (struct gen_file){CONTEXT, context_text(c)};
    return n;
}

static int write_all(const struct eng_graph *g, const struct cli *c)
{
    struct gen_file f[8];
    size_t n = gen_files(g, c, f);
    if (c->dry_run) {
        for (size_t i = 0; i < g->norder + g->njobs; i++) {
            const impl *d =
                i < g->norder ? g->order[i]->dev : g->jobs[i - g->norder]->dev;
            if (d->dev.configure)
                printf("would run the configure action of %s\n", d->dev.name);
        }
        for (size_t i = 0; i < n; i++)
            if (f[i].content)
                printf("would write %s\n", f[i].path);
        return 0;
    }
    if (run_configure_actions(g))
        return 1;
    for (size_t i = 0; i < n; i++) {
        if (!f[i].content) {
            if (unlink(f[i].path) != 0 && errno != ENOENT)
                return fail("cannot remove %s: %s", f[i].path, strerror(errno));
        } else if (write_if_changed(f[i].path, f[i].content) != 0) {
            return 1;
        }
    }
    return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    if (remove(path) != 0)
        fprintf(stderr, "mirage: cannot remove %s: %s\n", path,
                strerror(errno));
    return 0;
}

static void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) == 0)
        nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int cmd_clean(const struct eng_graph *g)
{
    for (size_t i = 0; g && i < g->nfiles; i++)
        remove_tree(g->files[i]);
    remove_tree("Makefile");
    remove_tree("dist");
    remove_tree("mirage");
    return 0;
}

static int cmd_build(const struct eng_graph *g, const struct cli *c)
{
    if (write_all(g, c))
        return 1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        return fail("cannot start make: %s", strerror(errno));
    if (pid == 0) {
        execlp("make", "make", (char *)NULL);
        fprintf(stderr, "mirage: cannot run make: %s\n", strerror(errno));
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
        return 0;
    return fail("the build of %s failed", g->app->name);
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
        struct gen_file f[8];
        size_t n = gen_files(g, c, f);
        for (size_t i = 0; i < n; i++)
            if (f[i].content)
                printf("%s\n", f[i].path);
        for (size_t i = 0; i < g->nfiles; i++)
            printf("%s\n", g->files[i]);
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

static str_list find_libraries(const char *root)
{
    glob_t gl;
    struct ptrvec v = {0};
    if (glob(arena_printf("%s/lib/mirage/libmirage_*.a", root), 0, NULL, &gl) ==
        0) {
        for (size_t i = 0; i < gl.gl_pathc; i++) {
            const char *base = strrchr(gl.gl_pathv[i], '/') + 4;
            char *name = arena_printf("%.*s", (int)(strlen(base) - 2), base);
            if (strcmp(name, "mirage_config") != 0)
                pv_push(&v, name);
        }
        globfree(&gl);
    }
    return (str_list){v.n, (const char *const *)v.v};
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

int mirage_register_(int argc, char **argv, const char *name, impl_list jobs,
                     struct mirage_register_opts o)
{
    struct eng_app app = {
        .name = name,
        .output = name,
        .jobs = jobs,
        .argv = o.argv ? o.argv : mirage_default_argv_(o.file_, o.line_),
        .reporter =
            o.reporter ? o.reporter
                       : mirage_default_reporter_((struct mirage_reporter_opts){
                             .file_ = o.file_, .line_ = o.line_}),
        .keys = o.keys,
        .packages = o.packages,
        .file = o.file_,
        .line = o.line_,
    };
    if (!valid_name(name))
        eng_error(o.file_, o.line_,
                  "invalid application name '%s' (expected letters, digits, "
                  "'_', '-' and '.')",
                  name ? name : "(null)");
    if (eng_error_count())
        return print_errors();
    struct cli c = {.cmd = argc > 1 ? argv[1] : ""};
    static const char *const cmds[] = {"configure", "build", "clean",
                                       "describe", "query"};
    bool known = false;
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        known |= strcmp(cmds[i], c.cmd) == 0;
    if (!known)
        return fail("unknown command '%s' (expected configure, build, clean, "
                    "describe or query)",
                    c.cmd);
    c.root = getenv("MIRAGE_ROOT");
    if (!c.root)
        return fail("MIRAGE_ROOT is not set: run this through the mirage "
                    "tool");
    c.nkeys = eng_reachable_keys(&app, &c.keys);

    bool configure = strcmp(c.cmd, "configure") == 0;
    size_t ncached = 0;
    char **cached = configure ? NULL : load_context(&ncached);
    if (strcmp(c.cmd, "build") == 0 && !cached)
        return fail("%s is not configured: run 'mirage configure' first", name);
    quiet = strcmp(c.cmd, "clean") == 0;
    bool stale = cached && parse_args(&c, &app, ncached, cached, true);
    quiet = false;
    if (stale && strcmp(c.cmd, "clean") != 0)
        return fail("the cached configuration (%s) no longer applies: run "
                    "'mirage configure' again",
                    CONTEXT);
    if (parse_args(&c, &app, (size_t)argc - 2, argv + 2, configure))
        return 1;
    if (c.help) {
        usage(&c, &app);
        return 0;
    }
    if (strcmp(c.cmd, "build") == 0 && argc > 2)
        return fail("build takes no arguments: it uses the cached "
                    "configuration (%s)",
                    CONTEXT);
    app.configure_args = joined(&c.saved);
    app.libraries = find_libraries(c.root);

    struct eng_graph *g = eng_eval(&app);
    if (strcmp(c.cmd, "clean") == 0)
        return cmd_clean(g);
    if (!g)
        return print_errors();
    if (configure || strcmp(c.cmd, "build") == 0) {
        const char *mk =
            arena_printf("%s/lib/mirage/%s/target.mk", c.root, g->target);
        if (access(mk, R_OK) != 0)
            return fail("target '%s' is not installed (no %s)", g->target, mk);
    }
    if (configure)
        return write_all(g, &c);
    if (strcmp(c.cmd, "build") == 0)
        return cmd_build(g, &c);
    if (strcmp(c.cmd, "query") == 0)
        return cmd_query(g, &c);
    if (c.dot)
        describe_dot(stdout, g);
    else
        describe_text(stdout, g);
    return 0;
}
