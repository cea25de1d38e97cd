/* Engine tests: evaluating a graph for a set of key values: if/match
 * resolution, sharing in the resolved graph, connect order, collection of
 * keys, packages, runtime arguments and files from the selected branches
 * only, and the checks made at evaluation (target support, full
 * application, duplicate runtime arguments). */
#include "../../tool/engine.h"
#include "engine_app.h"
#include "test.h"

#include <string.h>

static bool has_node(const struct eng_graph *g, const char *name)
{
    for (size_t i = 0; i < g->norder; i++)
        if (strcmp(g->order[i]->dev->dev.name, name) == 0)
            return true;
    return false;
}

static bool has_key(const struct eng_graph *g, const char *name)
{
    for (size_t i = 0; i < g->nkeys; i++)
        if (strcmp(g->keys[i]->name, name) == 0)
            return true;
    return false;
}

TEST(shared_device_is_connected_once)
{
    eng_reset();
    impl *m = mirage_main("start", typ_fn(time_typ, typ_fn(time_typ, job)));
    impl *n = mirage_main("other", typ_fn(time_typ, job));
    struct eng_app app =
        test_app("t", jobs(apply(m, default_time(), default_time()),
                           apply(n, default_time())));
    struct eng_graph *g = eng_eval(&app);
    CHECK(g != NULL);
    CHECK_INT(g->norder, 3); /* reporter, argv, time */
    CHECK_STR(g->order[2]->dev->dev.name, "default_time");
    CHECK(g->jobs[0]->args[0] == g->jobs[0]->args[1]);
    CHECK(g->jobs[1]->args[0] == g->order[2]);
    CHECK_INT(g->nearly, 2);
}

TEST(dependencies_come_first)
{
    eng_reset();
    typ *store = typ_new("store", "struct store *");
    impl *mk = impl("store_of_time", typ_fn(time_typ, store),
                    .connect = "store_connect(&$out, $time, $random)",
                    .extra_deps = deps(dep(default_random())));
    impl *m = mirage_main("start", typ_fn(store, typ_fn(console_typ, job)));
    struct eng_app app = test_app(
        "t", jobs(apply(m, apply(mk, default_time()), default_console())));
    struct eng_graph *g = eng_eval(&app);
    CHECK(g != NULL);
    CHECK_INT(g->norder, 6);
    CHECK_STR(g->order[2]->dev->dev.name, "default_time");
    CHECK_STR(g->order[3]->dev->dev.name, "default_random");
    CHECK_STR(g->order[4]->dev->dev.name, "store_of_time");
    CHECK_STR(g->order[5]->dev->dev.name, "default_console");
    CHECK_INT(g->order[4]->nargs, 1);
    CHECK_INT(g->order[4]->ndeps, 1);
    CHECK(strstr(gen_main_c(g), "store_connect(&d4_store_of_time, "
                                "d2_default_time, d3_default_random)"));
}

TEST(foreign_deps_are_connected)
{
    eng_reset();
    impl *f = foreign("start", typ_fn(time_typ, job),
                      .deps = deps(dep(default_random())),
                      .extra_deps = deps(default_console()));
    struct eng_app app = test_app("t", jobs(apply(f, default_time())));
    struct eng_graph *g = eng_eval(&app);
    CHECK(g != NULL);
    CHECK_INT(g->norder, 5);
    CHECK_INT(g->jobs[0]->ndeps, 2);
    CHECK_STR(g->jobs[0]->deps[0]->dev->dev.name, "default_console");
    CHECK_STR(g->jobs[0]->deps[1]->dev->dev.name, "default_random");
    /* The start function takes the functor's arguments, not the deps. */
    CHECK(strstr(gen_main_c(g), arena_printf("return start(d%u_default_time);",
                                             g->jobs[0]->args[0]->index)));
}

TEST(if_impl_follows_the_key)
{
    eng_reset();
    key *k = key_bool("fancy", false, "");
    impl *c = if_impl(key_value(k), custom_console("fancy"), default_console());
    impl *m = mirage_main("start", typ_fn(console_typ, job));
    struct eng_app app = test_app("t", jobs(apply(m, c)));
    struct eng_graph *g = eng_eval(&app);
    CHECK(g && has_node(g, "default_console") &&
          !has_node(g, "custom_console"));
    const char *why;
    CHECK_INT(eng_set_key(k, "true", &why), 0);
    g = eng_eval(&app);
    CHECK(g && has_node(g, "custom_console") &&
          !has_node(g, "default_console"));
    CHECK_INT(g->nchoices, 1);
    CHECK(g->chosen[0] == custom_console("fancy"));
    CHECK(has_key(g, "fancy"));
}

TEST(match_impl_follows_the_key)
{
    eng_reset();
    key *k = key_enum("clock", "posix", "", "posix", "mono", "none");
    typ *t = typ_new("src", "struct src *");
    impl *p = impl("posix_src", t), *mo = impl("mono_src", t),
         *d = impl("default_src", t);
    impl *c = match_impl(key_value(k), d, match_case("posix", p),
                         match_case("mono", mo));
    impl *m = mirage_main("start", typ_fn(t, job));
    struct eng_app app = test_app("t", jobs(apply(m, c)));
    const char *why;
    struct eng_graph *g = eng_eval(&app);
    CHECK(g && has_node(g, "posix_src"));
    CHECK_INT(eng_set_key(k, "mono", &why), 0);
    g = eng_eval(&app);
    CHECK(g && has_node(g, "mono_src") && !has_node(g, "posix_src"));
    CHECK_INT(eng_set_key(k, "none", &why), 0);
    g = eng_eval(&app);
    CHECK(g && has_node(g, "default_src"));
}

TEST(collection_is_from_selected_branches_only)
{
    eng_reset();
    key *sel = key_bool("use-a", true, "");
    key *ka = key_string("a-key", "x", ""), *kb = key_string("b-key", "y", "");
    runtime_arg *ra = runtime_arg_string("a-arg", "1", "");
    runtime_arg *rb = runtime_arg_string("b-arg", "2", "");
    package *pa = package("liba-dev", .libs = strs("-la"), .min = "1.0");
    package *pb = package("libb-dev", .libs = strs("-lb"));
    impl *a = impl("dev_a", console_typ, .keys = key_list(ka),
                   .runtime_args = args(ra), .packages = packages(pa),
                   .files = strs("a.gen"));
    impl *b = impl("dev_b", console_typ, .keys = key_list(kb),
                   .runtime_args = args(rb), .packages = packages(pb),
                   .files = strs("b.gen"));
    impl *m = mirage_main("start", typ_fn(console_typ, job));
    struct eng_app app =
        test_app("t", jobs(apply(m, if_impl(key_value(sel), a, b))));
    struct eng_graph *g = eng_eval(&app);
    CHECK(g != NULL);
    CHECK(has_key(g, "use-a") && has_key(g, "a-key") && !has_key(g, "b-key"));
    CHECK(has_key(g, "target"));
    CHECK_INT(g->nargs, 1);
    CHECK_STR(g->args[0]->name, "a-arg");
    CHECK_INT(g->npackages, 1);
    CHECK_STR(g->packages[0]->name, "liba-dev");
    CHECK_STR(g->packages[0]->bounds.v[0], ">= 1.0");
    CHECK_INT(g->nfiles, 1);
    CHECK_STR(g->files[0], "a.gen");
    /* Every branch's keys are reachable for the command line. */
    key **reach;
    size_t n = eng_reachable_keys(&app, &reach);
    CHECK_INT(n, 4);
    CHECK(reach[0] == target_key);
    CHECK(reach[3] == kb);
}

TEST(packages_with_one_name_merge)
{
    eng_reset();
    package *p1 = package("libx-dev", .libs = strs("-lx"), .min = "1.0");
    package *p2 = package("libx-dev", .libs = strs("-lx2"), .max = "3");
    impl *a = impl("a", console_typ, .packages = packages(p1));
    impl *b = impl("b", time_typ, .packages = packages(p2));
    impl *m = mirage_main("start", typ_fn(console_typ, typ_fn(time_typ, job)));
    struct eng_app app = test_app("t", jobs(apply(m, a, b)));
    struct eng_graph *g = eng_eval(&app);
    CHECK(g != NULL);
    CHECK_INT(g->npackages, 1);
    CHECK_INT(g->packages[0]->libs.n, 2);
    CHECK_INT(g->packages[0]->bounds.n, 2);
    CHECK_STR(g->packages[0]->bounds.v[1], "<< 3");
}

TEST(unsupported_target)
{
    eng_reset();
    impl *d = impl("unix_only", console_typ, .targets = strs("unix"));
    int line = __LINE__ - 1;
    impl *m = mirage_main("start", typ_fn(console_typ, job));
    struct eng_app app = test_app("t", jobs(apply(m, d)));
    CHECK(eng_eval(&app) != NULL);
    const char *why;
    CHECK_INT(eng_set_key(target_key, "hvt", &why), 0);
    CHECK(eng_eval(&app) == NULL);
    char want[160];
    snprintf(want, sizeof(want),
             "engine_eval_test.c:%d: error: device 'unix_only' is not "
             "supported on target 'hvt' (supported: unix)",
             line);
    CHECK_INT(eng_error_count(), 1);
    CHECK(strstr(eng_error_at(0), want) != NULL);
}

TEST(jobs_must_be_fully_applied)
{
    eng_reset();
    impl *m = mirage_main("start", typ_fn(time_typ, job));
    int line = __LINE__ - 1;
    struct eng_app app = test_app("t", jobs(m));
    CHECK(eng_eval(&app) == NULL);
    char want[160];
    snprintf(want, sizeof(want),
             "engine_eval_test.c:%d: error: the job 'start' has type time -> "
             "job, not job",
             line);
    CHECK(strstr(eng_error_at(0), want) != NULL);
}

TEST(dependencies_must_be_fully_applied)
{
    eng_reset();
    impl *f = mirage_main("make_console", typ_fn(time_typ, console_typ));
    int line = __LINE__ - 1;
    impl *d = impl("d", console_typ, .extra_deps = deps(dep(f)));
    impl *m = mirage_main("start", typ_fn(console_typ, job));
    struct eng_app app = test_app("t", jobs(apply(m, d)));
    CHECK(eng_eval(&app) == NULL);
    char want[160];
    snprintf(want, sizeof(want),
             "engine_eval_test.c:%d: error: 'make_console' is not fully "
             "applied: it still expects a time",
             line);
    CHECK(strstr(eng_error_at(0), want) != NULL);
}

TEST(one_start_function_one_type)
{
    eng_reset();
    impl *a = mirage_main("start", typ_fn(time_typ, job));
    impl *b = mirage_main("start", typ_fn(console_typ, job));
    struct eng_app app = test_app(
        "t", jobs(apply(a, default_time()), apply(b, default_console())));
    CHECK(eng_eval(&app) == NULL);
    CHECK(strstr(eng_error_at(0), "start function 'start' has type console "
                                  "-> job here but time -> job at ") != NULL);
}

TEST(reporter_and_argv_are_typed)
{
    eng_reset();
    struct eng_app app = test_app("t", jobs(noop()));
    app.reporter = default_console();
    CHECK(eng_eval(&app) == NULL);
    CHECK(strstr(eng_error_at(0), "the reporter 'default_console' has type "
                                  "console, not reporter") != NULL);
}

TEST(reporter_clock_is_connected_first)
{
    eng_reset();
    struct eng_app app = test_app("t", jobs(noop()));
    app.reporter = default_reporter(.clock = default_posix_clock());
    struct eng_graph *g = eng_eval(&app);
    CHECK(g != NULL);
    CHECK_INT(g->nearly, 3);
    CHECK_STR(g->order[0]->dev->dev.name, "default_posix_clock");
    CHECK(g->order[1] == g->reporter);
    CHECK(default_reporter(.clock = default_time()) == NULL);
    CHECK(strstr(eng_error_at(0), "default_reporter expects a pclock but is "
                                  "given a time") != NULL);
}

TEST(early_devices_take_no_runtime_arguments)
{
    eng_reset();
    runtime_arg *a = runtime_arg_string("src", "x", "");
    impl *clock = impl("arg_clock", pclock_typ, .runtime_args = args(a));
    struct eng_app app = test_app("t", jobs(noop()));
    app.reporter = default_reporter(.clock = clock);
    CHECK(eng_eval(&app) == NULL);
    CHECK(strstr(eng_error_at(0), "'arg_clock' is connected before the "
                                  "runtime arguments are parsed") != NULL);
}

TEST(duplicate_runtime_arguments)
{
    eng_reset();
    runtime_arg *a = runtime_arg_string("port", "80", "");
    runtime_arg *b = runtime_arg_int("port", 80, "");
    impl *m = mirage_main("start", job, .runtime_args = args(a));
    impl *n = mirage_main("other", job, .runtime_args = args(b));
    struct eng_app app = test_app("t", jobs(m, n));
    CHECK(eng_eval(&app) == NULL);
    CHECK(strstr(eng_error_at(0), "duplicate runtime argument '--port'") !=
          NULL);
}

TEST(jobs_cannot_be_dependencies)
{
    eng_reset();
    impl *d = impl("d", console_typ, .extra_deps = deps(noop()));
    impl *m = mirage_main("start", typ_fn(console_typ, job));
    struct eng_app app = test_app("t", jobs(apply(m, d)));
    CHECK(eng_eval(&app) == NULL);
    CHECK(strstr(eng_error_at(0),
                 "'noop' is a job and cannot be a dependency of 'd'") != NULL);
}

TEST(keys_job_needs_argv)
{
    eng_reset();
    struct eng_app app = test_app("t", jobs(keys(default_argv())));
    struct eng_graph *g = eng_eval(&app);
    CHECK(g != NULL);
    CHECK(g->jobs[0]->args[0] == g->argv);
    CHECK(keys(default_console()) == NULL);
    CHECK(strstr(eng_error_at(0), "keys expects a argv but is given a "
                                  "console") != NULL);
}

int main(void)
{
    int rc = test_main();
    eng_reset();
    return rc;
}
