#!/usr/bin/env bash
# The tool works installed: after scripts/install.sh into a prefix, that
# prefix's mirage finds its own headers and libraries (and not the tree's)
# and builds examples/hello; two builds of one configuration give
# byte-identical images; a target missing from the prefix is named.
. "$(dirname "$0")/../lib.sh"
plan 8
scratch
prefix=$T_TMP/prefix
"$ROOT/scripts/install.sh" "$ROOT/build" "$prefix" >/dev/null
expect install_status 0 "$?"
use_example hello
"$prefix/bin/mirage" configure -t unix >/dev/null
expect installed_configure 0 "$?"
expect_match installed_root "^MIRAGE_ROOT := $prefix\$" "$(cat Makefile)"
make -s >/dev/null 2>&1
expect installed_build 0 "$?"
out=$(./dist/hello --help)
expect installed_image_runs 63 "$?"
cp dist/hello "$T_TMP/first"
mv "$T_TMP/hello" "$T_TMP/elsewhere" && cd "$T_TMP/elsewhere" || exit 1
make -s clean && make -s >/dev/null 2>&1
if cmp -s dist/hello "$T_TMP/first"; then pass reproducible_image; else
    fail reproducible_image "the two builds differ"
fi
# A target missing from the installation is named.
rm -rf "$prefix/lib/mirage/spt"
out=$("$prefix/bin/mirage" configure -t spt 2>&1)
expect missing_target_status 1 "$?"
expect_match missing_target_message \
    "^mirage: target 'spt' is not installed \(no $prefix/lib/mirage/spt/target\.mk\)$" \
    "$out"
finish
