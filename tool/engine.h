/* The configuration engine's internals: the objects behind <mirage/config.h>,
 * the evaluation of a graph for one set of key values, and the code
 * generators. Host code; shared by libmirage_config and the unit tests.
 *
 * Memory: everything is allocated from the engine's arena (util.h) and
 * freed at once by eng_reset(); nothing is freed individually. */
#ifndef MIRAGE_TOOL_ENGINE_H
#define MIRAGE_TOOL_ENGINE_H

#include <mirage/config.h>
#include <stdio.h>

#include "util.h"

struct mirage_typ {
    const char *name;   /* base types; NULL for a functor type */
    const char *ctype;  /* C type of its devices ("int" for job) */
    const char *header; /* header declaring ctype, or NULL */
    typ *arg, *res;     /* functor types: arg -> res */
};

enum key_kind { KEY_STRING, KEY_INT, KEY_BOOL, KEY_ENUM };
struct mirage_key {
    const char *name;
    enum key_kind kind;
    const char *def; /* default, as text */
    const char *doc;
    str_list values; /* KEY_ENUM: the allowed values */
    const char *file;
    int line;
    /* Set by eng_set_key() from the command line; NULL: the default. */
    const char *given;
};
struct mirage_value {
    key *k;
};

struct mirage_package {
    const char *name;
    str_list libs;
    str_list bounds; /* ">= 1.0", "< 2.0" */
};

enum arg_kind { ARG_STRING, ARG_INT, ARG_BOOL };
struct mirage_runtime_arg {
    const char *name;
    enum arg_kind kind;
    const char *def; /* text; NULL: required (strings only) */
    const char *doc, *docv, *section;
    const char *file;
    int line;
};

enum impl_kind { IMPL_DEV, IMPL_APP, IMPL_IF, IMPL_MATCH };
struct eng_device {
    const char *name;
    bool is_main;        /* mirage_main/foreign: the application */
    const char *connect; /* template (see config.h); main's is generated */
    /* The names connect code gives the dependencies ($network ...): the
     * functor arguments', then the extra dependencies'. */
    str_list dep_names;
    str_list headers, files, targets;
    str_list libraries; /* libmirage_NAME.a it needs, by NAME */
    package_list packages;
    key_list_t keys;
    arg_list args;
    impl_list extra_deps;
    mirage_configure_fn configure;
    str_list configure_args;
    const char *net_device;   /* the platform network device it acquires */
    const char *block_device; /* the platform block device it acquires */
};
struct mirage_impl {
    enum impl_kind kind;
    typ *typ;
    const char *file;
    int line;
    unsigned id;           /* creation order, unique */
    struct eng_device dev; /* IMPL_DEV */
    impl *fn, *arg;        /* IMPL_APP */
    value *v;              /* IMPL_IF, IMPL_MATCH */
    impl *a, *b;           /* IF: then/else; MATCH: a is the default */
    case_list cases;       /* IMPL_MATCH */
};

/* ---- Errors --------------------------------------------------------- */
/* Record "FILE:LINE: error: MESSAGE" (file NULL: "error: MESSAGE"). */
void eng_error(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
size_t eng_error_count(void);
const char *eng_error_at(size_t i);
/* Forget every object, key and error (the unit tests start each case
 * from scratch with it). */
void eng_reset(void);

/* ---- Types ---------------------------------------------------------- */
bool typ_equal(const typ *a, const typ *b);
/* "time", "time -> job", "(a -> b) -> c"; arena string. */
const char *typ_show(const typ *t);
/* The result after n applications, or NULL if t takes fewer arguments. */
const typ *typ_after(const typ *t, size_t n);
size_t typ_arity(const typ *t);

/* ---- Keys ----------------------------------------------------------- */
/* Every key defined so far, in definition order (target first). */
size_t eng_key_count(void);
key *eng_key_at(size_t i);
key *eng_key_find(const char *name);
/* Set k from the command line. Returns 0, or -1 with *why set to an
 * arena string ("unknown value 'x' for key 'net' (expected ...)"). */
int eng_set_key(key *k, const char *text, const char **why);
/* The value of k: the given one, else the default. */
const char *key_text(const key *k);
/* Check text against k's kind; 0 or -1 with *why (arena string). */
int key_check_text(const key *k, const char *text, const char **why);
/* The kind as a word: "string", "int", "bool", "enum". */
const char *key_kind_name(enum key_kind kind);
/* Make mirage_key_text() answer (during configure actions) or not. */
void eng_key_text_enable(bool on);

/* Inside a catalogue entry (mirage_enter), replace *file and *line by the
 * place of the combinator's call (entry.c). */
void eng_at(const char **file, int *line);
/* Create (or find the equal) device; file/line name where it was written.
 * Returns NULL after recording an error. */
impl *make_device_(const char *file, int line, const char *name, typ *t,
                   struct eng_device dev);
/* The name of the head device of a (possibly applied or chosen) impl. */
const char *impl_head_name(const impl *i);
/* All impls created so far (for sharing checks). */
size_t eng_impl_count(void);

/* ---- Targets (targets.c: data from plat/<name>/target.mk) ----------- */
/* Every target's name, and the default one. */
str_list target_names(void);
const char *target_default(void);
/* The image file's suffix ("" on unix, ".hvt" ...). */
const char *target_suffix(const char *target);
/* Whether images of the target carry a Solo5 manifest. */
bool target_has_manifest(const char *target);
/* The program that runs an image ("mirage-hvt"), or "" when the image
 * runs by itself. */
const char *target_runner(const char *target);

/* ---- Evaluation ----------------------------------------------------- */
/* A device instance of the resolved graph: a device applied to its
 * functor arguments, with its extra dependencies. Shared: equal devices
 * with equal arguments are one node. */
struct eng_node {
    impl *dev;              /* an IMPL_DEV */
    struct eng_node **args; /* functor arguments, in order */
    size_t nargs;
    struct eng_node **deps; /* resolved extra dependencies */
    size_t ndeps;
    unsigned index; /* position in connect order */
    int state;      /* traversal mark */
    /* The if/match (on a key other than the target) that selected it,
     * or NULL: an error about it names the key's value. */
    const impl *via;
};

struct eng_app {
    const char *name;   /* application name */
    const char *output; /* image name (-o), default name */
    impl_list jobs;
    impl *argv, *reporter;
    key_list_t keys;
    package_list packages;
    const char *file;
    int line;
    /* How the application builds (mirage_register's .sources, .cflags)
     * and the configuration file's name, for the generated Makefile. */
    str_list sources, cflags;
    const char *config_file;
    /* For the run-time configuration record: the configure command line. */
    const char *configure_args;
    /* The installed libraries and what each needs (lib/mirage/libraries,
     * read by eng_read_libraries); NULL: unknown, each library stands
     * alone (the unit tests). */
    const struct eng_library *libs;
    size_t nlibs;
};

/* An installed library: libmirage_NAME.a, and the libraries it needs. */
struct eng_library {
    const char *name;
    str_list deps;
};
/* Read the libraries' file (one line per library: its name, then the
 * names of those it needs). Returns the number read and sets *out, or -1
 * when the file cannot be read. */
long eng_read_libraries(const char *path, struct eng_library **out);

struct eng_graph {
    const struct eng_app *app;
    const char *target;
    /* Every node to connect, dependencies first (the reporter's closure,
     * then argv's, then the rest), jobs excluded. */
    struct eng_node **order;
    size_t norder;
    struct eng_node **jobs; /* one per registered job */
    size_t njobs;
    struct eng_node *reporter, *argv;
    size_t nearly; /* order[0..nearly-1] are connected before parsing */
    /* Collected from the selected branches only, without duplicates. */
    key **keys;
    size_t nkeys;
    package **packages; /* merged by name */
    size_t npackages;
    runtime_arg **args;
    size_t nargs;
    const char **files;
    size_t nfiles;
    /* The libraries to link: rt and the selected devices' libraries with
     * what they need, sorted, each once. */
    const char **libraries;
    size_t nlibraries;
    /* The if/match nodes traversed and the choice made (for --dot). */
    const impl **choices, **chosen;
    size_t nchoices;
};

/* Resolve the application's graph with the current key values and the
 * target: choose branches, share nodes, check full application, target
 * support and duplicates. Returns NULL after recording errors. */
struct eng_graph *eng_eval(const struct eng_app *app);
/* Set g->libraries (libraries.c); an error names a device whose library
 * is not installed. */
void eng_collect_libraries(struct eng_graph *g);
/* Every key the graph reaches through any branch, plus target and the
 * application's keys (what the configure command line accepts). */
size_t eng_reachable_keys(const struct eng_app *app, key ***out);
/* Every runtime argument the graph declares through any branch. */
size_t eng_reachable_args(const struct eng_app *app, runtime_arg ***out);

/* ---- Code generation ------------------------------------------------ */
/* The generated files' contents (arena strings). root is the tool's
 * installation root (where include/ and lib/mirage/ are). */
const char *gen_main_c(const struct eng_graph *g);
const char *gen_start_h(const struct eng_graph *g);
const char *gen_makefile(const struct eng_graph *g, const char *root);
const char *gen_manifest_c(const struct eng_graph *g);
const char *gen_manifest_json(const struct eng_graph *g);
/* Whether name can name a device in a Solo5 manifest. */
bool solo5_device_name(const char *name);
/* The image's file name: "dist/NAME" + the target's suffix. */
const char *image_path(const struct eng_graph *g);
/* The C identifier of a runtime argument's accessor: mirage_arg_NAME. */
const char *arg_accessor(const runtime_arg *a);

/* ---- The configure command's files (configure.c) -------------------- */
/* Run the selected devices' configure actions, then write the generated
 * files (the Makefile last), mirage/files and mirage/inputs.mk, and
 * remove what the previous configure generated and this one does not.
 * context is the text of the cached arguments. dry_run: print what would
 * run and be written instead. 0, or 1 after printing why (the caller
 * then unconfigures the directory). */
int configure_write(const struct eng_graph *g, const char *root,
                    const char *context, bool dry_run);
/* Every file configure generates for g, the devices' included. */
size_t configure_files(const struct eng_graph *g, const char ***out);
/* Remove every generated file (those the last configure listed, and g's
 * devices' files when g is not NULL), the image and mirage/. */
void configure_clean(const struct eng_graph *g);

/* describe and describe --dot (describe.c). */
void describe_text(FILE *out, const struct eng_graph *g);
void describe_dot(FILE *out, const struct eng_graph *g);

#endif
