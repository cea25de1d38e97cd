/* The `mirage` command. It finds its installation root from its own
 * location (root = dirname(dirname(realpath(/proc/self/exe))): headers in
 * ROOT/include, libraries in ROOT/lib/mirage), compiles the application's
 * config.c with the host compiler against <mirage/config.h> and
 * libmirage_config.a into mirage/config.bin (again whenever config.c's text
 * changes or the header or the library is newer), and runs it in the
 * application directory with the subcommand and its arguments: the
 * configuration program does the work (see tool/cli.c). Exit status: the
 * subcommand's, or 1 when config.c cannot be compiled or run.
 *
 * config.c is compiled with -Wall -Wextra, and with the mistakes that
 * would otherwise give a page of warnings about macro expansions (a
 * misspelt combinator or type: an undeclared function or identifier, a
 * wrong pointer) made errors; the compiler's first error is shown alone,
 * as one "config.c:LINE:COL: error: ..." line. */
#include "appdir.h"
#include "commands.h"
#include "run.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int die(const char *what, const char *detail)
{
    fprintf(stderr, "mirage: %s%s%s\n", what, detail ? ": " : "",
            detail ? detail : "");
    return 1;
}

/* Modification time, or -1 when the file is missing. */
static long long mtime_of(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    return (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
}

/* Whether two files hold the same bytes (false if either is missing). */
static bool same_content(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    bool same = fa && fb;
    while (same) {
        int x = getc(fa), y = getc(fb);
        same = x == y;
        if (x == EOF)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

/* Copy src to dst; 0 or -1. */
static int copy_file(const char *src, const char *dst)
{
    FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
    int c, rc = in && out ? 0 : -1;
    while (rc == 0 && (c = getc(in)) != EOF)
        if (putc(c, out) == EOF)
            rc = -1;
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        rc = -1;
    return rc;
}

/* Print the compiler's errors and warnings, one line each, without the
 * lines that only locate them (macro expansions, "In function"). */
static void print_diagnostics(const char *text)
{
    for (const char *line = text; *line;) {
        size_t n = strcspn(line, "\n");
        char *s = strndup(line, n);
        line += n + (line[n] == '\n');
        if (s && (strstr(s, ": error:") || strstr(s, ": warning:")))
            fprintf(stderr, "%s\n", s);
        free(s);
    }
}

/* Compile `file` (in the current directory) into mirage/config.bin unless
 * it was built from the same text (kept in mirage/config.src) and is newer
 * than the library and the header. */
static int build_config(const char *root, const char *file)
{
    char inc[PATH_MAX + 16], lib[PATH_MAX + 64], hdr[PATH_MAX + 64];
    snprintf(inc, sizeof(inc), "-I%s/include", root);
    snprintf(lib, sizeof(lib), "%s/lib/mirage/libmirage_config.a", root);
    snprintf(hdr, sizeof(hdr), "%s/include/mirage/config.h", root);
    long long bin = mtime_of(APPDIR_CONFIG_BIN);
    if (bin >= 0 && same_content(file, APPDIR_CONFIG_SRC) &&
        bin > mtime_of(lib) && bin > mtime_of(hdr))
        return 0;
    if (mtime_of(lib) < 0)
        return die("missing library", lib);
    if (mkdir("mirage", 0777) != 0 && errno != EEXIST)
        return die("cannot create mirage/", strerror(errno));
    const char *cc = getenv("CC") ? getenv("CC") : "cc";
    char *argv[] = {(char *)cc,
                    "-std=c11",
                    "-Wall",
                    "-Wextra",
                    "-Werror=implicit-function-declaration",
                    "-Werror=int-conversion",
                    "-Werror=incompatible-pointer-types",
                    "-fmax-errors=1",
                    "-fdiagnostics-plain-output",
                    "-g",
                    inc,
                    "-o",
                    APPDIR_CONFIG_BIN ".tmp",
                    (char *)file,
                    lib,
                    NULL};
    char *err;
    int rc = run_program_stderr(argv, &err);
    if (err) {
        print_diagnostics(err);
        free(err);
    }
    if (rc != 0) {
        unlink(APPDIR_CONFIG_BIN ".tmp");
        return die("cannot compile", file);
    }
    if (rename(APPDIR_CONFIG_BIN ".tmp", APPDIR_CONFIG_BIN) != 0)
        return die("cannot create " APPDIR_CONFIG_BIN, strerror(errno));
    if (copy_file(file, APPDIR_CONFIG_SRC) != 0)
        return die("cannot write " APPDIR_CONFIG_SRC, strerror(errno));
    return 0;
}

/* Whether the arguments ask for help. */
static bool wants_help(int argc, char **argv)
{
    for (int i = 2; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0)
            return true;
    return false;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        commands_usage(stderr);
        return 1;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0) {
        printf("mirage %s\n", MIRAGE_VERSION);
        return 0;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
        (strcmp(cmd, "help") == 0 && argc == 2)) {
        commands_usage(stdout);
        return 0;
    }
    /* `mirage help CMD` is `mirage CMD --help`. */
    char *help_argv[] = {argv[0], argc > 2 ? argv[2] : NULL, "--help", NULL};
    if (strcmp(cmd, "help") == 0) {
        argv = help_argv;
        argc = 3;
        cmd = argv[1];
    }
    const struct command *c = command_find(cmd);
    if (c && strcmp(cmd, "help") == 0) {
        command_help(stdout, c, NULL);
        return 0;
    }
    if (!c) {
        fprintf(stderr, "mirage: unknown command '%s'\n", cmd);
        commands_usage(stderr);
        return 1;
    }

    /* Take -f FILE / --file=FILE out; the rest goes to config.bin. */
    const char *file = "config.c";
    char **rest = calloc((size_t)argc + 1, sizeof(*rest));
    if (!rest)
        return die("out of memory", NULL);
    int n = 0;
    rest[n++] = APPDIR_CONFIG_BIN;
    rest[n++] = (char *)cmd;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "-f") == 0 || strcmp(argv[i], "--file") == 0) {
            if (i + 1 >= argc)
                return die("option needs a file name", argv[i]);
            file = argv[++i];
        } else if (strncmp(argv[i], "--file=", 7) == 0) {
            file = argv[i] + 7;
        } else {
            rest[n++] = argv[i];
        }
    }

    char exe[PATH_MAX];
    if (!realpath("/proc/self/exe", exe))
        return die("cannot find my own location", strerror(errno));
    char *root = dirname(dirname(exe));
    char dir_buf[PATH_MAX], base_buf[PATH_MAX];
    snprintf(dir_buf, sizeof(dir_buf), "%s", file);
    snprintf(base_buf, sizeof(base_buf), "%s", file);
    const char *dir = dirname(dir_buf), *base = basename(base_buf);
    bool help = wants_help(argc, argv);
    if (chdir(dir) != 0) {
        if (help) {
            command_help(stdout, c, NULL);
            return 0;
        }
        return die(dir, strerror(errno));
    }
    if (access(base, R_OK) != 0) {
        /* Outside an application the help has no keys to list. */
        if (help) {
            command_help(stdout, c, NULL);
            return 0;
        }
        return die(file, errno == ENOENT
                             ? "no such configuration file (run in the "
                               "application's directory or give -f FILE)"
                             : strerror(errno));
    }
    bool configures =
        strcmp(cmd, "configure") == 0 || strcmp(cmd, "build") == 0;
    if (build_config(root, base)) {
        /* A configure that fails leaves nothing make could build. */
        if (configures && !help)
            appdir_unconfigure();
        return 1;
    }
    if (setenv("MIRAGE_ROOT", root, 1) != 0 ||
        setenv("MIRAGE_CONFIG_FILE", base, 1) != 0)
        return die("cannot set the environment", strerror(errno));
    int rc = run_program(rest);
    free(rest);
    if (rc < 0)
        return die("cannot run " APPDIR_CONFIG_BIN, strerror(errno));
    return rc;
}
