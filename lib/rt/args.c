/* Runtime arguments (args.h): the boot-time command-line parser and its
 * help text. Messages go straight to the platform console. */
#include <mirage/args.h>
#include <mirage/plat.h>
#include <stdlib.h>
#include <string.h>

static void put(const char *s)
{
    plat_console_write(s, strlen(s));
}

static void put_n(const char *s, size_t n)
{
    plat_console_write(s, n);
}

/* The unikernel's name for messages: argv[0] without its directory. */
static const char *prog_name(int argc, char **argv)
{
    if (argc < 1 || !argv[0] || !*argv[0])
        return "unikernel";
    const char *slash = strrchr(argv[0], '/');
    return slash && slash[1] ? slash + 1 : argv[0];
}

/* An "--x" or "-x" token as written, up to any '='. */
static void put_option(const char *opt)
{
    const char *eq = opt[1] == '-' ? strchr(opt, '=') : NULL;
    size_t len = eq ? (size_t)(eq - opt) : opt[1] == '-' ? strlen(opt) : 2;
    put_n(opt, len);
}

static int bad_value(const char *prog, const char *opt, const char *value,
                     const char *why)
{
    put(prog);
    put(": option '");
    put_option(opt);
    put("': invalid value '");
    put(value);
    put("': ");
    put(why);
    put("\n");
    return MIRAGE_EXIT_BADARG;
}

static int bad_option(const char *prog, const char *what, const char *opt,
                      const char *tail)
{
    put(prog);
    put(what);
    put_option(opt);
    put(tail);
    return MIRAGE_EXIT_BADARG;
}

/* Decimal or 0x hexadecimal with an optional sign, within int64_t. */
static const char *parse_int(const char *s, int64_t *out)
{
    bool neg = *s == '-';
    if (*s == '-' || *s == '+')
        s++;
    unsigned base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (!*s)
        return "expected an integer";
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t v = 0;
    bool overflow = false;
    for (; *s; s++) {
        unsigned d;
        if (*s >= '0' && *s <= '9')
            d = (unsigned)(*s - '0');
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = (unsigned)(*s - 'a' + 10);
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = (unsigned)(*s - 'A' + 10);
        else
            return "expected an integer";
        if (v > (limit - d) / base)
            overflow = true;
        else
            v = v * base + d;
    }
    if (overflow)
        return "integer out of range";
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return NULL;
}

/* Store the text value in a's destination; NULL or why it is invalid. */
static const char *convert(const struct mirage_arg *a, const char *value)
{
    switch (a->type) {
    case MIRAGE_ARG_STRING:
        *(const char **)a->dest = value;
        return NULL;
    case MIRAGE_ARG_INT:
        return parse_int(value, (int64_t *)a->dest);
    case MIRAGE_ARG_BOOL:
        if (strcmp(value, "true") == 0)
            *(bool *)a->dest = true;
        else if (strcmp(value, "false") == 0)
            *(bool *)a->dest = false;
        else
            return "expected true or false";
        return NULL;
    }
    return "unknown argument type";
}

static void clear(const struct mirage_arg *a)
{
    switch (a->type) {
    case MIRAGE_ARG_STRING:
        *(const char **)a->dest = NULL;
        break;
    case MIRAGE_ARG_INT:
        *(int64_t *)a->dest = 0;
        break;
    case MIRAGE_ARG_BOOL:
        *(bool *)a->dest = false;
        break;
    }
}

static const char *section_of(const struct mirage_arg *a)
{
    return a->section ? a->section : "OPTIONS";
}

static void put_arg_help(const struct mirage_arg *a)
{
    const char *docv = a->docv                     ? a->docv
                       : a->type == MIRAGE_ARG_INT ? "INT"
                                                   : "VALUE";
    bool flag = a->type == MIRAGE_ARG_BOOL;
    put("  ");
    if (a->short_name) {
        char s[3] = {'-', a->short_name, 0};
        put(s);
        if (!flag) {
            put(" ");
            put(docv);
        }
        put(", ");
    }
    put("--");
    put(a->name);
    if (!flag) {
        put("=");
        put(docv);
    }
    /* A flag's usual default, false, goes without saying. */
    bool show_default =
        !flag || !a->default_value || strcmp(a->default_value, "false") != 0;
    put("\n");
    if (!a->doc && !show_default)
        return;
    put("     ");
    if (a->doc) {
        put(" ");
        put(a->doc);
    }
    if (show_default) {
        put(" ");
        if (!a->default_value)
            put("(required)");
        else if (!*a->default_value)
            put("(default: \"\")");
        else {
            put("(default: ");
            put(a->default_value);
            put(")");
        }
    }
    put("\n");
}

static void put_help(const char *prog, const struct mirage_arg *args, size_t n)
{
    put(prog);
    put(" [OPTION]...\n");
    for (size_t i = 0; i < n; i++) {
        const char *section = section_of(&args[i]);
        size_t first = 0;
        while (strcmp(section_of(&args[first]), section) != 0)
            first++;
        if (first < i)
            continue; /* printed with its section */
        put("\n");
        put(section);
        put("\n");
        for (size_t j = i; j < n; j++)
            if (strcmp(section_of(&args[j]), section) == 0)
                put_arg_help(&args[j]);
    }
    put("\nCOMMON OPTIONS\n  --help\n      Show this help and exit.\n");
}

/* Whether an argv element is an option rather than a value. */
static bool is_option(const char *s)
{
    return s[0] == '-' && s[1] != '\0';
}

static const struct mirage_arg *find(const struct mirage_arg *args, size_t n,
                                     const char *opt)
{
    for (size_t i = 0; i < n; i++) {
        if (opt[1] != '-') {
            if (args[i].short_name && args[i].short_name == opt[1])
                return &args[i];
            continue;
        }
        const char *name = opt + 2;
        size_t len = strcspn(name, "=");
        if (strlen(args[i].name) == len && memcmp(args[i].name, name, len) == 0)
            return &args[i];
    }
    return NULL;
}

int mirage_args_parse(const struct mirage_arg *args, size_t n, int argc,
                      char **argv)
{
    const char *prog = prog_name(argc, argv);
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        /* "--help=FMT" as well: the format is ignored (plain text). */
        if (strcmp(argv[i], "--help") == 0 ||
            strncmp(argv[i], "--help=", 7) == 0) {
            put_help(prog, args, n);
            return MIRAGE_EXIT_HELP;
        }
    }
    for (size_t k = 0; k < n; k++) {
        const struct mirage_arg *a = &args[k];
        clear(a);
        const char *why =
            a->default_value ? convert(a, a->default_value) : NULL;
        if (why) {
            put(prog);
            put(": option '--");
            put(a->name);
            put("': invalid default '");
            put(a->default_value);
            put("': ");
            put(why);
            put("\n");
            return MIRAGE_EXIT_BADARG;
        }
    }
    bool *given = calloc(n ? n : 1, sizeof *given);
    if (!given) {
        put(prog);
        put(": out of memory parsing the arguments\n");
        return MIRAGE_EXIT_BADARG;
    }
    int status = 0;
    bool options_end = false;
    for (int i = 1; i < argc && !status; i++) {
        const char *opt = argv[i];
        if (!options_end && strcmp(opt, "--") == 0) {
            options_end = true;
            continue;
        }
        if (options_end || !is_option(opt)) {
            put(prog);
            put(": unexpected argument '");
            put(opt);
            put("'\n");
            status = MIRAGE_EXIT_BADARG;
            break;
        }
        const struct mirage_arg *a = find(args, n, opt);
        if (!a) {
            status = bad_option(prog, ": unknown option '", opt, "'\n");
            break;
        }
        const char *value;
        if (opt[1] == '-' && strchr(opt, '='))
            value = strchr(opt, '=') + 1;
        else if (opt[1] != '-' && opt[2])
            value = opt + 2;
        else if (a->type == MIRAGE_ARG_BOOL)
            value = "true";
        else if (i + 1 < argc && !is_option(argv[i + 1]))
            value = argv[++i];
        else {
            status = bad_option(prog, ": option '", opt, "' needs a value\n");
            break;
        }
        const char *why = convert(a, value);
        if (!why && a->check) {
            const char *check_why = NULL;
            if (a->check(value, &check_why) != 0)
                why = check_why ? check_why : "rejected";
        }
        if (why)
            status = bad_value(prog, opt, value, why);
        given[a - args] = true;
    }
    for (size_t k = 0; k < n && !status; k++) {
        if (!args[k].default_value && !given[k]) {
            put(prog);
            put(": required option '--");
            put(args[k].name);
            put("' is missing\n");
            status = MIRAGE_EXIT_BADARG;
        }
    }
    free(given);
    return status;
}
