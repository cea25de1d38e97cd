#!/usr/bin/env bash
# Generated code, built and run on unix: a start function that disagrees
# with config.c does not compile; a failing connect stops the boot naming
# the device; configure actions and their files; runtime arguments read by
# connect code; no_argv.
. "$(dirname "$0")/../lib.sh"
plan 29
scratch

# app NAME: a fresh application directory from config.c on stdin.
app() {
    rm -rf "${T_TMP:?}/$1" && mkdir -p "$T_TMP/$1" && cd "$T_TMP/$1" || exit 1
    cat >config.c
}

app prototype </dev/null
cat >unikernel.c <<'EOF2'
struct mirage_kv_ro;

int start(struct mirage_kv_ro *store)
{
    (void)store;
    return 0;
}
EOF2
cat >config.c <<'EOF2'
#include <mirage/config.h>
int main(int argc, char **argv)
{
    impl *m = mirage_main("start", typ_fn(time_typ, job));
    return mirage_register(argc, argv, "p", jobs(apply(m, default_time())));
}
EOF2
"$MIRAGE" configure >/dev/null
expect prototype_configure 0 "$?"
out=$(make 2>&1)
expect prototype_make_fails 2 "$?"
expect_match prototype_error_at_definition "^unikernel\.c:3:[0-9]+: error: conflicting types for .start." "$out"
expect_match prototype_error_shows_declaration "mirage/start\.h:[0-9]+:[0-9]+: note: previous declaration" "$out"

app connect_failure <<'EOF2'
#include <mirage/config.h>
int main(int argc, char **argv)
{
    impl *broken = impl("broken_disk", console_typ, .connect = "MIRAGE_EIO",
                        .headers = strs("mirage/error.h"));
    impl *m = mirage_main("start", typ_fn(console_typ, job));
    return mirage_register(argc, argv, "cf", jobs(apply(m, broken)));
}
EOF2
echo 'int start(struct mirage_console *c) { (void)c; return 0; }' >unikernel.c
"$MIRAGE" configure >/dev/null && make -s >/dev/null 2>&1
out=$(./dist/cf --name='my unikernel' 2>&1)
expect connect_failure_status 1 "$?"
expect_match connect_failure_message \
    '^my unikernel: cannot connect broken_disk: [a-z/ ]*(I/O|input/output)' "$out"

app actions <<'EOF2'
#include <mirage/config.h>
#include <stdio.h>
static int generate(const struct mirage_configure_info *info)
{
    FILE *f = fopen("greeting.h", "w");
    if (!f)
        return 1;
    fprintf(f, "#define GREETING \"%s on %s says %s\"\n", info->name,
            info->target, mirage_key_text(key_string("word", "hi", "The word.")));
    return fclose(f);
}
int main(int argc, char **argv)
{
    key *word = key_string("word", "hi", "The word.");
    runtime_arg *who = runtime_arg_string("who", "world", "Who to greet.",
                                          .section = "GREETER OPTIONS");
    typ *greeter = typ_new("greeter", "const char *");
    impl *g = impl("greeter", greeter, .configure = generate,
                   .files = strs("greeting.h"), .keys = key_list(word),
                   .runtime_args = args(who), .connect = "($out = ${who}, 0)");
    impl *m = mirage_main("start", typ_fn(greeter, job));
    return mirage_register(argc, argv, "act", jobs(apply(m, g)),
                           .argv = no_argv(), .reporter = no_reporter());
}
EOF2
cat >unikernel.c <<'EOF2'
#include "greeting.h"
#include <stdio.h>
int start(const char *who)
{
    printf("%s to %s\n", GREETING, who);
    return 0;
}
EOF2
"$MIRAGE" configure --word=hello >/dev/null
expect_match action_ran 'act on unix says hello' "$(cat greeting.h 2>&1)"
expect_match action_file_listed 'greeting\.h' "$("$MIRAGE" query files)"
make -s >/dev/null 2>&1
expect no_argv_defaults "act on unix says hello to world" "$(./dist/act --who=x)"
"$MIRAGE" configure --dry-run --word=bye | grep -q 'would run the configure action of greeter'
expect dry_run_names_action 0 "$?"
expect_match dry_run_does_not_run 'says hello' "$(cat greeting.h)"
"$MIRAGE" configure --word='good day,  all' >/dev/null
rm greeting.h
"$MIRAGE" build >/dev/null 2>&1
expect cached_value_with_spaces "act on unix says good day,  all to world" \
    "$(./dist/act)"
"$MIRAGE" configure --word="$(printf 'two\\nlines\nhere')" >/dev/null
expect_match cached_value_with_newline "$(printf 'word=two\\\\nlines\nhere \\(given\\)')" \
    "$("$MIRAGE" describe)"
"$MIRAGE" clean
[ -e greeting.h ] && fail clean_removes_action_files "greeting.h left" ||
    pass clean_removes_action_files

app args <<'EOF2'
#include <mirage/config.h>
int main(int argc, char **argv)
{
    runtime_arg *n = runtime_arg_int("times", 2, "How many.", .docv = "N");
    runtime_arg *b = runtime_arg_bool("shout", false, "Shout.");
    runtime_arg *s = runtime_arg_string("text", NULL, "What to say.");
    impl *m = mirage_main("start", job, .runtime_args = args(n, b, s));
    return mirage_register(argc, argv, "args", jobs(m), .reporter = default_reporter(.level = "warning"));
}
EOF2
cat >unikernel.c <<'EOF2'
#include <mirage/log.h>
#include <stdio.h>
int start(void)
{
    for (int64_t i = 0; i < mirage_arg_times(); i++)
        printf("%s%s\n", mirage_arg_text(), mirage_arg_shout() ? "!" : "");
    mirage_log_info("an info message");
    mirage_log_warn("a warning");
    return 3;
}
EOF2
"$MIRAGE" configure >/dev/null && make -s >/dev/null 2>&1
out=$(./dist/args --text='a b  c' --times=0x2 --shout 2>&1)
expect job_status_is_exit_status 3 "$?"
expect_match args_values "^a b  c!
a b  c!" "$out"
expect_match reporter_level_warning 'a warning' "$out"
if printf '%s' "$out" | grep -q 'an info message'; then
    fail reporter_level_hides_info "info shown"
else pass reporter_level_hides_info; fi
expect_match logs_override 'an info message' "$(./dist/args --text=x -l info 2>&1)"
out=$(./dist/args 2>&1)
expect required_arg_status 64 "$?"
expect_match required_arg_named "'--text'" "$out"
out=$(./dist/args --text=x --times=many 2>&1)
expect bad_int_status 64 "$?"
expect_match bad_int_named "'--times'" "$out"
# The help shows the default --logs takes from the reporter.
expect_match help_logs_default 'Log thresholds.*\(default: warning\)' \
    "$(./dist/args --help 2>&1 | tr '\n' ' ')"

# A start function no application file defines: the link names the line
# of config.c, not mirage/main.c.
app misspelt_start <<'EOF2'
#include <mirage/config.h>
int main(int argc, char **argv)
{
    impl *m = mirage_main("strat", job);
    return mirage_register(argc, argv, "ms", jobs(m));
}
EOF2
echo 'int start(void) { return 0; }' >unikernel.c
"$MIRAGE" configure >/dev/null
out=$(make 2>&1)
expect misspelt_start_fails 2 "$?"
expect_match misspelt_start_names_config_line \
    "config\.c:4: undefined reference to .strat'" "$out"

# Sources in subdirectories and compiler flags (mirage_register's .sources
# and .cflags); application code is compiled with -Werror.
app sources <<'EOF2'
#include <mirage/config.h>
int main(int argc, char **argv)
{
    impl *m = mirage_main("start", job);
    return mirage_register(argc, argv, "src", jobs(m),
                           .sources = strs("lib/*.c", "more/x.c"),
                           .cflags = strs("-Iinc", "-DWORD=\"spaced out\""));
}
EOF2
mkdir -p lib inc more
echo 'int twice(int x);' >inc/util.h
printf '#include "util.h"\nint twice(int x) { return 2 * x; }\n' >lib/util.c
printf 'int three(void) { return 3; }\n' >more/x.c
cat >unikernel.c <<'EOF2'
#include <stdio.h>
#include "util.h"
int three(void);
int start(void)
{
    printf("%s %d\n", WORD, twice(three()));
    return 0;
}
EOF2
"$MIRAGE" configure >/dev/null && make -s >/dev/null 2>&1
expect sources_and_cflags "spaced out 6" "$(./dist/src)"
printf 'int unused_here(void) { int x; return 0; }\n' >lib/warn.c
out=$(make 2>&1)
expect app_warning_is_error 2 "$?"
expect_match app_warning_named "lib/warn\.c:1:[0-9]+: error: unused variable" "$out"
finish
