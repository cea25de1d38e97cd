/* <strings.h> of the freestanding libc subset: ASCII case-insensitive
 * comparisons (lib/rt/string.c). */
#ifndef _MIRAGE_STRINGS_H
#define _MIRAGE_STRINGS_H

#include <stddef.h>

int strcasecmp(const char *a, const char *b);
int strncasecmp(const char *a, const char *b, size_t n);

#endif
