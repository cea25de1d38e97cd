/* <string.h> of the freestanding libc subset (lib/rt/string.c; strerror in
 * lib/rt/errno.c). None of these calls allocate except strdup and strndup,
 * whose result the caller frees with free(). None of them yield. */
#ifndef _MIRAGE_STRING_H
#define _MIRAGE_STRING_H

#include <stddef.h>
#include <strings.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
/* GNU extension: the last c in the first n bytes of s, or NULL. */
void *memrchr(const void *s, int c, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
char *strcpy(char *restrict dst, const char *restrict src);
char *strncpy(char *restrict dst, const char *restrict src, size_t n);
char *strcat(char *restrict dst, const char *restrict src);
char *strncat(char *restrict dst, const char *restrict src, size_t n);
/* Copies into memory from malloc(); NULL (errno ENOMEM) when out of it. */
char *strdup(const char *s);
char *strndup(const char *s, size_t n);
size_t strspn(const char *s, const char *accept);
size_t strcspn(const char *s, const char *reject);
char *strpbrk(const char *s, const char *accept);
/* Reentrant tokenizer: *saveptr holds the position between calls. */
char *strtok_r(char *restrict s, const char *restrict delim,
               char **restrict saveptr);

/* A static description of the errno value err ("error N" for unknown
 * values, in a buffer overwritten by the next such call). */
char *strerror(int err);

#endif
