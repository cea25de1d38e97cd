/* libFuzzer target: the runtime-argument parser (lib/rt/args.c) on
 * arbitrary command lines (the input split at NUL bytes is argv[1..])
 * against a table like the generated ones: strings, integers, booleans,
 * a short name, a check and a required option. Checks the result is one
 * of the documented ones and that a parsed string points into argv or at
 * its default. */
#include <stdlib.h>
#include <string.h>

#include "argv.h"

#include <mirage/args.h>

#include "../test/unit/fake_plat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int short_only(const char *v, const char **why)
{
    *why = "too long";
    return strlen(v) > 8;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *ipv4, *name, *logs;
    static int64_t port, delay;
    static bool verbose;
    const struct mirage_arg table[] = {
        {"ipv4", 0, MIRAGE_ARG_STRING, "PREFIX", "address", "NET", NULL, NULL,
         &ipv4},
        {"name", 0, MIRAGE_ARG_STRING, "NAME", "name", NULL, "x", short_only,
         &name},
        {"logs", 'l', MIRAGE_ARG_STRING, "LEVEL", "logs", NULL, "info", NULL,
         &logs},
        {"port", 'p', MIRAGE_ARG_INT, "PORT", "port", "APP", "8080", NULL,
         &port},
        {"delay", 0, MIRAGE_ARG_INT, "S", "delay", NULL, "0x10", NULL, &delay},
        {"verbose", 'v', MIRAGE_ARG_BOOL, NULL, "more", "APP", "false", NULL,
         &verbose},
    };
    char *argv[FUZZ_MAX_ARGS + 2], *copy;
    int argc = fuzz_argv(data, size, "unikernel", argv, &copy);
    if (argc == 0)
        return 0;
    fake_console_capture(true);
    int r =
        mirage_args_parse(table, sizeof table / sizeof table[0], argc, argv);
    fake_console_capture(false);
    if (r == 0 && (!ipv4 || ipv4 < copy || ipv4 > copy + size || !name ||
                   strlen(name) > 8))
        abort();
    if (r != 0 && r != MIRAGE_EXIT_HELP && r != MIRAGE_EXIT_BADARG)
        abort();
    free(copy);
    return 0;
}
