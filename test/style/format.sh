#!/usr/bin/env bash
# Every C source and header is formatted as .clang-format says.
. "$(dirname "$0")/../lib.sh"
plan 1
cd "$ROOT" || exit 1
bad=$(git ls-files -co --exclude-standard '*.c' '*.h' | while read -r f; do
    [ -f "$f" ] || continue
    clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || echo "$f"
done)
if [ -z "$bad" ]; then pass format_clean; else
    fail format_clean "clang-format would change: $(echo $bad)"
fi
finish
