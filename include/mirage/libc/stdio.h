/* <stdio.h> of the freestanding libc subset: formatted output only
 * (lib/rt/stdio.c over the engine in lib/rt/format.c). There are two
 * streams, both writing to the platform console: stdout, line-buffered
 * (flushed at '\n', when its buffer is full, by fflush and by exit), and
 * stderr, unbuffered. Writing never fails and never yields.
 *
 * Conversions: C99's d i u o x X c s p n %, with the flags - + space # 0,
 * field width and precision (digits or *), and the length modifiers hh h l
 * ll j z t. %s of NULL prints "(null)" and %p of NULL "(nil)". Floating
 * point is not supported (unikernel code runs without SSE, so a double
 * argument cannot be fetched): %f %F %e %E %g %G %a %A, %lc, %ls and any
 * unknown directive are printed literally and consume no argument. */
#ifndef _MIRAGE_STDIO_H
#define _MIRAGE_STDIO_H

#include <stdarg.h>
#include <stddef.h>

typedef struct __mirage_file FILE;
extern FILE *stdout;
extern FILE *stderr;

#define EOF    (-1)
#define BUFSIZ 256

#define __mirage_printf(f, a) __attribute__((format(printf, f, a)))

/* The printf family returns the number of bytes the formatted output has
 * (not counting the NUL), or -1 with errno EOVERFLOW if it exceeds INT_MAX
 * bytes. */
int printf(const char *restrict fmt, ...) __mirage_printf(1, 2);
int vprintf(const char *restrict fmt, va_list ap) __mirage_printf(1, 0);
int fprintf(FILE *restrict f, const char *restrict fmt, ...)
    __mirage_printf(2, 3);
int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
    __mirage_printf(2, 0);
/* Write at most size - 1 bytes and a NUL into buf (nothing when size is
 * 0); the result is the full length, so a result >= size means truncation. */
int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
    __mirage_printf(3, 4);
int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt,
              va_list ap) __mirage_printf(3, 0);
/* Unbounded: the caller guarantees that buf is large enough. */
int sprintf(char *restrict buf, const char *restrict fmt, ...)
    __mirage_printf(2, 3);
int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap)
    __mirage_printf(2, 0);
/* Format into a new string from malloc() stored in *strp (the caller frees
 * it). On failure returns -1 (errno ENOMEM or EOVERFLOW) and sets *strp
 * to NULL. */
int asprintf(char **restrict strp, const char *restrict fmt, ...)
    __mirage_printf(2, 3);
int vasprintf(char **restrict strp, const char *restrict fmt, va_list ap)
    __mirage_printf(2, 0);

/* Unformatted output; each returns a non-negative value (putchar, fputc
 * and putc: the character written; fwrite: nmemb). */
int puts(const char *s);
int fputs(const char *restrict s, FILE *restrict f);
int putchar(int c);
int fputc(int c, FILE *f);
int putc(int c, FILE *f);
size_t fwrite(const void *restrict ptr, size_t size, size_t nmemb,
              FILE *restrict f);
/* Write out what f has buffered; f NULL flushes every stream. Returns 0. */
int fflush(FILE *f);

#endif
