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
 * Memory: every object here is owned by the engine and lives until the
 * program exits; nothing is ever freed by the caller. The list macros
 * (jobs, strs, ...) build their arrays in the caller's block; the engine
 * copies them.
 *
 * Errors: the combinators never stop the program. A mistake (a type
 * mismatch, a duplicate key ...) is recorded as "FILE:LINE: error: ..."
 * with the place the offending call was written (the macros capture
 * __FILE__ and __LINE__), and the call returns NULL; every combinator
 * accepts NULL where a previous error left one. mirage_register() prints
 * every recorded error, generates nothing and returns 1. */
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

/* The catalogue's types. Each knows the C type its devices have in the
 * generated code: time_typ is `struct mirage_time *`, job is the `int`
 * result of a start function. The types without devices yet are defined
 * so configurations can already name them. */
extern typ *const job;
extern typ *const time_typ;     /* struct mirage_time * */
extern typ *const console_typ;  /* struct mirage_console * */
extern typ *const pclock_typ;   /* struct mirage_pclock * */
extern typ *const mclock_typ;   /* struct mirage_mclock * */
extern typ *const random_typ;   /* struct mirage_random * */
extern typ *const reporter_typ; /* struct mirage_reporter * */
extern typ *const argv_typ;     /* char ** (NULL-terminated argv) */
extern typ *const info_typ;     /* struct mirage_info * */
extern typ *const block_typ;
extern typ *const kv_ro_typ;
extern typ *const kv_rw_typ;
extern typ *const fs_typ;
extern typ *const network_typ;
extern typ *const ethernet_typ;
extern typ *const arpv4_typ;
extern typ *const ipv4_typ;
extern typ *const ipv6_typ;
extern typ *const ipv4v6_typ;
extern typ *const udpv4v6_typ;
extern typ *const tcpv4v6_typ;
extern typ *const stackv4_typ;
extern typ *const stackv6_typ;
extern typ *const stackv4v6_typ;
extern typ *const resolver_typ;
extern typ *const conduit_typ;
extern typ *const http_typ;
extern typ *const syslog_typ;

/* a @-> b. The argument must not itself be a functor type. */
#define typ_fn(a, b) mirage_typ_fn_(__FILE__, __LINE__, (a), (b))
/* A user-defined type called `name` whose devices have C type `ctype`
 * (e.g. "struct my_store *"). Options: .header, a header that declares
 * ctype, included by the generated start.h (otherwise a `struct X *`
 * ctype is forward-declared there). Creating a type twice with the same
 * name and C type gives the same type; a different C type is an error. */
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
 * [a-z0-9][a-z0-9-]*. Defining two different keys with one name is an
 * error; defining the same key twice (same kind, default, doc, values)
 * gives the same key. The values of an enum key are listed after the doc;
 * the default must be one of them. */
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
 * Names are [a-z0-9][a-z0-9-]*; logs, delay, name and help are built in. */
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

/* A user-defined device called `name`, of type typ. Options:
 *  .connect   C code connecting it inside the generated
 *             mirage_app_main(argc, argv): an int expression, 0 or a
 *             negative MIRAGE_E* code. $$ is the device's own variable
 *             (of typ's C type), $0, $1 ... its dependencies' variables
 *             (the functor arguments, then .extra_deps), ${arg} the value
 *             of a runtime argument. For a device of type job it is the
 *             job's body instead: an int expression run in the job's
 *             fiber, whose value is the job's status. Default: "0".
 *  .headers      headers main.c includes (e.g. strs("mirage/time.h"))
 *  .packages     packages it needs, .keys keys it reads,
 *  .runtime_args runtime arguments it declares,
 *  .extra_deps   devices connected before it (deps(dep(x))),
 *  .configure    a configure action, .files the files that action
 *                generates (listed by query, removed by clean),
 *  .targets      the targets it supports (default: all),
 *  .libraries    the libraries its connect code needs, by name ("net"
 *                for libmirage_net.a); the image links them, with the
 *                libraries they need, and no other.
 * Devices with equal name, type and options are one device. */
struct mirage_impl_opts {
    const char *file_;
    int line_;
    const char *connect;
    str_list headers;
    package_list packages;
    key_list_t keys;
    arg_list runtime_args;
    impl_list extra_deps;
    mirage_configure_fn configure;
    str_list files;
    str_list targets;
    str_list libraries;
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
 * disagrees is a compile error. Options: .packages, .keys,
 * .runtime_args, .extra_deps (foreign: .deps). */
struct mirage_main_opts {
    const char *file_;
    int line_;
    package_list packages;
    key_list_t keys;
    arg_list runtime_args;
    impl_list extra_deps;
    impl_list deps;
};
#define mirage_main(name, t, ...)                                              \
    mirage_main_((name), (t),                                                  \
                 (struct mirage_main_opts){                                    \
                     .file_ = __FILE__, .line_ = __LINE__, __VA_ARGS__})
#define foreign(name, t, ...) mirage_main(name, t, __VA_ARGS__)

/* ---- The device catalogue ------------------------------------------- */

#define MIRAGE_HERE_      __FILE__, __LINE__
#define default_console() mirage_default_console_(MIRAGE_HERE_)
/* The platform console under another name. */
#define custom_console(name)      mirage_custom_console_(MIRAGE_HERE_, (name))
#define default_time()            mirage_default_time_(MIRAGE_HERE_)
#define default_posix_clock()     mirage_default_posix_clock_(MIRAGE_HERE_)
#define default_monotonic_clock() mirage_default_monotonic_clock_(MIRAGE_HERE_)
#define default_random()          mirage_default_random_(MIRAGE_HERE_)
/* The console reporter; .level is the default threshold ("app", "error",
 * "warning", "info" (default), "debug" or "quiet"), which is also the
 * default of the runtime --logs argument; .clock, a pclock device, gives
 * the timestamps (default: the platform wall clock, as
 * default_posix_clock()). The reporter and its clock are connected before
 * the runtime arguments are parsed, so they cannot take any. */
struct mirage_reporter_opts {
    const char *file_;
    int line_;
    const char *level;
    impl *clock;
};
#define default_reporter(...)                                                  \
    mirage_default_reporter_((struct mirage_reporter_opts){                    \
        .file_ = __FILE__, .line_ = __LINE__, __VA_ARGS__})
#define no_reporter() mirage_no_reporter_(MIRAGE_HERE_)
/* default_argv: the unikernel's command line; no_argv: none (only the
 * defaults apply). Connected before the runtime arguments are parsed. */
#define default_argv() mirage_default_argv_(MIRAGE_HERE_)
#define no_argv()      mirage_no_argv_(MIRAGE_HERE_)
/* A job that does nothing and succeeds. */
#define noop() mirage_noop_(MIRAGE_HERE_)
/* A job that only needs argv parsed (MirageOS's `keys argv`). */
#define keys(argv) mirage_keys_(MIRAGE_HERE_, (argv))
/* The configuration, available at run time through <mirage/info.h>. */
#define app_info() mirage_app_info_(MIRAGE_HERE_)

/* ---- Storage devices (block, kv_ro, kv_rw) --------------------------- */

/* block_of_file(name): on unix the host file `name`; on hvt and spt the
 * block device `name` of the manifest, which the tender attaches with
 * --block:NAME=FILE (MirageOS's default name is "storage").
 * ramdisk(name): a 32 MiB disk in memory, shared by name. */
#define block_of_file(name) mirage_block_of_file_(MIRAGE_HERE_, (name))
#define ramdisk(name)       mirage_ramdisk_(MIRAGE_HERE_, (name))
/* Options of the generic devices: .group prefixes their key, as
 * MirageOS's ?group: generic_kv_ro("htdocs", .group = "data") is chosen
 * by --data-kv_ro. */
struct mirage_storage_opts {
    const char *file_;
    int line_;
    const char *group;
};
#define MIRAGE_STORAGE_OPTS_(...)                                              \
    (struct mirage_storage_opts)                                               \
    {                                                                          \
        .file_ = __FILE__, .line_ = __LINE__, __VA_ARGS__                      \
    }
/* generic_block(name, ...): block_of_file or ramdisk, chosen by the key
 * --block=file|ramdisk (default file). */
#define generic_block(name, ...)                                               \
    mirage_generic_block_(MIRAGE_STORAGE_OPTS_(__VA_ARGS__), (name))
/* crunch(dir): the files under dir (relative to the application) embedded
 * in the image at configure/build time, as raw bytes. */
#define crunch(dir) mirage_crunch_(MIRAGE_HERE_, (dir))
/* direct_kv_ro(dir): on unix the host directory, read live; elsewhere
 * crunch(dir). direct_kv_rw(dir): the host directory read and written
 * (unix only: configuring another target is an error). */
#define direct_kv_ro(dir) mirage_direct_kv_ro_(MIRAGE_HERE_, (dir))
#define direct_kv_rw(dir) mirage_direct_kv_rw_(MIRAGE_HERE_, (dir))
/* kv_rw_mem(): an empty store in memory. */
#define kv_rw_mem() mirage_kv_rw_mem_(MIRAGE_HERE_)
/* archive(block): the tar archive on a block device, read-only. */
#define archive(block) mirage_archive_(MIRAGE_HERE_, (block))
/* archive_of_files(dir): a tar image of dir made at configure time
 * (mirage/NAME.tar) and read with archive; on hvt and spt the tender
 * attaches it (--block:NAME=mirage/NAME.tar, NAME as `mirage query
 * files` shows). */
#define archive_of_files(dir) mirage_archive_of_files_(MIRAGE_HERE_, (dir))
/* generic_kv_ro(dir, ...): crunch, direct_kv_ro, archive_of_files or
 * kv_ro_of_fs(fat_of_files) of dir, chosen by
 * --kv_ro=crunch|direct|archive|fat (default crunch). */
#define generic_kv_ro(dir, ...)                                                \
    mirage_generic_kv_ro_(MIRAGE_STORAGE_OPTS_(__VA_ARGS__), (dir))

impl *mirage_block_of_file_(const char *file, int line, const char *name);
impl *mirage_ramdisk_(const char *file, int line, const char *name);
impl *mirage_generic_block_(struct mirage_storage_opts o, const char *name);
impl *mirage_crunch_(const char *file, int line, const char *dir);
impl *mirage_direct_kv_ro_(const char *file, int line, const char *dir);
impl *mirage_direct_kv_rw_(const char *file, int line, const char *dir);
impl *mirage_kv_rw_mem_(const char *file, int line);
impl *mirage_archive_(const char *file, int line, impl *block);
impl *mirage_archive_of_files_(const char *file, int line, const char *dir);
impl *mirage_generic_kv_ro_(struct mirage_storage_opts o, const char *dir);

/* ---- Filesystems (fs; tool/devices_fs.c) ----------------------------- */

/* fat(block): the FAT12, FAT16 or FAT32 filesystem on a block device,
 * read and written (<mirage/fs.h>). */
#define fat(block) mirage_fat_(MIRAGE_HERE_, (block))
/* fat_of_files(dir, regexp): a FAT image of the files under dir (NULL: the
 * application's directory, less mirage/ and dist/) whose names match the
 * shell pattern regexp (NULL: "*"), made at configure time by mkfs.fat and
 * mtools (mirage/NAME.img, NAME as `mirage query files` shows) and mounted
 * with fat; on hvt and spt the tender attaches it
 * (--block:NAME=mirage/NAME.img). */
#define fat_of_files(dir, regexp)                                              \
    mirage_fat_of_files_(MIRAGE_HERE_, (dir), (regexp))
/* kv_ro_of_fs(fs): the files and directories of fs as a read-only store.
 * kv_rw_of_fs(fs): the same store, writable (beyond MirageOS). */
#define kv_ro_of_fs(fs) mirage_kv_ro_of_fs_(MIRAGE_HERE_, (fs))
#define kv_rw_of_fs(fs) mirage_kv_rw_of_fs_(MIRAGE_HERE_, (fs))

impl *mirage_fat_(const char *file, int line, impl *block);
impl *mirage_fat_of_files_(const char *file, int line, const char *dir,
                           const char *regexp);
impl *mirage_kv_ro_of_fs_(const char *file, int line, impl *fs);
impl *mirage_kv_rw_of_fs_(const char *file, int line, impl *fs);

/* ---- Registering the application ------------------------------------ */

/* Options: .argv (default default_argv()), .reporter (default
 * default_reporter()), .keys and .packages the application needs, and
 * how its sources build:
 *  .sources  more application sources besides the .c files of the
 *            application's directory (config.c excepted): paths
 *            relative to it, or make wildcard patterns (a '*' matches
 *            any name: "src/" then "*.c" is every source of src/);
 *  .cflags   more flags for the application's compilation, such as
 *            strs("-Isrc", "-DDEBUG=1").
 * The application is compiled freestanding, like the libraries, with
 * -Wall -Wextra -Werror. */
struct mirage_register_opts {
    const char *file_;
    int line_;
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
    mirage_register_((argc), (argv), (name), (jobs_),                          \
                     (struct mirage_register_opts){                            \
                         .file_ = __FILE__, .line_ = __LINE__, __VA_ARGS__})

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
impl *mirage_default_console_(const char *file, int line);
impl *mirage_custom_console_(const char *file, int line, const char *name);
impl *mirage_default_time_(const char *file, int line);
impl *mirage_default_posix_clock_(const char *file, int line);
impl *mirage_default_monotonic_clock_(const char *file, int line);
impl *mirage_default_random_(const char *file, int line);
impl *mirage_default_reporter_(struct mirage_reporter_opts o);
impl *mirage_no_reporter_(const char *file, int line);
impl *mirage_default_argv_(const char *file, int line);
impl *mirage_no_argv_(const char *file, int line);
impl *mirage_noop_(const char *file, int line);
impl *mirage_keys_(const char *file, int line, impl *argv);
impl *mirage_app_info_(const char *file, int line);
int mirage_register_(int argc, char **argv, const char *name, impl_list jobs,
                     struct mirage_register_opts o);

/* ---- The socket stack (unix only; tool/devices_socket.c) -------------
 * UDP and TCP over the host kernel's sockets (<mirage/socket.h>). The
 * unix target alone has host sockets: configuring these devices for
 * another target is an error.
 *   socket_stackv4(), socket_stackv4v6(): stacks whose sockets bind to
 *     the runtime argument --ipv4=A.B.C.D/N (default 0.0.0.0/0: any
 *     address); option .group names it --GROUP-ipv4 instead.
 *   socket_udpv4(ip), socket_tcpv4(ip): a UDP or TCP device bound to the
 *     address ip ("A.B.C.D"; NULL: any address), of type udpv4v6_typ /
 *     tcpv4v6_typ. */
struct mirage_socket_opts {
    const char *file_;
    int line_;
    const char *group;
};
#define MIRAGE_SOCKET_OPTS_(...)                                               \
    (struct mirage_socket_opts)                                                \
    {                                                                          \
        .file_ = __FILE__, .line_ = __LINE__, __VA_ARGS__                      \
    }
#define socket_stackv4(...)                                                    \
    mirage_socket_stackv4_(MIRAGE_SOCKET_OPTS_(__VA_ARGS__))
#define socket_stackv4v6(...)                                                  \
    mirage_socket_stackv4v6_(MIRAGE_SOCKET_OPTS_(__VA_ARGS__))
#define socket_udpv4(ip) mirage_socket_udpv4_(MIRAGE_HERE_, (ip))
#define socket_tcpv4(ip) mirage_socket_tcpv4_(MIRAGE_HERE_, (ip))
impl *mirage_socket_stackv4_(struct mirage_socket_opts o);
impl *mirage_socket_stackv4v6_(struct mirage_socket_opts o);
impl *mirage_socket_udpv4_(const char *file, int line, const char *ip);
impl *mirage_socket_tcpv4_(const char *file, int line, const char *ip);
/* ---- End of the socket stack ------------------------------------------ */

/* ---- The direct network stack (tool/devices_net.c) -------------------
 * The network devices of <mirage/net.h>, <mirage/ethernet.h>,
 * <mirage/arp.h>, <mirage/ip.h>, <mirage/udp.h>, <mirage/tcp.h> and the
 * stacks of <mirage/stack.h>, as MirageOS names them.
 *   default_network(): the network device; on unix the tap interface
 *     given by the runtime argument --interface (default tap0), on hvt
 *     and spt the manifest's device "service".
 *   netif(name): the network device `name` (a tap interface on unix, a
 *     manifest device on hvt and spt; [A-Za-z0-9_]+, at most 15
 *     characters).
 *   etif(net), arp(eth): Ethernet over a network device, ARP over
 *     Ethernet.
 *   create_ipv4(eth, arp, ...): IPv4 configured by the runtime arguments
 *     --ipv4=A.B.C.D/N (default .network, else 10.0.0.2/24) and
 *     --ipv4-gateway=A.B.C.D (default .gateway, else none); .group
 *     prefixes their names (--GROUP-ipv4 ...). Type ipv4_typ.
 *   create_ipv4v6(ipv4): the v4v6 IP device over an IPv4 one (MirageOS
 *     also takes an IPv6 device: IPv6 comes later).
 *   direct_udp(ip, ...), direct_tcp(ip, ...): UDP and TCP over a v4v6 IP
 *     device; .random picks ephemeral ports (default default_random()).
 *   direct_stackv4(net, eth, arp, ipv4, ...), direct_stackv4v6(...): a
 *     stack of those layers with direct UDP and TCP (.random as above).
 *   static_ipv4_stack(net, ...), static_ipv4v6_stack(net, ...): the
 *     direct stack over etif, arp and create_ipv4 (.group, .network,
 *     .gateway as create_ipv4).
 *   generic_stackv4(net, ...), generic_stackv4v6(net, ...): the static
 *     stack or the socket stack, chosen by the configure key
 *     --net=auto|direct|socket|host: socket and host are the socket
 *     stack; auto (the default) is the socket stack on unix and the direct
 *     one elsewhere, as MirageOS does. .group names the key --GROUP-net
 *     and the runtime arguments as above. */
struct mirage_net_opts {
    const char *file_;
    int line_;
    const char *group;   /* runtime argument and key prefix */
    const char *network; /* default of --ipv4 ("A.B.C.D/N") */
    const char *gateway; /* default of --ipv4-gateway ("A.B.C.D") */
    impl *random;        /* default: default_random() */
};
#define MIRAGE_NET_OPTS_(...)                                                  \
    (struct mirage_net_opts)                                                   \
    {                                                                          \
        .file_ = __FILE__, .line_ = __LINE__, __VA_ARGS__                      \
    }
#define default_network() mirage_default_network_(MIRAGE_HERE_)
#define netif(name)       mirage_netif_(MIRAGE_HERE_, (name))
#define etif(net)         mirage_etif_(MIRAGE_HERE_, (net))
#define arp(eth)          mirage_arp_(MIRAGE_HERE_, (eth))
#define create_ipv4(eth, arp_, ...)                                            \
    mirage_create_ipv4_(MIRAGE_NET_OPTS_(__VA_ARGS__), (eth), (arp_))
#define create_ipv4v6(ipv4) mirage_create_ipv4v6_(MIRAGE_HERE_, (ipv4))
#define direct_udp(ip, ...)                                                    \
    mirage_direct_udp_(MIRAGE_NET_OPTS_(__VA_ARGS__), (ip))
#define direct_tcp(ip, ...)                                                    \
    mirage_direct_tcp_(MIRAGE_NET_OPTS_(__VA_ARGS__), (ip))
#define direct_stackv4(net, eth, arp_, ipv4, ...)                              \
    mirage_direct_stackv4_(MIRAGE_NET_OPTS_(__VA_ARGS__), (net), (eth),        \
                           (arp_), (ipv4))
#define direct_stackv4v6(net, eth, arp_, ipv4, ...)                            \
    mirage_direct_stackv4v6_(MIRAGE_NET_OPTS_(__VA_ARGS__), (net), (eth),      \
                             (arp_), (ipv4))
#define static_ipv4_stack(net, ...)                                            \
    mirage_static_ipv4_stack_(MIRAGE_NET_OPTS_(__VA_ARGS__), (net))
#define static_ipv4v6_stack(net, ...)                                          \
    mirage_static_ipv4v6_stack_(MIRAGE_NET_OPTS_(__VA_ARGS__), (net))
#define generic_stackv4(net, ...)                                              \
    mirage_generic_stackv4_(MIRAGE_NET_OPTS_(__VA_ARGS__), (net))
#define generic_stackv4v6(net, ...)                                            \
    mirage_generic_stackv4v6_(MIRAGE_NET_OPTS_(__VA_ARGS__), (net))
impl *mirage_default_network_(const char *file, int line);
impl *mirage_netif_(const char *file, int line, const char *name);
impl *mirage_etif_(const char *file, int line, impl *net);
impl *mirage_arp_(const char *file, int line, impl *eth);
impl *mirage_create_ipv4_(struct mirage_net_opts o, impl *eth, impl *arp);
impl *mirage_create_ipv4v6_(const char *file, int line, impl *ipv4);
impl *mirage_direct_udp_(struct mirage_net_opts o, impl *ip);
impl *mirage_direct_tcp_(struct mirage_net_opts o, impl *ip);
impl *mirage_direct_stackv4_(struct mirage_net_opts o, impl *net, impl *eth,
                             impl *arp, impl *ipv4);
impl *mirage_direct_stackv4v6_(struct mirage_net_opts o, impl *net, impl *eth,
                               impl *arp, impl *ipv4);
impl *mirage_static_ipv4_stack_(struct mirage_net_opts o, impl *net);
impl *mirage_static_ipv4v6_stack_(struct mirage_net_opts o, impl *net);
impl *mirage_generic_stackv4_(struct mirage_net_opts o, impl *net);
impl *mirage_generic_stackv4v6_(struct mirage_net_opts o, impl *net);
/* ---- End of the direct network stack ----------------------------------- */

#endif
