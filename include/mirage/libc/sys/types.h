/* <sys/types.h> of the freestanding libc subset: the POSIX size types. */
#ifndef _MIRAGE_SYS_TYPES_H
#define _MIRAGE_SYS_TYPES_H

#include <stddef.h>

typedef long ssize_t;
typedef long off_t;

#endif
