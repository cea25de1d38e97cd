/* The filesystem catalogue: fat, fat_of_files, kv_ro_of_fs and kv_rw_of_fs
 * (config.h, "Storage devices"). fat_of_files works at configure time:
 * mkfs.fat and mtools (Debian's dosfstools and mtools) write
 * mirage/NAME.img (NAME: "fat", the letters and digits of the directory,
 * a number) from the files of a directory whose names match a shell
 * pattern; on unix the image is the block device itself, on hvt and spt
 * the tender attaches it (--block:NAME=mirage/NAME.img). */
#include "engine.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- Images built at configure time ---------------------------------- */

/* Every (directory, pattern) fat_of_files() was given, with the name of
 * its image; a configure action finds its own from the image its device
 * declared (info->files). The list is malloc'd: it must outlive
 * eng_reset(). */
struct fat_dir {
    char *dir, *pattern;
    char *name; /* fat<letters and digits of dir><index> */
};
static struct fat_dir *fat_dirs;
static size_t nfat_dirs;

static const char *fat_dir_name(const char *dir, const char *pattern)
{
    for (size_t i = 0; i < nfat_dirs; i++)
        if (strcmp(fat_dirs[i].dir, dir) == 0 &&
            strcmp(fat_dirs[i].pattern, pattern) == 0)
            return fat_dirs[i].name;
    /* Letters and digits only, and short: it is also the name of the
     * block device in a Solo5 manifest (at most 67 characters). */
    struct strbuf b = {0};
    sb_add(&b, "fat");
    size_t kept = 0;
    for (const char *p = dir; *p && kept < 40; p++)
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9')) {
            sb_printf(&b, "%c", *p);
            kept++;
        }
    sb_printf(&b, "%zu", nfat_dirs);
    struct fat_dir *v = realloc(fat_dirs, (nfat_dirs + 1) * sizeof *fat_dirs);
    char *d = strdup(dir), *p = strdup(pattern), *n = strdup(sb_str(&b));
    if (!v || !d || !p || !n) {
        fprintf(stderr, "mirage: out of memory\n");
        exit(1);
    }
    fat_dirs = v;
    fat_dirs[nfat_dirs++] = (struct fat_dir){d, p, n};
    return n;
}

/* s quoted for the shell. */
static void sh_quote(struct strbuf *b, const char *s)
{
    sb_add(b, "'");
    for (; *s; s++) {
        if (*s == '\'')
            sb_add(b, "'\\''");
        else
            sb_printf(b, "%c", *s);
    }
    sb_add(b, "'");
}

/* What goes into an image: the script's mmd and mcopy commands and the
 * bytes to make room for. */
struct fat_plan {
    struct strbuf cmds;
    const char *img;
    unsigned long long bytes;
    unsigned long files;
};

/* Add the files under dir/rel whose names match pattern (directories are
 * walked whatever their name, except the build's mirage/ and dist/ when
 * dir is the application's directory; symbolic links followed). 0 or -1
 * after printing why. */
static int plan_dir(const char *dir, const char *rel, const char *pattern,
                    struct fat_plan *p)
{
    const char *path = *rel ? arena_printf("%s/%s", dir, rel) : dir;
    /* Names sorted, so the same tree gives the same image. */
    struct dirent **names;
    int n = scandir(path, &names, NULL, alphasort);
    if (n < 0) {
        fprintf(stderr, "mirage: fat_of_files: cannot open directory %s: %s\n",
                path, strerror(errno));
        return -1;
    }
    mirage_configure_input(path);
    int rc = 0;
    for (int i = 0; i < n; i++) {
        const char *e = names[i]->d_name;
        if (rc || strcmp(e, ".") == 0 || strcmp(e, "..") == 0)
            continue;
        /* The application's own directory holds the build's outputs. */
        if (!*rel && strcmp(dir, ".") == 0 &&
            (strcmp(e, "mirage") == 0 || strcmp(e, "dist") == 0))
            continue;
        const char *r = *rel ? arena_printf("%s/%s", rel, e) : e;
        const char *full = arena_printf("%s/%s", dir, r);
        struct stat st;
        if (stat(full, &st) != 0) {
            fprintf(stderr, "mirage: fat_of_files: cannot stat %s: %s\n", full,
                    strerror(errno));
            rc = -1;
        } else if (S_ISDIR(st.st_mode)) {
            sb_add(&p->cmds, "mmd -i ");
            sh_quote(&p->cmds, p->img);
            sb_add(&p->cmds, " ");
            sh_quote(&p->cmds, arena_printf("::/%s", r));
            sb_add(&p->cmds, " &&\n");
            p->bytes += 4096;
            rc = plan_dir(dir, r, pattern, p);
        } else if (S_ISREG(st.st_mode) && fnmatch(pattern, e, 0) == 0) {
            mirage_configure_input(full);
            sb_add(&p->cmds, "mcopy -m -i ");
            sh_quote(&p->cmds, p->img);
            sb_add(&p->cmds, " ");
            sh_quote(&p->cmds, full);
            sb_add(&p->cmds, " ");
            sh_quote(&p->cmds, arena_printf("::/%s", r));
            sb_add(&p->cmds, " &&\n");
            p->bytes += (unsigned long long)st.st_size;
            p->files++;
        }
    }
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

/* Room for the files with clusters of up to 4 KiB, their directory
 * entries and the FATs, and at least 1 MiB. */
static unsigned long long image_kib(const struct fat_plan *p)
{
    unsigned long long kib =
        p->bytes / 1024 + p->bytes / 1024 / 8 + p->files * 4 + 512;
    return kib < 1024 ? 1024 : kib;
}

static int fat_configure(const struct mirage_configure_info *info)
{
    if (mkdir("mirage", 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "mirage: fat_of_files: cannot create mirage/: %s\n",
                strerror(errno));
        return 1;
    }
    for (size_t i = 0; i < nfat_dirs; i++) {
        const struct fat_dir *fd = &fat_dirs[i];
        struct fat_plan p = {.img = arena_printf("mirage/%s.img", fd->name)};
        if (info->files.n != 1 || strcmp(info->files.v[0], p.img) != 0)
            continue;
        if (plan_dir(fd->dir, "", fd->pattern, &p) != 0)
            return 1;
        struct strbuf s = {0};
        sb_add(&s, "export MTOOLS_SKIP_CHECK=1 && rm -f ");
        sh_quote(&s, p.img);
        sb_printf(&s, " && mkfs.fat -C --invariant -n MIRAGE ");
        sh_quote(&s, p.img);
        sb_printf(&s, " %llu >/dev/null &&\n%strue", image_kib(&p),
                  sb_str(&p.cmds));
        if (system(sb_str(&s)) != 0) {
            fprintf(stderr,
                    "mirage: fat_of_files: mkfs.fat or mtools failed on %s "
                    "(are dosfstools and mtools installed?)\n",
                    fd->dir);
            return 1;
        }
    }
    return 0;
}

/* ---- The devices ------------------------------------------------------ */

static const char *const fs_header[] = {"mirage/fs.h"};

/* A device of type `from -> to` connected by `connect`, applied to arg. */
static impl *fs_functor(const char *file, int line, const char *name, typ *from,
                        typ *to, const char *connect, impl *arg,
                        struct eng_device dev)
{
    if (!arg) {
        if (eng_error_count() == 0)
            eng_error(file, line, "%s: its argument is NULL", name);
        return NULL;
    }
    dev.connect = connect;
    dev.headers = (str_list){1, fs_header};
    dev.libraries = (str_list){1, strcmp(to->name, "fs") == 0
                                      ? (const char *const[]){"fat"}
                                      : (const char *const[]){"fs"}};
    impl *f = make_device_(file, line, name,
                           mirage_typ_fn_(file, line, from, to), dev);
    return mirage_apply_(file, line, f, (impl_list){1, &arg});
}

impl *mirage_fat_(const char *file, int line, impl *block)
{
    return fs_functor(file, line, "fat", block_typ, fs_typ,
                      "mirage_fs_connect_fat(&$$, $0)", block,
                      (struct eng_device){0});
}

impl *mirage_fat_of_files_(const char *file, int line, const char *dir,
                           const char *regexp)
{
    if (!dir || !*dir)
        dir = ".";
    if (!regexp || !*regexp)
        regexp = "*";
    const char *name = fat_dir_name(dir, regexp);
    const char *img = arena_printf("mirage/%s.img", name);
    impl *block = mirage_match_impl_(
        file, line, key_value(target_key),
        mirage_block_of_file_(file, line, name),
        (case_list){1, (struct mirage_case[]){
                           {"unix", mirage_block_of_file_(file, line, img)}}});
    struct eng_device dev = {
        .configure = fat_configure,
        .files = {1, (const char *const[]){img}},
    };
    return fs_functor(file, line, "fat_of_files", block_typ, fs_typ,
                      "mirage_fs_connect_fat(&$$, $0)", block, dev);
}

impl *mirage_kv_ro_of_fs_(const char *file, int line, impl *fs)
{
    return fs_functor(file, line, "kv_ro_of_fs", fs_typ, kv_ro_typ,
                      "mirage_kv_ro_connect_fs(&$$, $0)", fs,
                      (struct eng_device){0});
}

impl *mirage_kv_rw_of_fs_(const char *file, int line, impl *fs)
{
    return fs_functor(file, line, "kv_rw_of_fs", fs_typ, kv_rw_typ,
                      "mirage_kv_rw_connect_fs(&$$, $0)", fs,
                      (struct eng_device){0});
}
