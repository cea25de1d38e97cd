/* Small host utilities for the configuration engine: an arena every engine
 * object lives in, growable string buffers, and file helpers. Allocation
 * failure prints a message and exits (status 1): the engine is a
 * short-lived host program. */
#ifndef MIRAGE_TOOL_UTIL_H
#define MIRAGE_TOOL_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Zeroed memory from the arena; lives until arena_free_all(). */
void *arena_alloc(size_t size);
/* Copies into the arena; NULL stays NULL. */
char *arena_strdup(const char *s);
char *arena_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *arena_vprintf(const char *fmt, va_list ap);
/* Copy n elements of size each (n may be 0). */
void *arena_memdup(const void *p, size_t n, size_t size);
void arena_free_all(void);

/* A growable string; sb.s is NUL-terminated and arena-owned. */
struct strbuf {
    char *s;
    size_t len, cap;
};
void sb_add(struct strbuf *b, const char *s);
void sb_printf(struct strbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Append s as a C string literal (quotes included, escaped). */
void sb_cstr(struct strbuf *b, const char *s);
/* The content ("" when nothing was added). */
const char *sb_str(struct strbuf *b);

/* Growable array of pointers, arena-owned. */
struct ptrvec {
    void **v;
    size_t n, cap;
};
void pv_push(struct ptrvec *p, void *x);
bool pv_has(const struct ptrvec *p, const void *x);

/* Whether name matches [a-z0-9][a-z0-9_-]* (keys and runtime arguments:
 * MirageOS's key names have both '-' and '_'). */
bool valid_option_name(const char *name);
/* Whether path is relative and stays below the current directory: not
 * empty, no leading '/', no ".." segment. */
bool relative_path(const char *path);
/* Identifier form: every character outside [A-Za-z0-9_] becomes '_'. */
char *c_ident(const char *s);
/* Whether every character of s is in [A-Za-z0-9_] (true for ""). */
bool ident_chars(const char *s);

/* Write content to path unless the file already holds exactly that (so
 * make does not rebuild needlessly). Creates the parent directory (one
 * level). Returns 0, or -1 after printing the reason to stderr. */
int write_if_changed(const char *path, const char *content);
/* The whole file in the arena, or NULL if it cannot be read. */
char *read_file_text(const char *path);

#endif
