/* The key-value store catalogue: crunch, direct_kv_ro, direct_kv_rw,
 * kv_rw_mem, archive, archive_of_files and generic_kv_ro (config.h,
 * "Storage devices"). crunch and archive_of_files work at configure time:
 * crunch writes mirage/crunch_NAME.c, which embeds each file's raw bytes
 * with the assembler's .incbin and registers a table for
 * mirage_kv_ro_connect_crunch_named(); archive_of_files has GNU tar write
 * mirage/NAME.tar. */
#include "engine.h"
#include "run.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- Directories embedded or archived at configure time -------------- */

/* Every directory crunch() or archive_of_files() was given, in order, with
 * the name of what the configure action makes for it. An action learns
 * its device's directory from the file the device declared (info->files).
 * The list is malloc'd: it must outlive eng_reset(). */
struct build_dir {
    char *dir;   /* as written in config.c, relative to the application */
    char *name;  /* unique identifier: table name, file names */
    bool is_tar; /* archive_of_files (else crunch) */
};
static struct build_dir *build_dirs;
static size_t nbuild_dirs;

static bool name_taken(const char *name, bool is_tar)
{
    for (size_t i = 0; i < nbuild_dirs; i++)
        if (build_dirs[i].is_tar == is_tar &&
            strcmp(build_dirs[i].name, name) == 0)
            return true;
    return false;
}

/* The identifier of dir ([A-Za-z0-9]+, unique among the kind's): its
 * letters and digits, numbered when another directory has the same. */
static const char *build_dir_name(const char *dir, bool is_tar)
{
    for (size_t i = 0; i < nbuild_dirs; i++)
        if (build_dirs[i].is_tar == is_tar &&
            strcmp(build_dirs[i].dir, dir) == 0)
            return build_dirs[i].name;
    struct strbuf b = {0};
    for (const char *p = dir; *p; p++)
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9'))
            sb_printf(&b, "%c", *p);
    const char *base = b.len ? sb_str(&b) : "dir", *name = base;
    for (unsigned n = 2; name_taken(name, is_tar); n++)
        name = arena_printf("%s%u", base, n);
    struct build_dir *v =
        realloc(build_dirs, (nbuild_dirs + 1) * sizeof *build_dirs);
    char *d = strdup(dir), *n = strdup(name);
    if (!v || !d || !n) {
        fprintf(stderr, "mirage: out of memory\n");
        exit(1);
    }
    build_dirs = v;
    build_dirs[nbuild_dirs++] = (struct build_dir){d, n, is_tar};
    return n;
}

/* One file of a crunched directory. */
struct crunch_file {
    char *key;  /* relative to the directory */
    char *path; /* as the assembler opens it, relative to the app */
    unsigned long long mtime_ns;
};
struct crunch_files {
    struct crunch_file *v;
    size_t n, cap;
};

/* Add the regular files under path (key prefix `key`), recursively;
 * symbolic links are followed, other kinds skipped. 0 or -1 after
 * printing why. */
static int collect_files(const char *path, const char *key,
                         struct crunch_files *out)
{
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "mirage: crunch: cannot open directory %s: %s\n", path,
                strerror(errno));
        return -1;
    }
    mirage_configure_input(path);
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *p = arena_printf("%s/%s", path, e->d_name);
        char *k = *key ? arena_printf("%s/%s", key, e->d_name)
                       : arena_strdup(e->d_name);
        struct stat st;
        if (stat(p, &st) != 0) {
            fprintf(stderr, "mirage: crunch: cannot stat %s: %s\n", p,
                    strerror(errno));
            rc = -1;
        } else if (S_ISDIR(st.st_mode)) {
            rc = collect_files(p, k, out);
        } else if (S_ISREG(st.st_mode)) {
            mirage_configure_input(p);
            if (strchr(p, '\n') || strchr(p, '"') || strchr(p, '\\')) {
                fprintf(stderr,
                        "mirage: crunch: cannot embed %s: its name has a "
                        "newline, quote or backslash\n",
                        p);
                rc = -1;
                continue;
            }
            if (out->n == out->cap) {
                out->cap = out->cap ? out->cap * 2 : 64;
                struct crunch_file *v = arena_alloc(out->cap * sizeof *out->v);
                if (out->n)
                    memcpy(v, out->v, out->n * sizeof *out->v);
                out->v = v;
            }
            out->v[out->n++] = (struct crunch_file){
                k, p,
                (unsigned long long)st.st_mtim.tv_sec * 1000000000ull +
                    (unsigned long long)st.st_mtim.tv_nsec};
        }
    }
    closedir(d);
    return rc;
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const struct crunch_file *)a)->key,
                  ((const struct crunch_file *)b)->key);
}

/* The text of mirage/crunch_NAME.c for the directory. */
static const char *crunch_source(const struct build_dir *bd,
                                 const struct crunch_files *f)
{
    struct strbuf b = {0};
    sb_printf(&b,
              "/* Generated by `mirage configure`: the files of %s, embedded "
              "as raw bytes\n * for the crunch store \"%s\". Do not edit. "
              "*/\n#include <mirage/kv.h>\n\n",
              bd->dir, bd->name);
    if (f->n == 0) {
        sb_printf(&b,
                  "__attribute__((used, retain, section(\"mirage_crunch\")))"
                  "\nstatic const struct mirage_crunch_table table = "
                  "{\"%s\", 0, 0};\n",
                  bd->name);
        return sb_str(&b);
    }
    const char *sym = arena_printf("mirage_crunch_%s", bd->name);
    sb_add(&b, "__asm__(\n");
    for (size_t i = 0; i < f->n; i++)
        sb_printf(&b,
                  "    \"\\t.section .rodata.%s_%zu,\\\"a\\\"\\n\"\n"
                  "    \"%s_%zu:\\n\\t.incbin \\\"%s\\\"\\n%s_%zu_end:\\n\"\n",
                  sym, i, sym, i, f->v[i].path, sym, i);
    sb_add(&b, "    \"\\t.previous\\n\");\n\n");
    for (size_t i = 0; i < f->n; i++)
        sb_printf(&b, "extern const unsigned char %s_%zu[], %s_%zu_end[];\n",
                  sym, i, sym, i);
    sb_add(&b, "\nstatic const struct mirage_crunch_file files[] = {\n");
    for (size_t i = 0; i < f->n; i++) {
        sb_add(&b, "    {");
        sb_cstr(&b, f->v[i].key);
        sb_printf(&b, ", %s_%zu, %s_%zu_end, %lluull},\n", sym, i, sym, i,
                  f->v[i].mtime_ns);
    }
    sb_printf(&b, "};\nMIRAGE_CRUNCH_TABLE(\"%s\", files);\n", bd->name);
    return sb_str(&b);
}

/* The file the configure action makes for a directory. */
static const char *build_dir_file(const char *name, bool is_tar)
{
    return is_tar ? arena_printf("mirage/%s.tar", name)
                  : arena_printf("mirage/crunch_%s.c", name);
}

/* The directory whose configure output is file, or NULL. */
static const struct build_dir *dir_of_file(const char *file, bool is_tar)
{
    for (size_t i = 0; i < nbuild_dirs; i++)
        if (build_dirs[i].is_tar == is_tar &&
            strcmp(build_dir_file(build_dirs[i].name, is_tar), file) == 0)
            return &build_dirs[i];
    return NULL;
}

/* Write mirage/crunch_NAME.c for each directory the device names. */
static int crunch_configure(const struct mirage_configure_info *info)
{
    for (size_t i = 0; i < info->files.n; i++) {
        const struct build_dir *bd = dir_of_file(info->files.v[i], false);
        if (!bd)
            continue;
        struct crunch_files f = {0};
        if (collect_files(bd->dir, "", &f) != 0)
            return 1;
        if (f.n > 1)
            qsort(f.v, f.n, sizeof *f.v, by_key);
        if (write_if_changed(info->files.v[i], crunch_source(bd, &f)) != 0)
            return 1;
    }
    return 0;
}

/* Make mirage/NAME.tar for each directory the device names, with sorted
 * names and fixed owners so the same directory gives the same archive. */
static int archive_configure(const struct mirage_configure_info *info)
{
    for (size_t i = 0; i < info->files.n; i++) {
        const struct build_dir *bd = dir_of_file(info->files.v[i], true);
        if (!bd)
            continue;
        char *const argv[] = {"tar",         "--format=gnu",
                              "--sort=name", "--owner=0",
                              "--group=0",   "--numeric-owner",
                              "-cf",         (char *)info->files.v[i],
                              "-C",          bd->dir,
                              ".",           NULL};
        struct crunch_files inputs = {0};
        if (collect_files(bd->dir, "", &inputs) != 0)
            return 1;
        if (mkdir("mirage", 0755) != 0 && errno != EEXIST)
            return 1;
        if (run_program(argv) != 0) {
            fprintf(stderr, "mirage: archive_of_files: tar failed on %s\n",
                    bd->dir);
            return 1;
        }
    }
    return 0;
}

/* ---- The devices ------------------------------------------------------ */

static const char *const kv_header[] = {"mirage/kv.h"};

/* A kv device of type t connected by `connect`. */
static impl *kv_device(const char *file, int line, const char *name, typ *t,
                       const char *connect, struct eng_device dev)
{
    dev.connect = connect;
    dev.headers = (str_list){1, kv_header};
    static const char *const kv_library[] = {"kv"};
    if (!dev.libraries.n)
        dev.libraries = (str_list){1, kv_library};
    return make_device_(file, line, name, t, dev);
}

/* A C string literal of s, for connect code. */
static const char *literal(const char *s)
{
    struct strbuf b = {0};
    sb_cstr(&b, s);
    return sb_str(&b);
}

static bool has_dir(const char *file, int line, const char *what,
                    const char *dir)
{
    if (dir && *dir)
        return true;
    eng_error(file, line, "%s needs a directory", what);
    return false;
}

impl *mirage_crunch_(const char *file, int line, const char *dir)
{
    if (!has_dir(file, line, "crunch", dir))
        return NULL;
    const char *name = build_dir_name(dir, false);
    struct eng_device dev = {
        .configure = crunch_configure,
        .files = {1, (const char *const[]){build_dir_file(name, false)}},
    };
    return kv_device(file, line, "crunch", kv_ro_typ,
                     arena_printf("mirage_kv_ro_connect_crunch_named(&$$, "
                                  "\"%s\")",
                                  name),
                     dev);
}

/* A value of the target key, to choose unix-only implementations. */
static value *target_value(void)
{
    return key_value(target_key);
}

impl *mirage_direct_kv_ro_(const char *file, int line, const char *dir)
{
    if (!has_dir(file, line, "direct_kv_ro", dir))
        return NULL;
    struct eng_device dev = {
        .targets = {1, (const char *const[]){"unix"}},
        .libraries = {1, (const char *const[]){"kv_direct"}},
    };
    impl *direct = kv_device(
        file, line, "direct_kv_ro", kv_ro_typ,
        arena_printf("mirage_kv_ro_connect_direct(&$$, %s)", literal(dir)),
        dev);
    return mirage_match_impl_(
        file, line, target_value(), mirage_crunch_(file, line, dir),
        (case_list){1, (struct mirage_case[]){{"unix", direct}}});
}

impl *mirage_direct_kv_rw_(const char *file, int line, const char *dir)
{
    if (!has_dir(file, line, "direct_kv_rw", dir))
        return NULL;
    struct eng_device dev = {
        .targets = {1, (const char *const[]){"unix"}},
        .libraries = {1, (const char *const[]){"kv_direct"}},
    };
    return kv_device(
        file, line, "direct_kv_rw", kv_rw_typ,
        arena_printf("mirage_kv_rw_connect_direct(&$$, %s)", literal(dir)),
        dev);
}

impl *mirage_kv_rw_mem_(const char *file, int line)
{
    return kv_device(file, line, "kv_rw_mem", kv_rw_typ,
                     "mirage_kv_rw_connect_mem(&$$)", (struct eng_device){0});
}

impl *mirage_archive_(const char *file, int line, impl *block)
{
    impl *f = kv_device(
        file, line, "archive", mirage_typ_fn_(file, line, block_typ, kv_ro_typ),
        "mirage_kv_ro_connect_archive(&$$, $0)", (struct eng_device){0});
    return mirage_apply_(file, line, f, (impl_list){1, &block});
}

impl *mirage_archive_of_files_(const char *file, int line, const char *dir)
{
    if (!has_dir(file, line, "archive_of_files", dir))
        return NULL;
    const char *name = build_dir_name(dir, true);
    const char *tar = build_dir_file(name, true);
    /* On unix the block device is the file itself; elsewhere the tender
     * attaches it: --block:NAME=mirage/NAME.tar. */
    impl *block = mirage_match_impl_(
        file, line, target_value(), mirage_block_of_file_(file, line, name),
        (case_list){1, (struct mirage_case[]){
                           {"unix", mirage_block_of_file_(file, line, tar)}}});
    struct eng_device dev = {
        .configure = archive_configure,
        .files = {1, (const char *const[]){tar}},
    };
    impl *f = kv_device(file, line, "archive_of_files",
                        mirage_typ_fn_(file, line, block_typ, kv_ro_typ),
                        "mirage_kv_ro_connect_archive(&$$, $0)", dev);
    return mirage_apply_(file, line, f, (impl_list){1, &block});
}

impl *mirage_generic_kv_ro_(struct mirage_storage_opts o, const char *dir)
{
    const char *kname = o.group ? arena_printf("%s-kv_ro", o.group) : "kv_ro";
    key *k = mirage_key_enum_(
        o.file_, o.line_, kname, "crunch",
        "The read-only store: crunch (embedded in the image), direct (the "
        "host directory on unix, crunch elsewhere), archive (a tar image "
        "built from the directory) or fat (a FAT image built from it).",
        strs("crunch", "direct", "archive", "fat"));
    const char *f = o.file_;
    int l = o.line_;
    return mirage_match_impl_(
        f, l, key_value(k), mirage_crunch_(f, l, dir),
        (case_list){
            3, (struct mirage_case[]){
                   {"direct", mirage_direct_kv_ro_(f, l, dir)},
                   {"archive", mirage_archive_of_files_(f, l, dir)},
                   {"fat", mirage_kv_ro_of_fs_(
                               f, l, mirage_fat_of_files_(f, l, dir, NULL))},
               }});
}
