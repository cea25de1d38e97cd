/* Test-only: the libc functions of lib/rt under their test names (see
 * libc_rename.h), and the platform stand-ins of libc_plat.c that record
 * what reaches the console and turn plat_exit/plat_abort into a return to
 * the test. */
#ifndef MIRAGE_TEST_LIBC_T_H
#define MIRAGE_TEST_LIBC_T_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void *t_memcpy(void *dst, const void *src, size_t n);
void *t_memmove(void *dst, const void *src, size_t n);
void *t_memset(void *dst, int c, size_t n);
int t_memcmp(const void *a, const void *b, size_t n);
void *t_memchr(const void *s, int c, size_t n);
void *t_memrchr(const void *s, int c, size_t n);
size_t t_strlen(const char *s);
size_t t_strnlen(const char *s, size_t maxlen);
int t_strcmp(const char *a, const char *b);
int t_strncmp(const char *a, const char *b, size_t n);
int t_strcasecmp(const char *a, const char *b);
int t_strncasecmp(const char *a, const char *b, size_t n);
char *t_strchr(const char *s, int c);
char *t_strrchr(const char *s, int c);
char *t_strstr(const char *haystack, const char *needle);
char *t_strcpy(char *dst, const char *src);
char *t_strncpy(char *dst, const char *src, size_t n);
char *t_strcat(char *dst, const char *src);
char *t_strncat(char *dst, const char *src, size_t n);
char *t_strdup(const char *s);
char *t_strndup(const char *s, size_t n);
size_t t_strspn(const char *s, const char *accept);
size_t t_strcspn(const char *s, const char *reject);
char *t_strpbrk(const char *s, const char *accept);
char *t_strtok_r(char *s, const char *delim, char **saveptr);

int t_isalnum(int c);
int t_isalpha(int c);
int t_isblank(int c);
int t_iscntrl(int c);
int t_isdigit(int c);
int t_isgraph(int c);
int t_islower(int c);
int t_isprint(int c);
int t_ispunct(int c);
int t_isspace(int c);
int t_isupper(int c);
int t_isxdigit(int c);
int t_tolower(int c);
int t_toupper(int c);

long t_strtol(const char *nptr, char **endptr, int base);
long long t_strtoll(const char *nptr, char **endptr, int base);
unsigned long t_strtoul(const char *nptr, char **endptr, int base);
unsigned long long t_strtoull(const char *nptr, char **endptr, int base);
intmax_t t_strtoimax(const char *nptr, char **endptr, int base);
uintmax_t t_strtoumax(const char *nptr, char **endptr, int base);
int t_atoi(const char *s);
long t_atol(const char *s);
long long t_atoll(const char *s);
void t_qsort(void *base, size_t nmemb, size_t size,
             int (*compar)(const void *, const void *));
void *t_bsearch(const void *key, const void *base, size_t nmemb, size_t size,
                int (*compar)(const void *, const void *));
int t_abs(int j);
long t_labs(long j);
long long t_llabs(long long j);
int t_rand(void);
void t_srand(unsigned int seed);
_Noreturn void t_exit(int status);
_Noreturn void t_abort(void);

struct __mirage_file;
extern struct __mirage_file *t_stdout;
extern struct __mirage_file *t_stderr;
int t_printf(const char *fmt, ...);
int t_fprintf(struct __mirage_file *f, const char *fmt, ...);
int t_snprintf(char *buf, size_t size, const char *fmt, ...);
int t_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int t_sprintf(char *buf, const char *fmt, ...);
int t_asprintf(char **strp, const char *fmt, ...);
int t_puts(const char *s);
int t_fputs(const char *s, struct __mirage_file *f);
int t_putchar(int c);
int t_fputc(int c, struct __mirage_file *f);
size_t t_fwrite(const void *ptr, size_t size, size_t nmemb,
                struct __mirage_file *f);
int t_fflush(struct __mirage_file *f);
void rt_stdio_flush(void);

void *t___memcpy_chk(void *dst, const void *src, size_t n, size_t dstlen);
void *t___memmove_chk(void *dst, const void *src, size_t n, size_t dstlen);
void *t___memset_chk(void *dst, int c, size_t n, size_t dstlen);
char *t___strncpy_chk(char *dst, const char *src, size_t n, size_t dstlen);
char *t___strcpy_chk(char *dst, const char *src, size_t dstlen);
char *t___strcat_chk(char *dst, const char *src, size_t dstlen);
int t___snprintf_chk(char *s, size_t maxlen, int flag, size_t slen,
                     const char *fmt, ...);
int t___sprintf_chk(char *s, int flag, size_t slen, const char *fmt, ...);
_Noreturn void t___stack_chk_fail(void);
long t_time(long *t);
_Noreturn void t___assert_fail(const char *expr, const char *file,
                               unsigned int line, const char *func);

/* Everything written to the console since console_reset(). */
extern char console_out[65536];
extern size_t console_len;
/* How many plat_console_write calls there were since console_reset(). */
extern int console_writes;
void console_reset(void);

/* What plat_clock_wall returns (ns). */
extern uint64_t wall_clock_ns;

/* Run fn; returns the status it passed to plat_exit, STOP_ABORT if it
 * called plat_abort, STOP_RETURNED if it returned. */
#define STOP_ABORT    1000
#define STOP_RETURNED -1
int run_stopping(void (*fn)(void));

#endif
