/* Engine tests: building graphs with the eDSL: sharing (hash-consing),
 * type checking of applications and choices, keys and their errors. */
#include "../../tool/engine.h"
#include "test.h"

#include <string.h>

/* The only recorded error contains `want` and names this file's line. */
static int error_is(const char *want, int line)
{
    if (eng_error_count() != 1)
        return 0;
    const char *e = eng_error_at(0);
    char at[64];
    snprintf(at, sizeof(at), "engine_graph_test.c:%d: error: ", line);
    return strstr(e, at) != NULL && strstr(e, want) != NULL;
}

TEST(equal_devices_are_one)
{
    eng_reset();
    CHECK(default_time() == default_time());
    CHECK(default_console() != default_time());
    CHECK(custom_console("a") == custom_console("a"));
    CHECK(custom_console("a") != custom_console("b"));
    impl *m = mirage_main("start", typ_fn(time_typ, job));
    CHECK(m == mirage_main("start", typ_fn(time_typ, job)));
    CHECK(apply(m, default_time()) == apply(m, default_time()));
    CHECK_INT(eng_error_count(), 0);
}

TEST(user_devices_share_by_structure)
{
    eng_reset();
    typ *store = typ_new("store", "struct store *");
    impl *a = impl("mem_store", store, .connect = "store_connect(&$out)");
    impl *b = impl("mem_store", store, .connect = "store_connect(&$out)");
    impl *c = impl("mem_store", store, .connect = "other(&$out)");
    CHECK(a == b);
    CHECK(a != c);
    CHECK(typ_new("store", "struct store *") == store);
    CHECK_INT(eng_error_count(), 0);
}

TEST(application_checks_types)
{
    eng_reset();
    impl *m = mirage_main("web_start", typ_fn(stackv4v6_typ, job));
    int line = __LINE__ + 1;
    impl *bad = apply(m, impl("crunch", kv_ro_typ));
    CHECK(bad == NULL);
    CHECK(error_is("type mismatch in application: web_start expects a "
                   "stackv4v6 but is given a kv_ro",
                   line));
}

TEST(too_many_arguments)
{
    eng_reset();
    impl *m = mirage_main("start", typ_fn(time_typ, job));
    int line = __LINE__ + 1;
    CHECK(apply(m, default_time(), default_time()) == NULL);
    CHECK(error_is("too many arguments: 'start' has type time -> job and "
                   "takes 1 argument(s)",
                   line));
}

TEST(applying_a_device_that_is_no_functor)
{
    eng_reset();
    int line = __LINE__ + 1;
    CHECK(apply(default_time(), default_console()) == NULL);
    CHECK(error_is("too many arguments: 'default_time' has type time", line));
}

TEST(functor_arguments_must_be_devices)
{
    eng_reset();
    int line = __LINE__ + 1;
    CHECK(typ_fn(typ_fn(time_typ, job), job) == NULL);
    CHECK(error_is("must be a device type, not the functor type time -> job",
                   line));
}

TEST(type_display)
{
    eng_reset();
    typ *t = typ_fn(time_typ, typ_fn(console_typ, job));
    CHECK_STR(typ_show(t), "time -> console -> job");
    CHECK_INT(typ_arity(t), 2);
    CHECK(typ_equal(typ_after(t, 2), job));
    CHECK(typ_after(t, 3) == NULL);
}

TEST(redefined_types)
{
    eng_reset();
    int line = __LINE__ + 1;
    CHECK(typ_new("job", "struct x *") == NULL);
    CHECK(error_is("type 'job' is already defined by the engine", line));
    eng_reset();
    /* The catalogue's types are made with typ_new: the same definition
     * gives the same type, another C type is an error. */
    CHECK(typ_new("time", "struct mirage_time *") == time_typ);
    line = __LINE__ + 1;
    CHECK(typ_new("time", "struct x *") == NULL);
    CHECK(error_is(
        "type 'time' is already defined with C type 'struct mirage_time *'",
        line));
    eng_reset();
    typ_new("t", "struct a *");
    line = __LINE__ + 1;
    CHECK(typ_new("t", "struct b *") == NULL);
    CHECK(
        error_is("type 't' is already defined with C type 'struct a *'", line));
}

TEST(null_inputs_propagate_quietly)
{
    eng_reset();
    impl *m = mirage_main("start", typ_fn(time_typ, job));
    apply(m, default_console()); /* one error */
    CHECK(apply(NULL, default_time()) == NULL);
    CHECK(if_impl(NULL, m, m) == NULL);
    CHECK_INT(eng_error_count(), 1);
    eng_reset();
    int line = __LINE__ + 1;
    CHECK(apply(NULL, default_time()) == NULL);
    CHECK(error_is("the applied functor is NULL", line));
}

TEST(duplicate_keys)
{
    eng_reset();
    key *a = key_string("greeting", "hi", "doc");
    CHECK(a == key_string("greeting", "hi", "doc"));
    int line = __LINE__ + 1;
    CHECK(key_int("greeting", 3, "doc") == NULL);
    CHECK(error_is("duplicate key 'greeting' (first defined at ", line));
}

/* expr, on one line, gives NULL and exactly the error `want` there. */
#define EXPECT_ERROR(expr, want)                                               \
    do {                                                                       \
        eng_reset();                                                           \
        int line_ = __LINE__;                                                  \
        CHECK((expr) == NULL);                                                 \
        CHECK(error_is(want, line_));                                          \
    } while (0)

TEST(bad_key_definitions)
{
    EXPECT_ERROR(key_string("Bad", "x", ""),
                 "invalid key name 'Bad' (expected lower-case letters, "
                 "digits, '-' and '_')");
    CHECK(key_string("kv_ro-2", "x", "") != NULL);
    EXPECT_ERROR(key_bool("target", false, ""),
                 "key name 'target' is reserved");
    EXPECT_ERROR(key_enum("e", "c", "", "a", "b"),
                 "bad default: unknown value 'c' for key 'e'");
    EXPECT_ERROR(key_enum("e", "c", ""), "enum key 'e' has no values");
    EXPECT_ERROR(key_string("s", NULL, ""), "key 's' needs a default value");
}

TEST(key_values_are_checked)
{
    eng_reset();
    const char *why = NULL;
    key *n = key_int("port", 80, "");
    key *b = key_bool("dhcp", true, "");
    key *e = key_enum("net", "direct", "", "direct", "socket");
    CHECK_INT(eng_set_key(n, "8080", &why), 0);
    CHECK_STR(key_text(n), "8080");
    CHECK_INT(eng_set_key(n, "80x", &why), -1);
    CHECK_STR(why, "invalid integer '80x' for key 'port'");
    CHECK_INT(eng_set_key(b, "yes", &why), -1);
    CHECK_STR(why, "invalid boolean 'yes' for key 'dhcp' (expected true or "
                   "false)");
    CHECK_INT(eng_set_key(e, "bogus", &why), -1);
    CHECK_STR(why, "unknown value 'bogus' for key 'net' (expected one of: "
                   "direct, socket)");
    CHECK_STR(key_text(e), "direct");
    CHECK(mirage_key_text(e) == NULL); /* only during configure actions */
}

TEST(if_impl_checks)
{
    eng_reset();
    key *s = key_string("s", "x", "");
    key *b = key_bool("b", false, "");
    int line = __LINE__ + 1;
    CHECK(if_impl(key_value(s), default_time(), default_time()) == NULL);
    CHECK(error_is("if_impl needs a bool key value, but key 's' is a string "
                   "key",
                   line));
    eng_reset();
    b = key_bool("b", false, "");
    line = __LINE__ + 1;
    CHECK(if_impl(key_value(b), default_time(), default_console()) == NULL);
    CHECK(error_is("if_impl branches have different types: time and console",
                   line));
}

TEST(match_impl_checks)
{
    eng_reset();
    key *e = key_enum("net", "direct", "", "direct", "socket");
    int line = __LINE__ + 1;
    CHECK(match_impl(key_value(e), default_time(),
                     match_case("bogus", default_time())) == NULL);
    CHECK(error_is("match_impl: unknown value 'bogus' for key 'net'", line));
    eng_reset();
    e = key_enum("net", "direct", "", "direct", "socket");
    line = __LINE__ + 1;
    CHECK(match_impl(key_value(e), default_time(),
                     match_case("socket", default_console())) == NULL);
    CHECK(error_is("match_impl case 'socket' has type console but the "
                   "default has type time",
                   line));
    eng_reset();
    e = key_enum("net", "direct", "", "direct", "socket");
    line = __LINE__ + 1;
    CHECK(match_impl(key_value(e), default_time(),
                     match_case("socket", default_time()),
                     match_case("socket", default_time())) == NULL);
    CHECK(error_is("match_impl: duplicate case 'socket'", line));
}

TEST(connect_templates_are_checked)
{
    eng_reset();
    int line = __LINE__ + 1;
    CHECK(impl("d", typ_fn(time_typ, console_typ), .connect = "f($1)") == NULL);
    CHECK(error_is("connect code of 'd' uses $1, which names none of its "
                   "dependencies (it has: $time)",
                   line));
    eng_reset();
    line = __LINE__ + 1;
    CHECK(impl("d", console_typ, .connect = "f(&$$)") == NULL);
    CHECK(error_is("has a stray '$' (use $out, $TYPE for a dependency or "
                   "${arg} for a runtime argument)",
                   line));
    eng_reset();
    line = __LINE__ + 1;
    CHECK(impl("j", job, .connect = "f(&$out)") == NULL);
    CHECK(error_is("'j' is a job: its connect code is the job's body, which "
                   "has no $out",
                   line));
    eng_reset();
    /* Dependencies of one type are numbered, in order. */
    impl *two = impl("two", typ_fn(time_typ, typ_fn(time_typ, console_typ)),
                     .connect = "f(&$out, $time_1, $time_2, $random)",
                     .extra_deps = deps(default_random()));
    CHECK(two != NULL);
    line = __LINE__ + 1;
    CHECK(impl("two", typ_fn(time_typ, typ_fn(time_typ, console_typ)),
               .connect = "f(&$out, $time)") == NULL);
    CHECK(error_is("uses $time, which names none of its dependencies (it "
                   "has: $time_1, $time_2)",
                   line));
    eng_reset();
    line = __LINE__ + 1;
    CHECK(impl("d", console_typ, .connect = "f(${port})") == NULL);
    CHECK(error_is("uses ${port}, which is not one of its runtime arguments",
                   line));
    eng_reset();
    line = __LINE__ + 1;
    CHECK(impl("d", console_typ, .connect = "f($ x)") == NULL);
    CHECK(error_is("has a stray '$'", line));
    eng_reset();
    runtime_arg *port = runtime_arg_int("port", 80, "");
    CHECK(impl("d", console_typ, .connect = "f(&$out, ${port})",
               .runtime_args = args(port)) != NULL);
    CHECK_INT(eng_error_count(), 0);
}

TEST(bad_names)
{
    eng_reset();
    int line = __LINE__ + 1;
    CHECK(mirage_main("not an identifier", job) == NULL);
    CHECK(error_is("must be a C identifier", line));
    eng_reset();
    line = __LINE__ + 1;
    CHECK(runtime_arg_string("logs", "x", "") == NULL);
    CHECK(error_is("runtime argument '--logs' is built in", line));
    eng_reset();
    line = __LINE__ + 1;
    CHECK(runtime_arg_int("busy-poll", 0, "") == NULL);
    CHECK(error_is("runtime argument '--busy-poll' is built in", line));
    eng_reset();
    line = __LINE__ + 1;
    CHECK(impl("d", console_typ, .targets = strs("unix", "amiga")) == NULL);
    CHECK(error_is("device 'd': unknown value 'amiga' for key 'target'", line));
    eng_reset();
    line = __LINE__ + 1;
    CHECK(default_reporter(.level = "loud") == NULL);
    CHECK(error_is("unknown log level 'loud'", line));
    eng_reset();
    line = __LINE__ + 1;
    CHECK(package("two words") == NULL);
    CHECK(error_is("invalid package name 'two words'", line));
}

int main(void)
{
    int rc = test_main();
    eng_reset();
    return rc;
}
