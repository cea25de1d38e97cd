/* Runtime arguments: the command line a unikernel parses at boot. The
 * generated main.c builds one table from what the devices and the
 * application declare and hands it to mirage_args_parse(). Does not yield. */
#ifndef MIRAGE_ARGS_H
#define MIRAGE_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MIRAGE_EXIT_HELP   63 /* --help was given; help was printed */
#define MIRAGE_EXIT_BADARG 64 /* a bad or missing argument */

enum mirage_arg_type {
    MIRAGE_ARG_STRING, /* dest: const char ** */
    MIRAGE_ARG_INT,    /* dest: int64_t *; decimal or 0x hexadecimal */
    MIRAGE_ARG_BOOL,   /* dest: bool *; "--x" alone, or =true / =false */
};

struct mirage_arg {
    const char *name; /* long name without the dashes, e.g. "ipv4" */
    char short_name;  /* e.g. 'l', or 0 */
    enum mirage_arg_type type;
    const char *docv;          /* placeholder in the help, e.g. "PREFIX" */
    const char *doc;           /* one line of help */
    const char *section;       /* help section, e.g. "APPLICATION OPTIONS" */
    const char *default_value; /* text form; NULL makes it required */
    /* Optional extra validation of the text value (after type checks):
     * returns 0, or non-zero with *why set to a static explanation. */
    int (*check)(const char *value, const char **why);
    void *dest;
};

/* Parse argv[1..argc-1] (argv[0] is the program name; messages use its
 * last path component) against args[0..n-1]: "--name=VALUE",
 * "--name VALUE", "-s VALUE", "-sVALUE", "--flag" / "-f" for bools (a
 * bool takes no separate value: "--flag=false"), and "--help". A separate
 * VALUE must not start with '-' (write "--n=-5"); "--" ends the options.
 * Names must be given in full. Every dest receives its default first
 * (required ones NULL / 0 / false), then the given values; a repeated
 * option's last value wins. A given STRING value points into argv,
 * unchanged (spaces included); a default one at default_value. check runs
 * on each given value, not on defaults.
 *
 * Returns 0 on success; MIRAGE_EXIT_HELP after printing the help to the
 * console when "--help" (or "--help=FMT") appears before any "--":
 * "NAME [OPTION]..." then each section in the order first seen (NULL:
 * "OPTIONS") listing its options with doc and default. MIRAGE_EXIT_BADARG
 * after printing one line for the first problem:
 *   NAME: unknown option '--x'
 *   NAME: option '--port' needs a value
 *   NAME: option '--port': invalid value 'abc': expected an integer
 *     (likewise "integer out of range", "expected true or false", or the
 *     check's reason, "rejected" if it gives none)
 *   NAME: unexpected argument 'foo'
 *   NAME: required option '--ipv4' is missing
 *   NAME: option '--n': invalid default 'ten': expected an integer
 *   NAME: out of memory parsing the arguments
 * Does not yield. */
int mirage_args_parse(const struct mirage_arg *args, size_t n, int argc,
                      char **argv);

#endif
