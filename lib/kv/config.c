/* The key-value stores' catalogue entries (<mirage/config/kv.h>):
 * crunch, kv_rw_mem, archive, archive_of_files and generic_kv_ro, over
 * the connect functions of <mirage/kv.h> in libmirage_kv.a. crunch and
 * archive_of_files work at configure time: crunch writes
 * mirage/crunch_NAME.c, which embeds each file's raw bytes with the
 * assembler's .incbin and registers a table for
 * mirage_kv_ro_connect_crunch_named(); archive_of_files has GNU tar write
 * mirage/NAME.tar. Both name every file and directory they read as
 * inputs, so plain make configures again when one changes. */
#include <mirage/config.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typ *mirage_kv_ro_typ(void)
{
    return typ_new("kv_ro", "struct mirage_kv_ro *", .header = "mirage/kv.h");
}

typ *mirage_kv_rw_typ(void)
{
    return typ_new("kv_rw", "struct mirage_kv_rw *", .header = "mirage/kv.h");
}

/* ---- Directories embedded or archived at configure time -------------- */

/* Every directory crunch() or archive_of_files() was given, with the name
 * of what the configure action makes for it; an action learns its
 * device's directory from the file the device declared (info->files). */
struct build_dir {
    char *dir;   /* as written in config.c, relative to the application */
    char *name;  /* unique identifier: table name, file names */
    bool is_tar; /* archive_of_files (else crunch) */
};
static struct build_dir *build_dirs;
static size_t nbuild_dirs;

static void *checked(void *p)
{
    if (!p) {
        fprintf(stderr, "mirage: out of memory\n");
        exit(1);
    }
    return p;
}

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
    char *base = checked(calloc(strlen(dir) + 4, 1));
    size_t n = 0;
    for (const char *p = dir; *p; p++)
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9'))
            base[n++] = *p;
    if (!n)
        strcpy(base, "dir");
    const char *name = base;
    for (unsigned k = 2; name_taken(name, is_tar); k++)
        name = mirage_printf("%s%u", base, k);
    build_dirs =
        checked(realloc(build_dirs, (nbuild_dirs + 1) * sizeof *build_dirs));
    build_dirs[nbuild_dirs++] =
        (struct build_dir){checked(strdup(dir)), checked(strdup(name)), is_tar};
    free(base);
    return build_dirs[nbuild_dirs - 1].name;
}

/* The file the configure action makes for a directory. */
static const char *build_dir_file(const char *name, bool is_tar)
{
    return is_tar ? mirage_printf("mirage/%s.tar", name)
                  : mirage_printf("mirage/crunch_%s.c", name);
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

/* One file of a directory tree. */
struct tree_file {
    const char *key;  /* relative to the directory */
    const char *path; /* as the assembler opens it, relative to the app */
    unsigned long long mtime_ns;
};
struct tree {
    struct tree_file *v;
    size_t n, cap;
};

/* Add the regular files under path (key prefix `key`), recursively,
 * naming each directory and file an input; symbolic links are followed,
 * other kinds skipped. 0 or -1 after printing why (what: the device). */
static int collect_files(const struct mirage_configure_info *info,
                         const char *what, const char *path, const char *key,
                         struct tree *out)
{
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "%s:%d: error: %s: cannot open directory %s: %s\n",
                info->file, info->line, what, path, strerror(errno));
        return -1;
    }
    mirage_configure_input(path);
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        const char *p = mirage_printf("%s/%s", path, e->d_name);
        const char *k = *key ? mirage_printf("%s/%s", key, e->d_name)
                             : mirage_printf("%s", e->d_name);
        struct stat st;
        if (stat(p, &st) != 0) {
            fprintf(stderr, "%s:%d: error: %s: cannot stat %s: %s\n",
                    info->file, info->line, what, p, strerror(errno));
            rc = -1;
        } else if (S_ISDIR(st.st_mode)) {
            rc = collect_files(info, what, p, k, out);
        } else if (S_ISREG(st.st_mode)) {
            mirage_configure_input(p);
            if (out->n == out->cap) {
                out->cap = out->cap ? out->cap * 2 : 64;
                out->v = checked(realloc(out->v, out->cap * sizeof *out->v));
            }
            out->v[out->n++] = (struct tree_file){
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
    return strcmp(((const struct tree_file *)a)->key,
                  ((const struct tree_file *)b)->key);
}

/* Write mirage/crunch_NAME.c for the directory: 0 or -1. */
static int write_crunch_source(const struct mirage_configure_info *info,
                               const char *path, const struct build_dir *bd,
                               const struct tree *f)
{
    for (size_t i = 0; i < f->n; i++)
        if (strpbrk(f->v[i].path, "\n\"\\")) {
            fprintf(stderr,
                    "%s:%d: error: crunch: cannot embed %s: its name has a "
                    "newline, quote or backslash\n",
                    info->file, info->line, f->v[i].path);
            return -1;
        }
    char *text;
    size_t len;
    FILE *b = checked(open_memstream(&text, &len));
    fprintf(b,
            "/* Generated by `mirage configure`: the files of %s, embedded "
            "as raw bytes\n * for the crunch store \"%s\". Do not edit. "
            "*/\n#include <mirage/kv.h>\n\n",
            bd->dir, bd->name);
    if (f->n == 0) {
        fprintf(b,
                "__attribute__((used, retain, section(\"mirage_crunch\")))\n"
                "static const struct mirage_crunch_table table = "
                "{\"%s\", 0, 0};\n",
                bd->name);
    } else {
        const char *sym = mirage_printf("mirage_crunch_%s", bd->name);
        fprintf(b, "__asm__(\n");
        for (size_t i = 0; i < f->n; i++)
            fprintf(
                b,
                "    \"\\t.section .rodata.%s_%zu,\\\"a\\\"\\n\"\n"
                "    \"%s_%zu:\\n\\t.incbin \\\"%s\\\"\\n%s_%zu_end:\\n\"\n",
                sym, i, sym, i, f->v[i].path, sym, i);
        fprintf(b, "    \"\\t.previous\\n\");\n\n");
        for (size_t i = 0; i < f->n; i++)
            fprintf(b, "extern const unsigned char %s_%zu[], %s_%zu_end[];\n",
                    sym, i, sym, i);
        fprintf(b, "\nstatic const struct mirage_crunch_file files[] = {\n");
        for (size_t i = 0; i < f->n; i++)
            fprintf(b, "    {%s, %s_%zu, %s_%zu_end, %lluull},\n",
                    mirage_cstr(f->v[i].key), sym, i, sym, i, f->v[i].mtime_ns);
        fprintf(b, "};\nMIRAGE_CRUNCH_TABLE(\"%s\", files);\n", bd->name);
    }
    fclose(b);
    int rc = mirage_write_file(path, text);
    free(text);
    return rc;
}

/* Write mirage/crunch_NAME.c for each directory the device names. */
static int crunch_configure(const struct mirage_configure_info *info)
{
    for (size_t i = 0; i < info->files.n; i++) {
        const struct build_dir *bd = dir_of_file(info->files.v[i], false);
        if (!bd)
            continue;
        struct tree f = {0};
        int rc = collect_files(info, "crunch", bd->dir, "", &f);
        if (rc == 0 && f.n > 1)
            qsort(f.v, f.n, sizeof *f.v, by_key);
        if (rc == 0)
            rc = write_crunch_source(info, info->files.v[i], bd, &f);
        free(f.v);
        if (rc != 0)
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
        struct tree inputs = {0};
        int rc = collect_files(info, "archive_of_files", bd->dir, "", &inputs);
        free(inputs.v);
        if (rc != 0)
            return 1;
        char *const argv[] = {"tar",         "--format=gnu",
                              "--sort=name", "--owner=0",
                              "--group=0",   "--numeric-owner",
                              "-cf",         (char *)info->files.v[i],
                              "-C",          bd->dir,
                              ".",           NULL};
        if (mirage_run(argv) != 0) {
            fprintf(stderr,
                    "%s:%d: error: archive_of_files: tar failed on %s\n",
                    info->file, info->line, bd->dir);
            return 1;
        }
    }
    return 0;
}

/* ---- The devices ------------------------------------------------------ */

impl *mirage_crunch_(const char *dir)
{
    if (!dir || !*dir)
        return mirage_fail("crunch needs a directory");
    const char *name = build_dir_name(dir, false);
    return impl(
        "crunch", kv_ro_typ,
        .connect = mirage_printf("mirage_kv_ro_connect_crunch_named(&$out, %s)",
                                 mirage_cstr(name)),
        .headers = strs("mirage/kv.h"), .libraries = strs("kv"),
        .configure = crunch_configure,
        .files = strs(build_dir_file(name, false)));
}

impl *mirage_kv_rw_mem_(void)
{
    return impl("kv_rw_mem", kv_rw_typ,
                .connect = "mirage_kv_rw_connect_mem(&$out)",
                .headers = strs("mirage/kv.h"), .libraries = strs("kv"));
}

/* The tar archive reader, a functor over a block device. */
static impl *archive_reader(const char *name, impl *block,
                            struct mirage_impl_opts o)
{
    o.connect = "mirage_kv_ro_connect_archive(&$out, $block)";
    o.headers = strs("mirage/kv.h");
    o.libraries = strs("kv");
    return apply(mirage_impl_(name, typ_fn(block_typ, kv_ro_typ), o), block);
}

impl *mirage_archive_(impl *block)
{
    return archive_reader("archive", block, (struct mirage_impl_opts){0});
}

impl *mirage_archive_of_files_(const char *dir)
{
    if (!dir || !*dir)
        return mirage_fail("archive_of_files needs a directory");
    const char *name = build_dir_name(dir, true);
    const char *tar = build_dir_file(name, true);
    /* On unix the block device is the file itself; elsewhere the tender
     * attaches it: --block:NAME=mirage/NAME.tar. */
    impl *block = match_impl(key_value(target_key), block_of_file(name),
                             match_case("unix", block_of_file(tar)));
    return archive_reader("archive_of_files", block,
                          (struct mirage_impl_opts){
                              .configure = archive_configure,
                              .files = strs(tar),
                          });
}

impl *mirage_generic_kv_ro_(struct mirage_storage_opts o, const char *dir)
{
    key *k = key_enum(
        mirage_group_name(o.group, "kv_ro"), "crunch",
        "The read-only store: crunch (embedded in the image), direct (the "
        "host directory on unix, crunch elsewhere), archive (a tar image "
        "built from the directory) or fat (a FAT image built from it).",
        "crunch", "direct", "archive", "fat");
    return match_impl(key_value(k), crunch(dir),
                      match_case("direct", direct_kv_ro(dir)),
                      match_case("archive", archive_of_files(dir)),
                      match_case("fat", kv_ro_of_fs(fat_of_files(dir, NULL))));
}
