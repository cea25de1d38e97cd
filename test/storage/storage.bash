# Helpers for the storage example tests (sourced, not run by test/run).
# build_example EXAMPLE TARGET [CONFIGURE ARGS...]: configure and build
# EXAMPLE for TARGET in a fresh scratch copy (and cd there), the output in
# build.log; non-zero when either step fails.
. "$(dirname "${BASH_SOURCE[0]}")/../examples/common.bash"

build_example() {
    local ex=$1 t=$2
    shift 2
    use_example "$ex"
    "$MIRAGE" configure -t "$t" "$@" >build.log 2>&1 && make >>build.log 2>&1
}

# same_everywhere NAME OUTPUTS...: one case, NAME: every target that ran
# printed the same (OUTPUTS, one per target); skipped when fewer than two
# ran.
same_everywhere() {
    local name=$1 first=$2 o
    shift
    if [ $# -lt 2 ]; then
        skip "$name" "fewer than two targets ran"
        return
    fi
    for o in "$@"; do
        if [ "$o" != "$first" ]; then
            fail "$name" "$(diff <(printf '%s\n' "$first") <(printf '%s\n' "$o") | head -n 5)"
            return
        fi
    done
    pass "$name"
}

# boot TARGET IMAGE DEVICE=FILE|"" [ARGS...]: run the image, attaching the
# block device on the Solo5-style targets (on unix the image opens the
# file itself); the output without timestamps, and the image's status.
boot() {
    local t=$1 img=$2 dev=$3 run
    shift 3
    run=$(target_runner "$t")
    if [ "$t" = unix ] || [ -z "$dev" ]; then
        $run "$img" "$@" 2>&1
    else
        $run --block:"$dev" "$img" "$@" 2>&1
    fi | sed -E 's/^[0-9T:-]+-00:00: //'
    return "${PIPESTATUS[0]}"
}
