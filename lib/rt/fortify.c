/* The checked variants (__*_chk) that code built with _FORTIFY_SOURCE,
 * such as Debian's static archives, calls instead of the plain functions:
 * each gets the size of the destination object ((size_t)-1 when unknown)
 * and aborts with "buffer overflow detected" rather than write past it. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void __chk_fail(void);

_Noreturn void __chk_fail(void)
{
    fputs("buffer overflow detected\n", stderr);
    abort();
}

void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dstlen);
void *__memmove_chk(void *dst, const void *src, size_t n, size_t dstlen);
void *__memset_chk(void *dst, int c, size_t n, size_t dstlen);
char *__strcpy_chk(char *dst, const char *src, size_t dstlen);
char *__strncpy_chk(char *dst, const char *src, size_t n, size_t dstlen);
char *__strcat_chk(char *dst, const char *src, size_t dstlen);
int __vsnprintf_chk(char *s, size_t maxlen, int flag, size_t slen,
                    const char *fmt, va_list ap);
int __snprintf_chk(char *s, size_t maxlen, int flag, size_t slen,
                   const char *fmt, ...);
int __vsprintf_chk(char *s, int flag, size_t slen, const char *fmt, va_list ap);
int __sprintf_chk(char *s, int flag, size_t slen, const char *fmt, ...);
int __vprintf_chk(int flag, const char *fmt, va_list ap);
int __printf_chk(int flag, const char *fmt, ...);
int __vfprintf_chk(FILE *f, int flag, const char *fmt, va_list ap);
int __fprintf_chk(FILE *f, int flag, const char *fmt, ...);

void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dstlen)
{
    if (n > dstlen)
        __chk_fail();
    return memcpy(dst, src, n);
}

void *__memmove_chk(void *dst, const void *src, size_t n, size_t dstlen)
{
    if (n > dstlen)
        __chk_fail();
    return memmove(dst, src, n);
}

void *__memset_chk(void *dst, int c, size_t n, size_t dstlen)
{
    if (n > dstlen)
        __chk_fail();
    return memset(dst, c, n);
}

char *__strcpy_chk(char *dst, const char *src, size_t dstlen)
{
    if (strlen(src) >= dstlen)
        __chk_fail();
    return strcpy(dst, src);
}

char *__strncpy_chk(char *dst, const char *src, size_t n, size_t dstlen)
{
    if (n > dstlen)
        __chk_fail();
    return strncpy(dst, src, n);
}

char *__strcat_chk(char *dst, const char *src, size_t dstlen)
{
    size_t len = strlen(dst);
    if (len >= dstlen || strlen(src) >= dstlen - len)
        __chk_fail();
    return strcpy(dst + len, src) - len;
}

int __vsnprintf_chk(char *s, size_t maxlen, int flag, size_t slen,
                    const char *fmt, va_list ap)
{
    (void)flag;
    if (maxlen > slen)
        __chk_fail();
    return vsnprintf(s, maxlen, fmt, ap);
}

int __snprintf_chk(char *s, size_t maxlen, int flag, size_t slen,
                   const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = __vsnprintf_chk(s, maxlen, flag, slen, fmt, ap);
    va_end(ap);
    return n;
}

int __vsprintf_chk(char *s, int flag, size_t slen, const char *fmt, va_list ap)
{
    (void)flag;
    if (!slen)
        __chk_fail();
    int n = vsnprintf(s, slen, fmt, ap);
    if (n >= 0 && (size_t)n >= slen)
        __chk_fail();
    return n;
}

int __sprintf_chk(char *s, int flag, size_t slen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = __vsprintf_chk(s, flag, slen, fmt, ap);
    va_end(ap);
    return n;
}

int __vprintf_chk(int flag, const char *fmt, va_list ap)
{
    (void)flag;
    return vfprintf(stdout, fmt, ap);
}

int __printf_chk(int flag, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = __vprintf_chk(flag, fmt, ap);
    va_end(ap);
    return n;
}

int __vfprintf_chk(FILE *f, int flag, const char *fmt, va_list ap)
{
    (void)flag;
    return vfprintf(f, fmt, ap);
}

int __fprintf_chk(FILE *f, int flag, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = __vfprintf_chk(f, flag, fmt, ap);
    va_end(ap);
    return n;
}
