/* Tests of the runtime argument parser (args.c): every accepted form,
 * defaults, every error message and the help text. Linked with calloc
 * wrapped to inject a failure. */
#include "fake_plat.h"
#include "test.h"

#include <mirage/args.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static bool fail_calloc;
void *__real_calloc(size_t n, size_t m);

void *__wrap_calloc(size_t n, size_t m)
{
    return fail_calloc ? NULL : __real_calloc(n, m);
}

static const char *logs, *ipv4, *hello, *name;
static int64_t port, delay;
static bool verbose, debug;

/* Rejects values containing 'x'; values containing 'y' without a reason. */
static int no_x(const char *value, const char **why)
{
    if (strchr(value, 'x')) {
        *why = "no x allowed";
        return 1;
    }
    return strchr(value, 'y') != NULL;
}

static const struct mirage_arg table[] = {
    {"logs", 'l', MIRAGE_ARG_STRING, "LEVEL", "Be more or less verbose.",
     "UNIKERNEL OPTIONS", "*:info", no_x, &logs},
    {"port", 'p', MIRAGE_ARG_INT, "PORT", "The port.", "APPLICATION OPTIONS",
     "8080", NULL, &port},
    {"ipv4", 0, MIRAGE_ARG_STRING, "PREFIX", "The address.", "NETWORK OPTIONS",
     NULL, NULL, &ipv4},
    {"verbose", 'v', MIRAGE_ARG_BOOL, NULL, "Talk more.", "APPLICATION OPTIONS",
     "false", NULL, &verbose},
    {"hello", 0, MIRAGE_ARG_STRING, "TEXT", "How to greet.",
     "APPLICATION OPTIONS", "Hello World!", NULL, &hello},
    {"delay", 0, MIRAGE_ARG_INT, NULL, NULL, NULL, "0x10", NULL, &delay},
    {"name", 0, MIRAGE_ARG_STRING, NULL, "The name.", NULL, "", NULL, &name},
    {"debug", 0, MIRAGE_ARG_BOOL, NULL, "Debug.", "UNIKERNEL OPTIONS", "true",
     NULL, &debug},
};
#define N (sizeof table / sizeof *table)

/* Parse "./dist/hello" followed by the given arguments (NULL-terminated)
 * and keep what was printed in `out`. */
static const char *out;

static int parse(const char *first, ...)
{
    char *argv[32] = {"./dist/hello"};
    int argc = 1;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    va_end(ap);
    argv[argc] = NULL;
    fake_console_capture(true);
    int r = mirage_args_parse(table, N, argc, argv);
    out = fake_console_text();
    fake_console_capture(false);
    return r;
}

TEST(defaults_fill_every_destination)
{
    CHECK_INT(parse("--ipv4=10.0.0.2/24", NULL), 0);
    CHECK_STR(out, "");
    CHECK_STR(logs, "*:info");
    CHECK_INT(port, 8080);
    CHECK_STR(ipv4, "10.0.0.2/24");
    CHECK(!verbose);
    CHECK(debug);
    CHECK_STR(hello, "Hello World!");
    CHECK_INT(delay, 16);
    CHECK_STR(name, "");
}

TEST(value_forms)
{
    CHECK_INT(parse("--ipv4", "a", "--port=10", NULL), 0);
    CHECK_STR(ipv4, "a");
    CHECK_INT(port, 10);
    CHECK_INT(parse("--ipv4=a", "--port", "11", NULL), 0);
    CHECK_INT(port, 11);
    CHECK_INT(parse("--ipv4=a", "-p12", NULL), 0);
    CHECK_INT(port, 12);
    CHECK_INT(parse("--ipv4=a", "-p", "13", NULL), 0);
    CHECK_INT(port, 13);
    CHECK_INT(parse("--ipv4=a", "-l", "debug", NULL), 0);
    CHECK_STR(logs, "debug");
    CHECK_INT(parse("--ipv4=a", "-l*:info,net:debug", NULL), 0);
    CHECK_STR(logs, "*:info,net:debug");
    CHECK_INT(parse("--ipv4=a", "--hello=", NULL), 0);
    CHECK_STR(hello, "");
    CHECK_INT(parse("--ipv4=a=b", NULL), 0);
    CHECK_STR(ipv4, "a=b");
}

TEST(values_with_spaces_pass_unchanged)
{
    CHECK_INT(parse("--ipv4=a", "--hello=Bonjour le monde", NULL), 0);
    CHECK_STR(hello, "Bonjour le monde");
    CHECK_INT(parse("--ipv4=a", "--hello", " two  spaces ", NULL), 0);
    CHECK_STR(hello, " two  spaces ");
}

TEST(repeated_options_last_wins)
{
    CHECK_INT(
        parse("--ipv4=a", "--port=1", "-p2", "--port", "3", "--ipv4=b", NULL),
        0);
    CHECK_INT(port, 3);
    CHECK_STR(ipv4, "b");
}

TEST(integers)
{
    CHECK_INT(parse("--ipv4=a", "--port=0x1F", NULL), 0);
    CHECK_INT(port, 31);
    CHECK_INT(parse("--ipv4=a", "--port=0XfF", NULL), 0);
    CHECK_INT(port, 255);
    CHECK_INT(parse("--ipv4=a", "--port=-5", NULL), 0);
    CHECK_INT(port, -5);
    CHECK_INT(parse("--ipv4=a", "--port=+7", NULL), 0);
    CHECK_INT(port, 7);
    CHECK_INT(parse("--ipv4=a", "--port=9223372036854775807", NULL), 0);
    CHECK(port == INT64_MAX);
    CHECK_INT(parse("--ipv4=a", "--port=-9223372036854775808", NULL), 0);
    CHECK(port == INT64_MIN);
    CHECK_INT(parse("--ipv4=a", "--port=0x7fffffffffffffff", NULL), 0);
    CHECK(port == INT64_MAX);
    CHECK_INT(parse("--ipv4=a", "--port=-0x8000000000000000", NULL), 0);
    CHECK(port == INT64_MIN);
}

static const char *int_error(const char *value)
{
    static char arg[128];
    snprintf(arg, sizeof arg, "--port=%s", value);
    if (parse("--ipv4=a", arg, NULL) != MIRAGE_EXIT_BADARG)
        return "(accepted)";
    return out;
}

TEST(bad_integers)
{
    CHECK_STR(int_error("abc"),
              "hello: option '--port': invalid value 'abc': expected an "
              "integer\n");
    CHECK_STR(int_error(""),
              "hello: option '--port': invalid value '': expected an "
              "integer\n");
    CHECK_STR(int_error("0x"),
              "hello: option '--port': invalid value '0x': expected an "
              "integer\n");
    CHECK_STR(int_error("-"),
              "hello: option '--port': invalid value '-': expected an "
              "integer\n");
    CHECK_STR(int_error("12a"),
              "hello: option '--port': invalid value '12a': expected an "
              "integer\n");
    CHECK_STR(int_error("0x1g"),
              "hello: option '--port': invalid value '0x1g': expected an "
              "integer\n");
    CHECK_STR(int_error(" 1"),
              "hello: option '--port': invalid value ' 1': expected an "
              "integer\n");
    CHECK_STR(int_error("9223372036854775808"),
              "hello: option '--port': invalid value '9223372036854775808': "
              "integer out of range\n");
    CHECK_STR(int_error("-9223372036854775809"),
              "hello: option '--port': invalid value '-9223372036854775809': "
              "integer out of range\n");
    CHECK_STR(int_error("0x8000000000000000"),
              "hello: option '--port': invalid value '0x8000000000000000': "
              "integer out of range\n");
    CHECK_STR(int_error("123456789012345678901234567890"),
              "hello: option '--port': invalid value "
              "'123456789012345678901234567890': integer out of range\n");
    CHECK_INT(parse("--ipv4=a", "-pz", NULL), MIRAGE_EXIT_BADARG);
    CHECK_STR(out, "hello: option '-p': invalid value 'z': expected an "
                   "integer\n");
}

TEST(booleans)
{
    CHECK_INT(parse("--ipv4=a", "--verbose", NULL), 0);
    CHECK(verbose);
    CHECK_INT(parse("--ipv4=a", "-v", NULL), 0);
    CHECK(verbose);
    CHECK_INT(parse("--ipv4=a", "--verbose=true", "--debug=false", NULL), 0);
    CHECK(verbose && !debug);
    CHECK_INT(parse("--ipv4=a", "-vfalse", NULL), 0);
    CHECK(!verbose);
    CHECK_INT(parse("--ipv4=a", "--verbose=maybe", NULL), MIRAGE_EXIT_BADARG);
    CHECK_STR(out, "hello: option '--verbose': invalid value 'maybe': "
                   "expected true or false\n");
    /* A flag takes no separate value. */
    CHECK_INT(parse("--ipv4=a", "--verbose", "false", NULL),
              MIRAGE_EXIT_BADARG);
    CHECK_STR(out, "hello: unexpected argument 'false'\n");
}

TEST(missing_values)
{
    CHECK_INT(parse("--ipv4=a", "--hello", NULL), MIRAGE_EXIT_BADARG);
    CHECK_STR(out, "hello: option '--hello' needs a value\n");
    CHECK_INT(parse("--ipv4=a", "--port", "--hello=x", NULL),
              MIRAGE_EXIT_BADARG);
    CHECK_STR(out, "hello: option '--port' needs a value\n");
    CHECK_INT(parse("--ipv4=a", "-p", NULL), MIRAGE_EXIT_BADARG);
    CHECK_STR(out, "hello: option '-p' needs a value\n");
    /* "-5" looks like an option: negative numbers need the = form. */
    CHECK_INT(parse("--ipv4=a", "--port", "-5", NULL), MIRAGE_EXIT_BADARG);
    CHECK_STR(out, "hello: option '--port' needs a value\n");
}

TEST(unknown_options_and_stray_arguments)
{
    CHECK_INT(parse("--ipv4=a", "--x", NULL), MIRAGE_EXIT_BADARG);
    CHECK_STR(out, "hello: unknown option '--x'\n");
    CHECK_INT(parse("--x=1", "--ipv4=a", NULL), MIRAGE_EXIT_BADARG);
    CHECK_STR(out, "hello: unknown option '--x'\n");
    CHECK_INT(parse("--ipv4=a", "-z", NULL), MIRAGE_EXIT_BADARG);
    CHECK_STR(out, "hello: unknown option '-z'\n");
    CHECK_INT(parse("--ipv4=a", "-zfoo", NULL), MIRAGE_EXIT_BADARG);
    CHECK_STR(out, "hello: unknown option '-z'\n");
    CHECK_INT(parse("--ipv4=a", "--hel", NULL), MIRAGE_EXIT_BADARG);
    CHECK_STR(out, "hello: unknown option '--hel'\n");
    CHECK_INT(parse("--ipv4=a", "foo", NULL), MIRAGE_EXIT_BADARG);
    CHECK_STR(out, "hello: unexpected argument 'foo'\n");
    CHECK_INT(parse("--ipv4=a", "-", NULL), MIRAGE_EXIT_BADARG);
    CHECK_STR(out, "hello: unexpected argument '-'\n");
    CHECK_INT(parse("--ipv4=a", "--", "--port=1", NULL), MIRAGE_EXIT_BADARG);
    CHECK_STR(out, "hello: unexpected argument '--port=1'\n");
    CHECK_INT(parse("--ipv4=a", "--", NULL), 0);
}

TEST(required_option_missing)
{
    CHECK_INT(parse("--port=1", NULL), MIRAGE_EXIT_BADARG);
    CHECK_STR(out, "hello: required option '--ipv4' is missing\n");
}

TEST(checks_reject_values)
{
    CHECK_INT(parse("--ipv4=a", "--logs=bax", NULL), MIRAGE_EXIT_BADARG);
    CHECK_STR(out, "hello: option '--logs': invalid value 'bax': no x "
                   "allowed\n");
    CHECK_INT(parse("--ipv4=a", "-lyes", NULL), MIRAGE_EXIT_BADARG);
    CHECK_STR(out, "hello: option '-l': invalid value 'yes': rejected\n");
    /* Only given values are checked, not the defaults. */
    CHECK_INT(parse("--ipv4=a", NULL), 0);
}

static const char help_text[] =
    "hello [OPTION]...\n"
    "\n"
    "UNIKERNEL OPTIONS\n"
    "  -l LEVEL, --logs=LEVEL\n"
    "      Be more or less verbose. (default: *:info)\n"
    "  --debug\n"
    "      Debug. (default: true)\n"
    "\n"
    "APPLICATION OPTIONS\n"
    "  -p PORT, --port=PORT\n"
    "      The port. (default: 8080)\n"
    "  -v, --verbose\n"
    "      Talk more.\n"
    "  --hello=TEXT\n"
    "      How to greet. (default: Hello World!)\n"
    "\n"
    "NETWORK OPTIONS\n"
    "  --ipv4=PREFIX\n"
    "      The address. (required)\n"
    "\n"
    "OPTIONS\n"
    "  --delay=INT\n"
    "      (default: 0x10)\n"
    "  --name=VALUE\n"
    "      The name. (default: \"\")\n"
    "\n"
    "COMMON OPTIONS\n"
    "  --help\n"
    "      Show this help and exit.\n";

TEST(help_lists_options_by_section)
{
    CHECK_INT(parse("--help", NULL), MIRAGE_EXIT_HELP);
    CHECK_STR(out, help_text);
    /* --help wins over errors anywhere before "--". */
    CHECK_INT(parse("--bogus", "--help", NULL), MIRAGE_EXIT_HELP);
    CHECK_STR(out, help_text);
    CHECK_INT(parse("--help=plain", NULL), MIRAGE_EXIT_HELP);
    CHECK_STR(out, help_text);
    CHECK_INT(parse("--ipv4=a", "--", "--help", NULL), MIRAGE_EXIT_BADARG);
    CHECK_STR(out, "hello: unexpected argument '--help'\n");
}

TEST(bad_defaults_are_reported)
{
    int64_t n;
    bool b;
    struct mirage_arg bad_int = {"n",  0,     MIRAGE_ARG_INT, NULL, NULL,
                                 NULL, "ten", NULL,           &n};
    struct mirage_arg bad_bool = {
        "b", 0, MIRAGE_ARG_BOOL, NULL, NULL, NULL, "yes", NULL, &b};
    char *argv[] = {"app", NULL};
    fake_console_capture(true);
    CHECK_INT(mirage_args_parse(&bad_int, 1, 1, argv), MIRAGE_EXIT_BADARG);
    CHECK_STR(fake_console_text(), "app: option '--n': invalid default "
                                   "'ten': expected an integer\n");
    fake_console_capture(true);
    CHECK_INT(mirage_args_parse(&bad_bool, 1, 1, argv), MIRAGE_EXIT_BADARG);
    CHECK_STR(fake_console_text(), "app: option '--b': invalid default "
                                   "'yes': expected true or false\n");
    fake_console_capture(false);
}

TEST(program_name_and_empty_tables)
{
    char *none[] = {NULL};
    char *bare[] = {"app/", "x", NULL};
    fake_console_capture(true);
    CHECK_INT(mirage_args_parse(NULL, 0, 0, none), 0);
    CHECK_INT(mirage_args_parse(NULL, 0, 2, bare), MIRAGE_EXIT_BADARG);
    CHECK_STR(fake_console_text(), "app/: unexpected argument 'x'\n");
    fake_console_capture(false);
}

TEST(out_of_memory_is_reported)
{
    fail_calloc = true;
    int r = parse("--ipv4=a", NULL);
    fail_calloc = false;
    CHECK_INT(r, MIRAGE_EXIT_BADARG);
    CHECK_STR(out, "hello: out of memory parsing the arguments\n");
}

int main(void)
{
    return test_main();
}
