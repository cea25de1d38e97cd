#!/usr/bin/env bash
# The mirage command line: help, version, configure --help (the keys the
# graph reaches), --dry-run, the argument cache reused by build and
# describe, describe (text and --dot accepted by dot), query, -f, -o, clean.
. "$(dirname "$0")/../lib.sh"
plan 64
scratch
app=$T_TMP/app
mkdir -p "$app"
cat >"$app/config.c" <<'EOF2'
/* A console chosen by a key; the fancy branch reads another key. */
#include <mirage/config.h>
int main(int argc, char **argv)
{
    key *fancy = key_bool("fancy", false, "Use the fancy console.");
    key *style = key_enum("style", "plain", "The fancy style.", "plain", "bold");
    key *unused = key_string("unused", "u", "Not in the graph.");
    (void)unused;
    impl *f = impl("fancy_console", console_typ, .keys = key_list(style),
                   .connect = "mirage_console_connect_custom(&$out, \"fancy\")",
                   .headers = strs("mirage/console.h"),
                   .libraries = strs("console"),
                   .packages = packages(package("libfancy-dev", .min = "1.2",
                                                .libs = strs("-lm"))));
    impl *c = if_impl(key_value(fancy), f, default_console());
    impl *m = mirage_main("start", typ_fn(console_typ, job));
    return mirage_register(argc, argv, "cli", jobs(apply(m, c)));
}
EOF2
cat >"$app/unikernel.c" <<'EOF2'
#include <mirage/console.h>
int start(struct mirage_console *c)
{
    mirage_console_log(c, "console %s", c->name);
    return 0;
}
EOF2
# Help outside an application directory: the command's options, and where
# its keys come from.
mkdir -p "$T_TMP/empty" && cd "$T_TMP/empty" || exit 1
out=$("$MIRAGE" help configure)
expect help_outside_app_status 0 "$?"
expect_match help_outside_app_options '--dry-run' "$out"
expect_match help_outside_app_keys "The other keys depend on the application" "$out"
expect help_outside_app_same "$out" "$("$MIRAGE" configure --help)"
cd "$app" || exit 1

out=$("$MIRAGE" --version)
expect_match version '^mirage [0-9]+\.[0-9]+\.[0-9]+$' "$out"
out=$("$MIRAGE" help)
expect help_status 0 "$?"
expect_match help_lists_commands 'configure.*' "$out"
out=$("$MIRAGE" frobnicate 2>&1)
expect unknown_command_status 1 "$?"
expect_match unknown_command "unknown command 'frobnicate'" "$out"
out=$("$MIRAGE" 2>&1)
expect no_command_status 1 "$?"

out=$("$MIRAGE" configure --help)
expect configure_help_status 0 "$?"
expect_match configure_help_target '-t TARGET, --target=hvt\|spt\|unix' "$out"
expect_match configure_help_key '--fancy=BOOL' "$out"
expect_match configure_help_unselected_branch_key '--style=plain\|bold' "$out"
if printf '%s' "$out" | grep -q -- '--unused'; then
    fail configure_help_unreachable_key "lists --unused"
else pass configure_help_unreachable_key; fi
expect help_configure_same "$out" "$("$MIRAGE" help configure)"
[ -e Makefile ] && fail help_writes_nothing "Makefile written" || pass help_writes_nothing

out=$("$MIRAGE" configure --dry-run --fancy)
expect_match dry_run_lists 'would write mirage/main\.c' "$out"
[ -e Makefile ] && fail dry_run_writes_nothing "Makefile written" ||
    pass dry_run_writes_nothing

"$MIRAGE" configure -t unix --fancy --style bold
expect configure_status 0 "$?"
expect configure_cache "$(printf -- '--target=unix\n--fancy=true\n--style=bold')" \
    "$(cat mirage/context)"
out=$("$MIRAGE" describe)
expect_match describe_name '^Name       cli$' "$out"
expect_match describe_given_key 'fancy=true \(given\)' "$out"
expect_match describe_default_key 'target=unix \(given\)' "$out"
expect_match describe_device 'fancy_console : console' "$out"
expect_match describe_packages 'Packages   libfancy-dev' "$out"
out=$("$MIRAGE" describe --fancy=false)
expect_match describe_override 'default_console : console' "$out"
expect_match describe_override_cache_kept 'fancy=true' "$(cat mirage/context)"
if command -v dot >/dev/null; then
    "$MIRAGE" describe --dot >graph.dot && dot -Tsvg graph.dot >graph.svg
    expect describe_dot_accepted_by_dot 0 "$?"
    expect_match describe_dot_if_node 'label="if fancy"' "$(cat graph.dot)"
else
    skip describe_dot "graphviz is not installed (scripts/install-deps.sh)" 2
fi

expect query_packages "libfancy-dev (>= 1.2)" "$("$MIRAGE" query packages)"
expect query_files "$(printf 'mirage/main.c\nmirage/start.h\nmirage/context\nMakefile\nmirage/inputs.mk\nmirage/files')" \
    "$("$MIRAGE" query files)"
# What config.c and the keys given (--fancy --style bold) call for: the
# fancy console, connected with its name, handed to start.
out=$("$MIRAGE" query main)
expect_match query_main_connects_fancy \
    'rc = mirage_console_connect_custom\(&d[0-9]+_fancy_console, "fancy"\);' "$out"
expect_match query_main_starts_with_it 'return start\(d[0-9]+_fancy_console\);' "$out"
expect_match query_main_records_keys \
    'info_keys\[\] = \{"target=unix", "fancy=true", "style=bold", NULL\}' "$out"
expect_match query_main_follows_keys 'mirage_console_connect_default\(' \
    "$("$MIRAGE" query main --fancy=false)"
expect query_makefile "$(printf '%s\n' "MIRAGE_ROOT := $ROOT/build" \
    'NAME := cli' 'TARGET := unix' 'CONFIG_FILE := config.c' 'PKG_LIBS := -lm' \
    'MIRAGE_LIBS := console rt' 'GEN_SRCS := mirage/main.c' 'APP_SOURCES :=' \
    'APP_CFLAGS :=' 'include $(MIRAGE_ROOT)/lib/mirage/unikernel.mk')" \
    "$("$MIRAGE" query Makefile | grep -v '^#')"
expect query_start "$(printf '%s\n' '#include <mirage/console.h>' \
    'int start(struct mirage_console *);')" \
    "$("$MIRAGE" query start | grep -E '^(int start|#include <mirage/console)')"
out=$("$MIRAGE" query manifest 2>&1)
expect query_manifest_unix_status 1 "$?"
expect_match query_manifest_unix "target 'unix' has no manifest" "$out"
out=$("$MIRAGE" query -t spt manifest)
expect_match query_manifest_spt '"type": "solo5.manifest"' "$out"
out=$("$MIRAGE" query bogus 2>&1)
expect query_bogus_status 1 "$?"
expect_match query_bogus "query needs one of packages, files, Makefile, main, start, manifest, not bogus" "$out"

# build regenerates with the cached arguments, even after config.c changes.
touch -d "@$(($(date +%s) + 2))" config.c && rm mirage/main.c
out=$("$MIRAGE" build 2>&1)
expect build_status 0 "$?"
expect_match build_used_cache 'connect_custom\(&d2_fancy_console' "$(cat mirage/main.c)"
expect build_image "console fancy" "$(./dist/cli)"
out=$("$MIRAGE" build --fancy=false 2>&1)
expect build_args_status 1 "$?"
expect_match build_takes_no_args 'build takes no arguments' "$out"

# -o names the image; -f configures another directory.
"$MIRAGE" configure -o other >/dev/null && make -s >/dev/null 2>&1
expect output_name "console 0" "$(./dist/other)"
cd "$T_TMP" || exit 1
"$MIRAGE" describe -f app/config.c >/dev/null
expect file_option 0 "$?"
out=$("$MIRAGE" describe -f nowhere/config.c 2>&1)
expect file_missing_status 1 "$?"
expect_match file_missing 'nowhere' "$out"
cd "$app" || exit 1

out=$("$MIRAGE" describe -f 2>&1)
expect file_option_needs_value_status 1 "$?"
expect_match file_option_needs_value 'option needs a file name: -f' "$out"

# config.bin itself: only through the tool, only known commands.
out=$(env -u MIRAGE_ROOT mirage/config.bin describe 2>&1)
expect config_bin_needs_root_status 1 "$?"
expect_match config_bin_needs_root 'MIRAGE_ROOT is not set' "$out"
out=$(MIRAGE_ROOT="$ROOT/build" mirage/config.bin frob 2>&1)
expect config_bin_unknown_command_status 1 "$?"
expect_match config_bin_unknown_command "unknown command 'frob'" "$out"

# A cache that no longer fits config.c is reported.
cp config.c config.c.orig
printf -- '--fancy=true\n' >mirage/context
sed -i 's/"fancy"/"fantasy"/' config.c
out=$("$MIRAGE" describe 2>&1)
expect stale_cache_status 1 "$?"
expect_match stale_cache "unknown option '--fancy'.*
.*cached configuration \(mirage/context\) no longer applies" "$out"
mv config.c.orig config.c

"$MIRAGE" clean
expect clean_status 0 "$?"
expect clean_removes "config.c unikernel.c" "$(ls | grep -v '^graph' | xargs)"
out=$("$MIRAGE" build 2>&1)
expect build_unconfigured_status 1 "$?"
expect_match build_unconfigured "cli is not configured: run 'mirage configure' first" "$out"
finish
