/* For the command-line fuzz targets: an argument vector from fuzz input. */
#ifndef MIRAGE_FUZZ_ARGV_H
#define MIRAGE_FUZZ_ARGV_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_MAX_ARGS 64

/* argv[0] = prog, then the input split at NUL bytes (at most
 * FUZZ_MAX_ARGS arguments), argv[argc] = NULL. The strings live in a
 * malloc'd copy of the input returned in *copy (free it); returns argc,
 * or 0 when memory is exhausted. */
static inline int fuzz_argv(const uint8_t *data, size_t size, char *prog,
                            char *argv[FUZZ_MAX_ARGS + 2], char **copy)
{
    *copy = malloc(size + 1);
    if (!*copy)
        return 0;
    memcpy(*copy, data, size);
    (*copy)[size] = '\0';
    int argc = 0;
    argv[argc++] = prog;
    for (char *p = *copy; p <= *copy + size && argc <= FUZZ_MAX_ARGS;
         p += strlen(p) + 1)
        argv[argc++] = p;
    argv[argc] = NULL;
    return argc;
}

#endif
