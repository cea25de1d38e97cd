/* The configuration eDSL: what a unikernel's config.c is written in.
 *
 * config.c is host C. `mirage configure` compiles it against this header
 * and libmirage_config.a into mirage/config.bin and runs it; its main()
 * builds a device graph with the combinators below and hands it to
 * mirage_register(), which does the work of the subcommand (configure,
 * build, clean, describe, query). The names mirror MirageOS's `mirage`
 * package one for one; where C forces a change the name gets a suffix
 * (types are `time_typ`, `console_typ` ...; MirageOS's `register` is
 * mirage_register, `main` is mirage_main, `$` is apply).
 *
 *   #include <mirage/config.h>
 *   int main(int argc, char **argv)
 *   {
 *       impl *hello = mirage_main("hello_start", typ_fn(time_typ, job));
 *       return mirage_register(argc, argv, "hello",
 *                              jobs(apply(hello, default_time())));
 *   }
 *
 * This header holds the engine's part: types, keys, implementations,
 * application, registration, and what catalogue entries are written
 * with. The device catalogue (default_time, crunch, generic_stackv4v6
 * ...) is one header per device family, <mirage/config/FAMILY.h>,
 * included at the end; each family's entries are written with this
 * header alone, beside their library (lib/FAMILY/config.c).
 *
 * Memory: every object here is owned by the engine and lives until the
 * program exits; nothing is ever freed by the caller. The list macros
 * (jobs, strs, ...) build their arrays in the caller's block; the engine
 * copies them.
 *
 * Errors: the combinators never stop the program. A mistake (a type
 * mismatch, a duplicate key ...) is recorded as "FILE:LINE: error: ..."
 * with the place the offending call was written in config.c (the macros
 * capture __FILE__ and __LINE__), and the call returns NULL; every
 * combinator accepts NULL where a previous error left one.
 * mirage_register() prints every recorded error, generates nothing and
 * returns 1. */
#ifndef MIRAGE_CONFIG_H
#define MIRAGE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Module types ('a typ). Base types are named values; typ_fn(a, b) is
 * MirageOS's `a @-> b` (a functor taking an `a`, giving a `b`). */
typedef struct mirage_typ typ;
/* Implementations ('a impl): devices, functor applications, choices. */
typedef struct mirage_impl impl;
/* Configure-time keys ('a key) and the values read from them. */
typedef struct mirage_key key;
typedef struct mirage_value value;
/* Debian packages: what to install, and what to link with. */
typedef struct mirage_package package;
/* Runtime arguments, parsed at boot by the generated code. */
typedef struct mirage_runtime_arg runtime_arg;

/* Lists, built in place by the macros below: jobs(a, b), strs("x", "y"),
 * key_list(k), packages(p, q), args(a), deps(d). */
typedef struct {
    size_t n;
    impl *const *v;
} impl_list;
typedef struct {
    size_t n;
    const char *const *v;
} str_list;
typedef struct {
    size_t n;
    key *const *v;
} key_list_t;
typedef struct {
    size_t n;
    package *const *v;
} package_list;
typedef struct {
    size_t n;
    runtime_arg *const *v;
} arg_list;
struct mirage_case {
    const char *value; /* the key value, in its command-line text form */
    impl *impl;
};
typedef struct {
    size_t n;
    const struct mirage_case *v;
} case_list;

#define MIRAGE_LIST_(LT, T, ...)                                               \
    ((LT){sizeof((T[]){__VA_ARGS__}) / sizeof(T), (T[]){__VA_ARGS__}})
#define jobs(...)     MIRAGE_LIST_(impl_list, impl *, __VA_ARGS__)
#define deps(...)     MIRAGE_LIST_(impl_list, impl *, __VA_ARGS__)
#define strs(...)     MIRAGE_LIST_(str_list, const char *, __VA_ARGS__)
#define key_list(...) MIRAGE_LIST_(key_list_t, key *, __VA_ARGS__)
#define packages(...) MIRAGE_LIST_(package_list, package *, __VA_ARGS__)
#define args(...)     MIRAGE_LIST_(arg_list, runtime_arg *, __VA_ARGS__)

/* ---- Types ---------------------------------------------------------- */

/* Every type knows the C type its devices have in the generated code:
 * job is the `int` result of a start function, time_typ is `struct
 * mirage_time *` ... The engine's own types are here: job, argv_typ (the
 * command line, char **) and reporter_typ (where the logs go). The
 * catalogue's types come with their families' headers. */
extern typ *const job;
extern typ *const argv_typ;
extern typ *const reporter_typ;

/* a @-> b. The argument must not itself be a functor type. */
#define typ_fn(a, b) mirage_typ_fn_(__FILE__, __LINE__, (a), (b))
/* A type called `name` whose devices have C type `ctype` (e.g. "struct
 * my_store *"). Options: .header, a header that declares ctype, included
 * by the generated start.h (otherwise a `struct X *` ctype is
 * forward-declared there). Creating a type twice with the same name and
 * C type gives the same type (the catalogue's types are made so: block_typ
 * is typ_new("block", "struct mirage_block *", ...)); a different C type
 * is an error. */
struct mirage_typ_opts {
    const char *file_;
    int line_;
    const char *header;
};
#define typ_new(name, ctype, ...)                                              \
    mirage_typ_new_((name), (ctype),                                           \
                    (struct mirage_typ_opts){                                  \
                        .file_ = __FILE__, .line_ = __LINE__, __VA_ARGS__})

/* ---- Keys (configure time) ------------------------------------------ */

/* A configure-time key `--name=VALUE` of `mirage configure` (and of
 * describe/query/build, which reuse the cached values). Names are
 * lower-case letters, digits, '-' and '_', starting with a letter or a
 * digit (MirageOS has keys such as kv_ro). Defining two different keys
 * with one name is an error; defining the same key twice (same kind,
 * default, doc, values) gives the same key. The values of an enum key
 * are listed after the doc; the default must be one of them. */
#define key_string(name, def, doc)                                             \
    mirage_key_string_(__FILE__, __LINE__, (name), (def), (doc))
#define key_int(name, def, doc)                                                \
    mirage_key_int_(__FILE__, __LINE__, (name), (def), (doc))
#define key_bool(name, def, doc)                                               \
    mirage_key_bool_(__FILE__, __LINE__, (name), (def), (doc))
#define key_enum(name, def, doc, ...)                                          \
    mirage_key_enum_(__FILE__, __LINE__, (name), (def), (doc),                 \
                     strs(__VA_ARGS__))
/* The built-in -t/--target key: an enum of the targets the tool was built
 * with (unix, hvt, spt ...; `mirage configure --help` lists them). */
#define target_key mirage_target_key()
key *mirage_target_key(void);
/* The value a key takes on the command line (MirageOS's Key.value). */
value *key_value(key *k);
/* During a configure action only: the value of k as text ("true",
 * "42", ...). NULL when called at any other time. */
const char *mirage_key_text(const key *k);

/* ---- Implementations -------------------------------------------------- */

/* f $ x: apply the functor f to x; with several arguments, applies them
 * one after another. Checks the types now: an error names this line, the
 * functor and both types. */
#define apply(f, ...)                                                          \
    mirage_apply_(__FILE__, __LINE__, (f),                                     \
                  MIRAGE_LIST_(impl_list, impl *, __VA_ARGS__))
/* dep(x): x as an abstract (build-time) dependency, for .extra_deps. */
impl *dep(impl *x);

/* if_impl(v, a, b): a when the bool value v is true, else b. Both
 * branches must have the same type. */
#define if_impl(v, a, b) mirage_if_impl_(__FILE__, __LINE__, (v), (a), (b))
/* match_impl(v, default, match_case("x", a), ...): the case whose text
 * equals v's value, else default. Each case value must be a valid value
 * of v's key (an enum value, "true"/"false", an integer). */
#define match_case(val, i) ((struct mirage_case){(val), (i)})
#define match_impl(v, def, ...)                                                \
    mirage_match_impl_(                                                        \
        __FILE__, __LINE__, (v), (def),                                        \
        MIRAGE_LIST_(case_list, struct mirage_case, __VA_ARGS__))

/* A package: a Debian package name, the link flags it brings (.libs,
 * e.g. strs("-lbearssl")) and optional version bounds (.min inclusive,
 * .max exclusive, Debian version syntax). Packages with the same name are
 * merged. */
struct mirage_package_opts {
    const char *file_;
    int line_;
    str_list libs;
    const char *min;
    const char *max;
};
#define package(name, ...)                                                     \
    mirage_package_((name), (struct mirage_package_opts){.file_ = __FILE__,    \
                                                         .line_ = __LINE__,    \
                                                         __VA_ARGS__})

/* Runtime arguments: "--name=VALUE" on the unikernel's command line,
 * parsed at boot by the generated main.c. The application reads one with
 * an accessor that the generated start.h declares, named mirage_arg_
 * followed by the name with '-' turned into '_':
 *   const char *mirage_arg_hello(void);   (string)
 *   int64_t mirage_arg_port(void);        (int)
 *   bool mirage_arg_verbose(void);        (bool)
 * Connect code reads one as ${name}. A string argument whose default is
 * NULL is required. Options: .docv (placeholder in the help, default
 * "VALUE"), .section (help section, default "APPLICATION OPTIONS").
 * Names are those of keys; logs, delay, name and help are built in. */
struct mirage_arg_opts {
    const char *file_;
    int line_;
    const char *docv;
    const char *section;
};
#define MIRAGE_ARG_OPTS_(...)                                                  \
    (struct mirage_arg_opts)                                                   \
    {                                                                          \
        .file_ = __FILE__, .line_ = __LINE__, __VA_ARGS__                      \
    }
#define runtime_arg_string(name, def, doc, ...)                                \
    mirage_runtime_arg_string_((name), (def), (doc),                           \
                               MIRAGE_ARG_OPTS_(__VA_ARGS__))
#define runtime_arg_int(name, def, doc, ...)                                   \
    mirage_runtime_arg_int_((name), (def), (doc), MIRAGE_ARG_OPTS_(__VA_ARGS__))
#define runtime_arg_bool(name, def, doc, ...)                                  \
    mirage_runtime_arg_bool_((name), (def), (doc),                             \
                             MIRAGE_ARG_OPTS_(__VA_ARGS__))

/* What a configure action sees (cwd is the application directory). */
struct mirage_configure_info {
    const char *name;   /* the application's name */
    const char *target; /* unix, hvt, spt ... */
    const char *output; /* the image's name, without directory or suffix */
    str_list files;     /* the files the device declared (.files) */
    str_list args;      /* what the device hands it (.configure_args) */
    const char *file;   /* where config.c made the device, for messages: */
    int line;           /* "FILE:LINE: error: ..." */
};
/* A configure action: runs at `mirage configure` (not with --dry-run),
 * once per selected device, before the files are written. Returns 0, or
 * non-zero after printing why to stderr, as one line naming info->file
 * and info->line (configure then fails, leaving no Makefile). */
typedef int (*mirage_configure_fn)(const struct mirage_configure_info *info);
/* During a configure action only: the files the action generates depend
 * on path (a file or a directory, relative to the application's
 * directory). Plain `make` configures again, with the cached arguments,
 * when it changes, or when an entry of the directory appears or
 * disappears; so an action that reads a directory tree names each
 * directory and each file it reads. */
void mirage_configure_input(const char *path);

/* A device called `name`, of type t (a functor type when it takes
 * devices: typ_fn(block_typ, kv_ro_typ) is applied to a block device).
 * Everything a device needs is declared here:
 *  .connect      C code connecting it, inside the generated
 *                mirage_app_main(): an int expression, 0 or a negative
 *                MIRAGE_E* code, that sets the device's variable. It
 *                names variables, not positions:
 *                  $out      the device's own variable (of t's C type);
 *                  $TYPE     a dependency's variable, named by its type:
 *                            $network, $block, $random ... for the
 *                            functor's arguments and the .extra_deps;
 *                            when two share a type, $block_1, $block_2
 *                            in their order;
 *                  ${name}   the value of the runtime argument `name`.
 *                By convention it is one call of the connect function
 *                the device's header declares (see lib/block/config.c):
 *                  mirage_KIND_connect_IMPL(&$out, $dep..., params...)
 *                For a device of type job it is the job's body instead:
 *                an int expression run in the job's fiber, whose value is
 *                the job's status. Default: "0".
 *  .headers      headers main.c includes (e.g. strs("mirage/time.h"))
 *  .libraries    the libraries its connect code calls, by name ("net" for
 *                libmirage_net.a): an image links them, with the
 *                libraries they need, and no others
 *  .packages     packages it needs, .keys keys it reads,
 *  .runtime_args runtime arguments it declares,
 *  .extra_deps   devices connected before it (deps(dep(x)))
 *  .net_device, .block_device
 *                the name of the platform network or block device it
 *                acquires: on targets with a Solo5 manifest, an entry of
 *                the image's manifest (1 to 67 letters and digits)
 *  .configure    a configure action, .configure_args strings handed to
 *                it (info->args: the directory it reads ...), .files the
 *                files it generates (relative to the application; those
 *                ending in .c are compiled into the image; listed by
 *                query, removed by clean and by the next configure that
 *                does not make them)
 *  .targets      the targets it supports (default: all).
 * Devices with equal name, type and options are one device. */
struct mirage_impl_opts {
    const char *file_;
    int line_;
    const char *connect;
    str_list headers;
    str_list libraries;
    package_list packages;
    key_list_t keys;
    arg_list runtime_args;
    impl_list extra_deps;
    const char *net_device;
    const char *block_device;
    mirage_configure_fn configure;
    str_list configure_args;
    str_list files;
    str_list targets;
};
#define impl(name, t, ...)                                                     \
    mirage_impl_((name), (t),                                                  \
                 (struct mirage_impl_opts){                                    \
                     .file_ = __FILE__, .line_ = __LINE__, __VA_ARGS__})

/* The application: `name` is a C function in the application's sources.
 * For a type a -> b -> job it is `int name(A a, B b)`, called in the
 * job's fiber; its result is the job's status. For a result type other
 * than job, `int name(R *out, A a, ...)` connects a device (0 or
 * MIRAGE_E*). The prototype goes into the generated mirage/start.h,
 * which is forced into every application file, so a definition that
 * disagrees is a compile error; a name no application file defines is a
 * link error naming this line of config.c. Options: .packages, .keys,
 * .runtime_args, .extra_deps (foreign: .deps), and .libraries, the
 * libraries the application's own code calls beyond its devices'. */
struct mirage_main_opts {
    const char *file_;
    int line_;
    package_list packages;
    key_list_t keys;
    arg_list runtime_args;
    impl_list extra_deps;
    impl_list deps;
    str_list libraries;
};
#define mirage_main(name, t, ...)                                              \
    mirage_main_((name), (t),                                                  \
                 (struct mirage_main_opts){                                    \
                     .file_ = __FILE__, .line_ = __LINE__, __VA_ARGS__})
#define foreign(name, t, ...) mirage_main(name, t, __VA_ARGS__)

/* ---- Registering the application ------------------------------------ */

/* Options: .argv (default default_argv()), .reporter (default
 * default_reporter()), .keys and .packages the application needs, and
 * how its sources build:
 *  .sources  more application sources besides the .c files of the
 *            application's directory (config.c excepted): paths
 *            relative to it, or make wildcard patterns (a '*' matches
 *            any name: "src/" then "*.c" is every source of src/);
 *  .cflags   more arguments for the compiler of the application, one
 *            string each, such as strs("-Isrc", "-DNAME=\"my app\"").
 * The application is compiled freestanding, like the libraries, with
 * -Wall -Wextra -Werror. */
struct mirage_register_opts {
    const char *file_;
    int line_;
    impl *default_argv_, *default_reporter_;
    impl *argv;
    impl *reporter;
    key_list_t keys;
    package_list packages;
    str_list sources;
    str_list cflags;
};
/* Runs the subcommand argv[1] (configure, build, clean, describe or
 * query; any of them with --help) for the application `name` (letters,
 * digits, '_', '-' and '.') made of the jobs. Returns the process's exit
 * status: 0, or 1 after printing the errors (configuration errors, bad
 * command line, failed build). */
#define mirage_register(argc, argv, name, jobs_, ...)                          \
    mirage_register_(                                                          \
        (argc), (argv), (name), (jobs_),                                       \
        (struct mirage_register_opts){.file_ = __FILE__,                       \
                                      .line_ = __LINE__,                       \
                                      .default_argv_ = default_argv(),         \
                                      .default_reporter_ = default_reporter(), \
                                      __VA_ARGS__})

/* ---- Writing catalogue entries ----------------------------------------
 * A catalogue entry (lib/FAMILY/config.c, declared in
 * <mirage/config/FAMILY.h>) is a function that builds its devices with
 * the macros above. Its combinator is a macro that brackets the call with
 * MIRAGE_ENTRY_, so that everything the function makes, and every error
 * it records, is attributed to the line of config.c that called the
 * combinator (entries may call other entries: the outermost call wins):
 *   #define crunch(dir) MIRAGE_ENTRY_(mirage_crunch_(dir))
 * The helpers below are for such functions. */
#define MIRAGE_ENTRY_(call)                                                    \
    (mirage_enter(__FILE__, __LINE__), mirage_leave(call))
void mirage_enter(const char *file, int line);
impl *mirage_leave(impl *result);
/* Record "FILE:LINE: error: MESSAGE" at the combinator's line; NULL. */
impl *mirage_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A string formatted like printf, owned by the engine. */
const char *mirage_printf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* s as a C string literal, quotes included, for connect code. */
const char *mirage_cstr(const char *s);
/* Whether i (NULL: false) has type t: for the entries whose result type
 * follows their argument's, as MirageOS's polymorphic ones (direct_udp
 * over an ipv6 or an ipv4v6 device). */
bool mirage_impl_has_typ(const impl *i, typ *t);
/* The name of key or runtime argument `base` in a group (MirageOS's
 * ?group): "GROUP-base", or base when group is NULL or "". */
const char *mirage_group_name(const char *group, const char *base);
/* A name for what s names, usable in file names, C identifiers and Solo5
 * manifests: s's letters and digits (at most max of them), followed by
 * eight hexadecimal digits of a hash of s when anything was dropped, so
 * two different s give two names ("htdocs" is "htdocs"; "a/b-c" is
 * "abc" and the hash). */
const char *mirage_ident(const char *s, size_t max);
/* For configure actions: write content to path (relative to the
 * application, its directory created) unless it already holds exactly
 * that, so make does not rebuild needlessly; run a program (argv[0]
 * looked up in PATH, no shell) and wait for it. 0, or -1 after printing
 * why / the program's status. */
int mirage_write_file(const char *path, const char *content);
int mirage_run(char *const argv[]);

/* ---- The functions behind the macros (call the macros instead) ------ */
typ *mirage_typ_fn_(const char *file, int line, typ *a, typ *b);
typ *mirage_typ_new_(const char *name, const char *ctype,
                     struct mirage_typ_opts o);
key *mirage_key_string_(const char *file, int line, const char *name,
                        const char *def, const char *doc);
key *mirage_key_int_(const char *file, int line, const char *name, int64_t def,
                     const char *doc);
key *mirage_key_bool_(const char *file, int line, const char *name, bool def,
                      const char *doc);
key *mirage_key_enum_(const char *file, int line, const char *name,
                      const char *def, const char *doc, str_list values);
impl *mirage_apply_(const char *file, int line, impl *f, impl_list xs);
impl *mirage_if_impl_(const char *file, int line, value *v, impl *a, impl *b);
impl *mirage_match_impl_(const char *file, int line, value *v, impl *def,
                         case_list cases);
package *mirage_package_(const char *name, struct mirage_package_opts o);
runtime_arg *mirage_runtime_arg_string_(const char *name, const char *def,
                                        const char *doc,
                                        struct mirage_arg_opts o);
runtime_arg *mirage_runtime_arg_int_(const char *name, int64_t def,
                                     const char *doc, struct mirage_arg_opts o);
runtime_arg *mirage_runtime_arg_bool_(const char *name, bool def,
                                      const char *doc,
                                      struct mirage_arg_opts o);
impl *mirage_impl_(const char *name, typ *t, struct mirage_impl_opts o);
impl *mirage_main_(const char *name, typ *t, struct mirage_main_opts o);
int mirage_register_(int argc, char **argv, const char *name, impl_list jobs,
                     struct mirage_register_opts o);

/* ---- The device catalogue, one header per family ---------------------- */
#include <mirage/config/block.h>
#include <mirage/config/clock.h>
#include <mirage/config/conduit.h>
#include <mirage/config/console.h>
#include <mirage/config/dhcp.h>
#include <mirage/config/dns.h>
#include <mirage/config/dns_unix.h>
#include <mirage/config/fat.h>
#include <mirage/config/fs.h>
#include <mirage/config/http.h>
#include <mirage/config/kv.h>
#include <mirage/config/kv_direct.h>
#include <mirage/config/net.h>
#include <mirage/config/random.h>
#include <mirage/config/rt.h>
#include <mirage/config/socket.h>
#include <mirage/config/stack.h>
#include <mirage/config/syslog.h>
#include <mirage/config/tcp.h>
#include <mirage/config/tls.h>

#endif
