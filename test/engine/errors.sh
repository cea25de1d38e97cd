#!/usr/bin/env bash
# Configure-time errors from small bad config.c files: each names
# config.c:LINE, exits 1 and generates nothing.
. "$(dirname "$0")/../lib.sh"
plan $((19 * 3)) # three cases for each call of bad
scratch

# bad NAME WANT_REGEX [CONFIGURE ARGS...]: config.c from stdin.
bad() {
    local name=$1 want=$2 out rc
    shift 2
    rm -rf "$T_TMP/$name" && mkdir -p "$T_TMP/$name"
    cat >"$T_TMP/$name/config.c"
    out=$(cd "$T_TMP/$name" && "$MIRAGE" configure "$@" 2>&1)
    rc=$?
    expect "${name}_status" 1 "$rc"
    expect_match "${name}_message" "$want" "$out"
    if [ -e "$T_TMP/$name/Makefile" ] || [ -e "$T_TMP/$name/mirage/main.c" ]; then
        fail "${name}_nothing_generated" "files were generated"
    else
        pass "${name}_nothing_generated"
    fi
}

bad type_error '^config\.c:6: error: type mismatch in application: web_start expects a stackv4v6 but is given a kv_ro$' <<'EOF2'
#include <mirage/config.h>
int main(int argc, char **argv)
{
    impl *m = mirage_main("web_start", typ_fn(stackv4v6_typ, job));
    impl *store = impl("crunch", kv_ro_typ);
    return mirage_register(argc, argv, "web", jobs(apply(m, store)));
}
EOF2

bad wrong_arity "^config\.c:5: error: too many arguments: 'start' has type time -> job and takes 1 argument\(s\)$" <<'EOF2'
#include <mirage/config.h>
int main(int argc, char **argv)
{
    impl *m = mirage_main("start", typ_fn(time_typ, job));
    impl *j = apply(m, default_time(), default_time());
    return mirage_register(argc, argv, "t", jobs(j));
}
EOF2

bad not_applied "^config\.c:4: error: the job 'start' has type time -> job, not job$" <<'EOF2'
#include <mirage/config.h>
int main(int argc, char **argv)
{
    impl *m = mirage_main("start", typ_fn(time_typ, job));
    return mirage_register(argc, argv, "t", jobs(m));
}
EOF2

bad duplicate_key "^config\.c:5: error: duplicate key 'greeting' \(first defined at config\.c:4\)$" <<'EOF2'
#include <mirage/config.h>
int main(int argc, char **argv)
{
    key *a = key_string("greeting", "hi", "How to greet.");
    key *b = key_string("greeting", "hello", "How to greet.");
    (void)a, (void)b;
    return mirage_register(argc, argv, "t", jobs(noop()));
}
EOF2

cat >"$T_TMP/keyed.c" <<'EOF2'
#include <mirage/config.h>
int main(int argc, char **argv)
{
    key *net = key_enum("net", "direct", "Stack.", "direct", "socket");
    impl *c = match_impl(key_value(net), default_console(),
                         match_case("socket", custom_console("s")));
    impl *m = mirage_main("start", typ_fn(console_typ, job));
    return mirage_register(argc, argv, "t", jobs(apply(m, c)));
}
EOF2
bad unknown_key_value "^mirage: unknown value 'bogus' for key 'net' \(expected one of: direct, socket\)$" --net=bogus <"$T_TMP/keyed.c"
bad unknown_option "^mirage: unknown option '--nett' \(see 'mirage configure --help'\)$" --nett=direct <"$T_TMP/keyed.c"
bad missing_value "^mirage: option '--net' needs a value$" --net <"$T_TMP/keyed.c"
bad stray_argument "^mirage: unexpected argument 'foo'" foo <"$T_TMP/keyed.c"
bad bad_output_name "^mirage: option '-o' needs a file name, not \.\./x$" -o ../x <"$T_TMP/keyed.c"

bad unknown_case_value "^config\.c:5: error: match_impl: unknown value 'sockets' for key 'net'" <<'EOF2'
#include <mirage/config.h>
int main(int argc, char **argv)
{
    key *net = key_enum("net", "direct", "Stack.", "direct", "socket");
    impl *c = match_impl(key_value(net), default_console(),
                         match_case("sockets", custom_console("s")));
    impl *m = mirage_main("start", typ_fn(console_typ, job));
    return mirage_register(argc, argv, "t", jobs(apply(m, c)));
}
EOF2

bad unsupported_target "^config\.c:4: error: device 'unix_only' is not supported on target 'spt' \(supported: unix\)$" -t spt <<'EOF2'
#include <mirage/config.h>
int main(int argc, char **argv)
{
    impl *d = impl("unix_only", console_typ,
                   .connect = "mirage_console_connect_default(&$out)", .targets = strs("unix"));
    impl *m = mirage_main("start", typ_fn(console_typ, job));
    return mirage_register(argc, argv, "t", jobs(apply(m, d)));
}
EOF2

bad unknown_target "^mirage: unknown value 'amiga' for key 'target' \(expected one of: hvt, spt, unix, virtio\)$" -t amiga <<'EOF2'
#include <mirage/config.h>
int main(int argc, char **argv)
{
    return mirage_register(argc, argv, "t", jobs(noop()));
}
EOF2

bad several_errors_all_reported "config\.c:4: error: .*
config\.c:5: error: " <<'EOF2'
#include <mirage/config.h>
int main(int argc, char **argv)
{
    impl *a = apply(default_time(), default_time());
    key *k = key_string("Bad Name", "", "");
    (void)a, (void)k;
    return mirage_register(argc, argv, "t", jobs(noop()));
}
EOF2

# A misspelt combinator: the compiler's one line at config.c's line, not
# a page of notes about macro expansions; then mirage's.
bad misspelt_combinator "^config\.c:6:[0-9]+: error: implicit declaration of function .default_tme.; did you mean .default_time.\? \[-Werror=implicit-function-declaration\]
mirage: cannot compile: config\.c$" <<'EOF2'
#include <mirage/config.h>
int main(int argc, char **argv)
{
    impl *m = mirage_main("start", typ_fn(time_typ, job));
    return mirage_register(argc, argv, "t",
                           jobs(apply(m, default_tme())));
}
EOF2
bad misspelt_type "^config\.c:4:[0-9]+: error: .tme_typ. undeclared .*did you mean .time_typ.\?
mirage: cannot compile: config\.c$" <<'EOF2'
#include <mirage/config.h>
int main(int argc, char **argv)
{
    impl *m = mirage_main("start", typ_fn(tme_typ, job));
    return mirage_register(argc, argv, "t", jobs(apply(m, default_time())));
}
EOF2

# A runtime argument given to configure: said so, with how to run it.
cat >"$T_TMP/runtime.c" <<'EOF2'
#include <mirage/config.h>
int main(int argc, char **argv)
{
    runtime_arg *port = runtime_arg_int("port", 80, "The port.", .docv = "PORT");
    impl *m = mirage_main("start", job, .runtime_args = args(port));
    return mirage_register(argc, argv, "web", jobs(m));
}
EOF2
bad runtime_arg_on_unix "^mirage: '--port' is a runtime argument of the unikernel, not a configure key: give it when the image runs, e\.g\. \./dist/web --port=9090$" --port=9090 <"$T_TMP/runtime.c"
bad runtime_arg_on_spt "^mirage: '--port' is a runtime argument of the unikernel, not a configure key: give it when the image runs, e\.g\. mirage-spt dist/web\.spt --port=9090$" -t spt --port 9090 <"$T_TMP/runtime.c"

bad bad_source "^config\.c:4: error: bad source '\.\./lib\.c' \(expected a path or pattern relative to the application" <<'EOF2'
#include <mirage/config.h>
int main(int argc, char **argv)
{
    return mirage_register(argc, argv, "t", jobs(noop()), .sources = strs("../lib.c"));
}
EOF2

bad failing_configure_action "^refusing t
config\.c:10: error: the configure action of 'gen' failed$" <<'EOF2'
#include <mirage/config.h>
#include <stdio.h>
static int refuse(const struct mirage_configure_info *info)
{
    fprintf(stderr, "refusing %s\n", info->name);
    return 1;
}
int main(int argc, char **argv)
{
    impl *d = impl("gen", console_typ, .configure = refuse,
                   .connect = "mirage_console_connect_default(&$out)");
    impl *m = mirage_main("start", typ_fn(console_typ, job));
    return mirage_register(argc, argv, "t", jobs(apply(m, d)));
}
EOF2
finish
