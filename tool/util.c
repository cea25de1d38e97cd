/* Host utilities of the configuration engine: arena, strings, files. */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct arena_block {
    struct arena_block *next;
    max_align_t data[];
};
static struct arena_block *arena_head;

static void die_oom(void)
{
    fprintf(stderr, "mirage: out of memory\n");
    exit(1);
}

void *arena_alloc(size_t size)
{
    struct arena_block *b = calloc(1, sizeof(*b) + size);
    if (!b)
        die_oom();
    b->next = arena_head;
    arena_head = b;
    return b->data;
}

void arena_free_all(void)
{
    while (arena_head) {
        struct arena_block *b = arena_head;
        arena_head = b->next;
        free(b);
    }
}

char *arena_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    return memcpy(arena_alloc(n), s, n);
}

void *arena_memdup(const void *p, size_t n, size_t size)
{
    if (n == 0)
        return NULL;
    return memcpy(arena_alloc(n * size), p, n * size);
}

char *arena_vprintf(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *s = arena_alloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *arena_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = arena_vprintf(fmt, ap);
    va_end(ap);
    return s;
}

static void sb_grow(struct strbuf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *s = arena_alloc(cap);
    if (b->s)
        memcpy(s, b->s, b->len + 1);
    b->s = s;
    b->cap = cap;
}

void sb_add(struct strbuf *b, const char *s)
{
    size_t n = strlen(s);
    sb_grow(b, n);
    memcpy(b->s + b->len, s, n + 1);
    b->len += n;
}

void sb_printf(struct strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_add(b, arena_vprintf(fmt, ap));
    va_end(ap);
}

void sb_cstr(struct strbuf *b, const char *s)
{
    sb_add(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            sb_printf(b, "\\%c", *p);
        else if (*p == '\n')
            sb_add(b, "\\n");
        else if (*p < 0x20 || *p >= 0x7f || *p == '?')
            sb_printf(b, "\\%03o", *p); /* '?': no trigraphs */
        else
            sb_printf(b, "%c", *p);
    }
    sb_add(b, "\"");
}

const char *sb_str(struct strbuf *b)
{
    return b->s ? b->s : "";
}

void pv_push(struct ptrvec *p, void *x)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 8;
        void **v = arena_alloc(cap * sizeof(*v));
        if (p->n)
            memcpy(v, p->v, p->n * sizeof(*v));
        p->v = v;
        p->cap = cap;
    }
    p->v[p->n++] = x;
}

bool pv_has(const struct ptrvec *p, const void *x)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->v[i] == x)
            return true;
    return false;
}

bool valid_option_name(const char *name)
{
    if (!name ||
        !(islower((unsigned char)name[0]) || isdigit((unsigned char)name[0])))
        return false;
    for (const char *p = name; *p; p++)
        if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
            *p != '-' && *p != '_')
            return false;
    return true;
}

bool relative_path(const char *path)
{
    if (!path || !*path || *path == '/')
        return false;
    for (const char *p = path; (p = strstr(p, "..")) != NULL; p += 2)
        if ((p == path || p[-1] == '/') && (p[2] == 0 || p[2] == '/'))
            return false;
    return true;
}

char *c_ident(const char *s)
{
    char *r = arena_strdup(s);
    for (char *p = r; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            *p = '_';
    return r;
}

bool ident_chars(const char *s)
{
    for (; *s; s++)
        if (!(*s == '_' || (*s >= 'a' && *s <= 'z') ||
              (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
            return false;
    return true;
}

char *read_file_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct strbuf b = {0};
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf) - 1, f)) > 0) {
        buf[n] = 0;
        sb_add(&b, buf);
    }
    fclose(f);
    return (char *)sb_str(&b);
}

int write_if_changed(const char *path, const char *content)
{
    const char *old = read_file_text(path);
    if (old && strcmp(old, content) == 0)
        return 0;
    const char *slash = strrchr(path, '/');
    if (slash) {
        char *dir = arena_strdup(path);
        dir[slash - path] = 0;
        if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "mirage: cannot create %s: %s\n", dir,
                    strerror(errno));
            return -1;
        }
    }
    FILE *f = fopen(path, "wb");
    if (f) {
        bool ok = fputs(content, f) >= 0;
        if (fclose(f) == 0 && ok)
            return 0;
    }
    fprintf(stderr, "mirage: cannot write %s: %s\n", path, strerror(errno));
    return -1;
}
