#!/usr/bin/env bash
# Generated files are tracked (on unix, with examples/kv_ro): configure
# records what it generated and removes what the previous run generated
# but this one does not; the Makefile compiles the recorded sources, not
# whatever lies in mirage/; a failed configure leaves nothing make or
# `mirage build` could build; plain make configures again when a crunched
# or archived file is added, changed or removed, or config.c changes.
. "$(dirname "$0")/../lib.sh"
plan 21
use_example kv_ro

# Make considers times: let a second pass before touching inputs.
later() { sleep 1.1; }

"$MIRAGE" configure -t unix --kv_ro=crunch >/dev/null && make -s >/dev/null 2>&1
expect crunch_builds 0 "$?"
expect_match files_lists_crunch '^mirage/crunch_t\.c$' "$(cat mirage/files)"
expect_match crunch_in_image 'mirage_crunch_t' "$(nm dist/kv_ro)"

"$MIRAGE" configure -t unix --kv_ro=direct >/dev/null && make -s >/dev/null 2>&1
expect direct_builds 0 "$?"
[ -e mirage/crunch_t.c ] && fail stale_source_removed "mirage/crunch_t.c left" ||
    pass stale_source_removed
if nm dist/kv_ro | grep -q mirage_crunch; then
    fail stale_symbols_gone "mirage_crunch_* symbols in dist/kv_ro"
else pass stale_symbols_gone; fi

# A C file in mirage/ that configure did not write is not compiled.
printf 'this is not C\n' >mirage/stray.c
touch config.c
make -s >/dev/null 2>&1
expect stray_file_not_compiled 0 "$?"
rm mirage/stray.c

# A configure that fails takes the Makefile and the cache away.
out=$("$MIRAGE" configure -t unix --kv_ro=tape 2>&1)
expect failed_configure_status 1 "$?"
[ -e Makefile ] && fail failed_configure_no_makefile "Makefile left" ||
    pass failed_configure_no_makefile
out=$("$MIRAGE" build 2>&1)
expect_match failed_configure_no_cache "kv_ro is not configured" "$out"
# So does one whose config.c does not compile.
"$MIRAGE" configure -t unix >/dev/null
cp config.c config.c.good
printf 'int main(void) { return nope; }\n' >config.c
"$MIRAGE" configure -t unix >/dev/null 2>&1
expect bad_config_status 1 "$?"
[ -e Makefile ] && fail bad_config_no_makefile "Makefile left" ||
    pass bad_config_no_makefile
mv config.c.good config.c

# The inputs of crunch: plain make follows additions, changes, removals.
"$MIRAGE" configure -t unix --kv_ro=crunch >/dev/null && make -s >/dev/null 2>&1
expect_match inputs_listed '^CONFIG_INPUTS := config\.c t t/secret$' \
    "$(grep '^CONFIG_INPUTS' mirage/inputs.mk)"
later
printf 'bar\n' >t/extra
make -s >/dev/null 2>&1
expect_match added_file_crunched '"extra"' "$(cat mirage/crunch_t.c)"
later
printf 'changed\n' >t/secret
make -s >/dev/null 2>&1
expect changed_file_embedded 1 "$(grep -a -c 'changed' dist/kv_ro)"
later
rm t/extra
make -s >/dev/null 2>&1
if grep -q '"extra"' mirage/crunch_t.c; then
    fail removed_file_dropped "t/extra still crunched"
else pass removed_file_dropped; fi
out=$(make 2>&1)
expect_match nothing_to_redo "Nothing to be done" "$out"

# The inputs of archive_of_files: the tar image follows them too.
"$MIRAGE" configure -t unix --kv_ro=archive >/dev/null && make -s >/dev/null 2>&1
later
printf 'baz\n' >t/more
make -s >/dev/null 2>&1
expect_match added_file_archived '^\./more$' "$(tar -tf mirage/t.tar)"

# config.c is an input too: a change is configured before it is built.
later
sed -i 's/jobs(apply(m, generic_kv_ro("t")))/jobs(apply(m, generic_kv_ro("t")), noop())/' config.c
make -s >/dev/null 2>&1
expect config_change_built 0 "$?"
expect_match config_change_configured 'job_1' "$(cat mirage/main.c)"
# A change the cached arguments no longer fit stops make with the reason.
later
sed -i 's/generic_kv_ro("t")/crunch("t")/' config.c
out=$(make 2>&1)
expect_match stale_cache_stops_make "cached configuration .* no longer applies" "$out"
finish
