#!/usr/bin/env bash
# The differential test of the request parser (build/test/http_diff,
# test/unit/http_diff_test.c) needs Debian's libhttp-parser-dev as its
# oracle; without it the test is not built, and this says so.
. "$(dirname "$0")/../lib.sh"
plan 1
if [ ! -f /usr/include/http_parser.h ]; then
    skip http_diff "libhttp-parser-dev is not installed (scripts/install-deps.sh)"
elif [ ! -x "$ROOT/build/test/http_diff" ]; then
    fail http_diff_built "build/test/http_diff is missing (make tests)"
else
    pass http_diff_built
fi
finish
