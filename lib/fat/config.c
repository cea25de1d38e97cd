/* The FAT filesystem's catalogue entries (<mirage/config/fat.h>): fat and
 * fat_of_files over the connect function of <mirage/fs.h> in
 * libmirage_fat.a. fat_of_files works at configure time: mkfs.fat and
 * mtools (Debian's dosfstools and mtools) write mirage/NAME.img from the
 * files of a directory whose names match a shell pattern; on unix the
 * image is the block device itself, on hvt and spt the tender attaches
 * it (--block:NAME=mirage/NAME.img). Every directory and file it reads is
 * an input, so plain make makes the image again when one changes. */
#include <mirage/config.h>

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- Images built at configure time ----------------------------------
 * The device hands its configure action the directory and the pattern
 * (info->args) and names the image (info->files): mirage/NAME.img, NAME
 * "fat" and mirage_ident of both, also the name of the block device in a
 * Solo5 manifest (letters and digits, at most 67). */

static const char *image_name(const char *dir, const char *pattern)
{
    return mirage_printf(
        "fat%s", mirage_ident(mirage_printf("%s:%s", dir, pattern), 40));
}

/* s quoted for the shell, appended to b. */
static void sh_quote(FILE *b, const char *s)
{
    fputc('\'', b);
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", b);
        else
            fputc(*s, b);
    }
    fputc('\'', b);
}

/* What goes into an image: the script's mmd and mcopy commands and the
 * bytes to make room for. */
struct fat_plan {
    const struct mirage_configure_info *info;
    FILE *cmds;
    const char *img;
    unsigned long long bytes;
    unsigned long files;
};

/* Add the files under dir/rel whose names match pattern (directories are
 * walked whatever their name, except the build's mirage/ and dist/ when
 * dir is the application's directory; symbolic links followed), each
 * directory and file an input. 0 or -1 after printing why. */
static int plan_dir(const char *dir, const char *rel, const char *pattern,
                    struct fat_plan *p)
{
    const char *path = *rel ? mirage_printf("%s/%s", dir, rel) : dir;
    /* Names sorted, so the same tree gives the same image. */
    struct dirent **names;
    int n = scandir(path, &names, NULL, alphasort);
    if (n < 0) {
        fprintf(stderr,
                "%s:%d: error: fat_of_files: cannot open directory %s: %s\n",
                p->info->file, p->info->line, path, strerror(errno));
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
        const char *r = *rel ? mirage_printf("%s/%s", rel, e) : e;
        const char *full = mirage_printf("%s/%s", dir, r);
        struct stat st;
        if (stat(full, &st) != 0) {
            fprintf(stderr, "%s:%d: error: fat_of_files: cannot stat %s: %s\n",
                    p->info->file, p->info->line, full, strerror(errno));
            rc = -1;
        } else if (S_ISDIR(st.st_mode)) {
            fputs("mmd -i ", p->cmds);
            sh_quote(p->cmds, p->img);
            fputc(' ', p->cmds);
            sh_quote(p->cmds, mirage_printf("::/%s", r));
            fputs(" &&\n", p->cmds);
            p->bytes += 4096;
            rc = plan_dir(dir, r, pattern, p);
        } else if (S_ISREG(st.st_mode) && fnmatch(pattern, e, 0) == 0) {
            mirage_configure_input(full);
            fputs("mcopy -m -i ", p->cmds);
            sh_quote(p->cmds, p->img);
            fputc(' ', p->cmds);
            sh_quote(p->cmds, full);
            fputc(' ', p->cmds);
            sh_quote(p->cmds, mirage_printf("::/%s", r));
            fputs(" &&\n", p->cmds);
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
    const char *dir = info->args.v[0], *pattern = info->args.v[1];
    const char *img = info->files.v[0];
    if (mkdir("mirage", 0755) != 0 && errno != EEXIST) {
        fprintf(stderr,
                "%s:%d: error: fat_of_files: cannot create mirage/: %s\n",
                info->file, info->line, strerror(errno));
        return 1;
    }
    char *cmds, *script;
    size_t len;
    struct fat_plan p = {.info = info, .img = img};
    p.cmds = open_memstream(&cmds, &len);
    if (!p.cmds)
        return 1;
    int rc = plan_dir(dir, "", pattern, &p);
    fclose(p.cmds);
    FILE *s = open_memstream(&script, &len);
    if (!s) {
        free(cmds);
        return 1;
    }
    fputs("export MTOOLS_SKIP_CHECK=1 && rm -f ", s);
    sh_quote(s, img);
    fputs(" && mkfs.fat -C --invariant -n MIRAGE ", s);
    sh_quote(s, img);
    fprintf(s, " %llu >/dev/null &&\n%strue", image_kib(&p), cmds);
    fclose(s);
    free(cmds);
    if (rc == 0 && system(script) != 0) {
        fprintf(stderr,
                "%s:%d: error: fat_of_files: mkfs.fat or mtools failed on %s "
                "(are dosfstools and mtools installed?)\n",
                info->file, info->line, dir);
        rc = -1;
    }
    free(script);
    return rc != 0;
}

/* ---- The devices ------------------------------------------------------ */

/* The filesystem on block, a functor over it. */
static impl *fat_on(const char *name, impl *block, struct mirage_impl_opts o)
{
    o.connect = "mirage_fs_connect_fat(&$out, $block)";
    o.headers = strs("mirage/fs.h");
    o.libraries = strs("fat");
    return apply(mirage_impl_(name, typ_fn(block_typ, fs_typ), o), block);
}

impl *mirage_fat_(impl *block)
{
    return fat_on("fat", block, (struct mirage_impl_opts){0});
}

impl *mirage_fat_of_files_(const char *dir, const char *pattern)
{
    if (!dir || !*dir)
        dir = ".";
    if (!pattern || !*pattern)
        pattern = "*";
    const char *name = image_name(dir, pattern);
    const char *img = mirage_printf("mirage/%s.img", name);
    impl *block = match_impl(key_value(target_key), block_of_file(name),
                             match_case("unix", block_of_file(img)));
    return fat_on("fat_of_files", block,
                  (struct mirage_impl_opts){
                      .configure = fat_configure,
                      .configure_args = strs(dir, pattern),
                      .files = strs(img),
                  });
}
