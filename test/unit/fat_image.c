/* The helpers of fat_image.h (hosted). */
#include "fat_image.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "mem_disk.h"

static char scratch[64];

static void remove_scratch(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", scratch);
}

const char *scratch_dir(void)
{
    if (!scratch[0]) {
        strcpy(scratch, "/tmp/mirage-fat.XXXXXX");
        if (!mkdtemp(scratch)) {
            perror("mkdtemp");
            exit(1);
        }
        atexit(remove_scratch);
    }
    return scratch;
}

int run(char **out, const char *fmt, ...)
{
    char *cmd, *full;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&cmd, fmt, ap) < 0)
        return -1;
    va_end(ap);
    if (asprintf(&full, "export MTOOLS_SKIP_CHECK=1; cd '%s' && { %s; }%s",
                 scratch_dir(), cmd, out ? " 2>&1" : " >/dev/null 2>&1") < 0)
        return -1;
    free(cmd);
    FILE *p = popen(full, "r");
    free(full);
    if (!p)
        return -1;
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 2)
            buf = realloc(buf, cap *= 2);
    }
    buf[len] = 0;
    int status = pclose(p);
    if (out)
        *out = buf;
    else
        free(buf);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

const char *make_image(const char *name, unsigned kib, const char *options)
{
    static char paths[32][128];
    static unsigned next;
    char *path = paths[next++ % 32];
    snprintf(path, 128, "%s/%s", scratch_dir(), name);
    if (run(NULL, "rm -f '%s' && mkfs.fat -C %s '%s' %u", path, options, path,
            kib) != 0)
        return NULL;
    return path;
}

int mount_image(const char *path, struct mounted *m)
{
    m->fs = NULL;
    m->disk = mem_disk_load(path, 512, true);
    if (!m->disk)
        return -1;
    int r = mirage_fs_connect_fat(&m->fs, m->disk);
    if (r) {
        mirage_block_disconnect(m->disk);
        m->disk = NULL;
    }
    return r;
}

void unmount_image(struct mounted *m, const char *path)
{
    if (m->fs)
        mirage_fs_disconnect(m->fs);
    if (m->disk) {
        if (path && mem_disk_save(m->disk, path) != 0)
            fprintf(stderr, "cannot save %s\n", path);
        mirage_block_disconnect(m->disk);
    }
    m->fs = NULL, m->disk = NULL;
}

void fill_pattern(unsigned char *buf, size_t len, unsigned seed)
{
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < len; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (unsigned char)(x >> 16);
    }
}
