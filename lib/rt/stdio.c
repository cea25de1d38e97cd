/* The printf family and the two console streams of <stdio.h>. */
#include "internal.h"

#include <errno.h>
#include <mirage/plat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct __mirage_file {
    int line_buffered;
    size_t len;
    char buf[BUFSIZ];
};

static FILE out_file = {1, 0, {0}};
static FILE err_file = {0, 0, {0}};
FILE *stdout = &out_file;
FILE *stderr = &err_file;

static void flush(FILE *f)
{
    if (f->len) {
        plat_console_write(f->buf, f->len);
        f->len = 0;
    }
}

void rt_stdio_flush(void)
{
    flush(&out_file);
}

static void file_write(FILE *f, const char *s, size_t n)
{
    if (!f->line_buffered) {
        /* Keep the console in order: stdout's pending line goes first. */
        flush(&out_file);
        plat_console_write(s, n);
        return;
    }
    while (n) {
        size_t k = n < BUFSIZ - f->len ? n : BUFSIZ - f->len;
        const char *nl = memchr(s, '\n', k);
        if (nl)
            k = (size_t)(nl - s) + 1;
        memcpy(f->buf + f->len, s, k);
        f->len += k;
        s += k;
        n -= k;
        if (nl || f->len == BUFSIZ)
            flush(f);
    }
}

static void put_file(void *ctx, const char *s, size_t len)
{
    file_write(ctx, s, len);
}

int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
    int n = rt_vformat(put_file, f, fmt, ap);
    if (n < 0)
        errno = EOVERFLOW;
    return n;
}

int fprintf(FILE *restrict f, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vfprintf(f, fmt, ap);
    va_end(ap);
    return n;
}

int vprintf(const char *restrict fmt, va_list ap)
{
    return vfprintf(stdout, fmt, ap);
}

int printf(const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return n;
}

/* A bounded buffer: keeps the first size - 1 bytes. */
struct sink {
    char *buf;
    size_t size;
    size_t pos;
};

static void put_buf(void *ctx, const char *s, size_t len)
{
    struct sink *k = ctx;
    if (k->pos + 1 < k->size) {
        size_t room = k->size - 1 - k->pos;
        memcpy(k->buf + k->pos, s, len < room ? len : room);
    }
    k->pos += len;
}

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt,
              va_list ap)
{
    struct sink k = {buf, size, 0};
    int n = rt_vformat(put_buf, &k, fmt, ap);
    if (size)
        buf[k.pos < size ? k.pos : size - 1] = '\0';
    if (n < 0)
        errno = EOVERFLOW;
    return n;
}

int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap)
{
    return vsnprintf(buf, SIZE_MAX, fmt, ap);
}

int sprintf(char *restrict buf, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, SIZE_MAX, fmt, ap);
    va_end(ap);
    return n;
}

int vasprintf(char **restrict strp, const char *restrict fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *s = n < 0 ? NULL : malloc((size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, again);
    va_end(again);
    *strp = s;
    return s ? n : -1;
}

int asprintf(char **restrict strp, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(strp, fmt, ap);
    va_end(ap);
    return n;
}

int fputs(const char *restrict s, FILE *restrict f)
{
    file_write(f, s, strlen(s));
    return 0;
}

int puts(const char *s)
{
    file_write(stdout, s, strlen(s));
    file_write(stdout, "\n", 1);
    return 0;
}

int fputc(int c, FILE *f)
{
    char ch = (char)c;
    file_write(f, &ch, 1);
    return (unsigned char)c;
}

int putc(int c, FILE *f)
{
    return fputc(c, f);
}

int putchar(int c)
{
    return fputc(c, stdout);
}

size_t fwrite(const void *restrict ptr, size_t size, size_t nmemb,
              FILE *restrict f)
{
    if (size && nmemb > SIZE_MAX / size) {
        errno = EOVERFLOW;
        return 0;
    }
    file_write(f, ptr, size * nmemb);
    return size ? nmemb : 0;
}

int fflush(FILE *f)
{
    flush(f ? f : &out_file);
    return 0;
}
