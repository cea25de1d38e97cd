#!/usr/bin/env bash
# Where the catalogue lives and which way dependencies point: tool/ calls
# no combinator of the catalogue and names no device (the list comes from
# the public headers, as for combinators.sh); every library's catalogue entries include only
# <mirage/config.h> of the project's headers; no file under lib/ includes
# anything from plat/ (host services come through <mirage/hostfs.h> and
# <mirage/hostsock.h>).
. "$(dirname "$0")/../lib.sh"
cd "$ROOT" || exit 1
plan 3

mapfile -t names < <(python3 test/catalogue/examples.py \
    include/mirage/config/*.h | sed -n 's/^combinator //p')
# A combinator's call, or its name as a string (a device's name), outside
# comment lines.
named=$(for n in "${names[@]}"; do
    grep -HnE -- "(^|[^A-Za-z0-9_])$n *\\(|\"$n\"" tool/*.c tool/*.h |
        grep -vE '^[^:]+:[0-9]+: *(\*|/\*|//)'
done)
if [ ${#names[@]} -gt 0 ] && [ -z "$named" ]; then pass tool_names_no_device; else
    fail tool_names_no_device "${named:-no combinators found}"
fi

bad=$(grep -H '^#include' lib/*/config.c | grep -v '<mirage/config\.h>' |
    grep -e '<mirage/' -e '"' || true)
if [ -z "$bad" ]; then pass catalogue_uses_public_edsl_only; else
    fail catalogue_uses_public_edsl_only "$bad"
fi

bad=$(grep -rHn '^#include.*plat/' lib || true)
if [ -z "$bad" ]; then pass lib_includes_nothing_from_plat; else
    fail lib_includes_nothing_from_plat "$bad"
fi
finish
