# Shared by the spt tests (sourced after test/lib.sh; not a test itself):
# the tender and the test images, and a check that they are built.
SPT="$ROOT/build/bin/mirage-spt"
IMG="$ROOT/build/test-images"

# spt_require NAME FILE...: unless the tender and every FILE exist, fail
# NAME (pointing at `make tests`) and finish.
spt_require() {
    local name=$1 f
    shift
    for f in "$SPT" "$@"; do
        [ -e "$f" ] || { fail "$name" "missing $f (run make tests)"; finish; }
    done
}
