# Sourced by the tender tests: the tenders that are built, as
# "NAME TARGET" lines (TARGET: the Solo5 ABI target number), the plan and
# a check that the tests can run, and a scratch copy of a good two-device
# image (network "service", block "storage") made valid for a given
# tender.
IMG="$ROOT/build/test-images"
BASE_IMAGE="$IMG/devices.spt"
tenders() {
    [ -x "$ROOT/build/bin/mirage-spt" ] && echo "mirage-spt 2"
    [ -x "$ROOT/build/bin/mirage-hvt" ] && echo "mirage-hvt 1"
}
# tenders_plan CASES [MORE]: plan CASES for each tender and MORE besides,
# and skip the cases of a tender that is not built.
tenders_plan() {
    local t
    plan $((2 * $1 + ${2:-0}))
    for t in mirage-spt mirage-hvt; do
        [ -x "$ROOT/build/bin/$t" ] || skip "${t}_$(basename "$0" .sh)" "$t is not built" "$1"
    done
}
# tenders_require: unless the base image and a tender are built, fail
# and finish.
tenders_require() {
    [ -e "$BASE_IMAGE" ] || { fail tender_images_built "missing $BASE_IMAGE (run make tests)"; finish; }
    [ -n "$(tenders)" ] || { fail tender_built "no tender in build/bin"; finish; }
}
# make_bad_images TARGET DIR: write the broken variants of BASE_IMAGE
# (and DIR/good) for that target; prints "NAME<TAB>REGEX" lines.
make_bad_images() {
    mkdir -p "$2"
    python3 "$ROOT/test/tender/mkbad.py" "$BASE_IMAGE" "$2" "$1"
}
