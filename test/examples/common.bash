# Helpers for the end-to-end example tests (sourced, not run by test/run).
# for_targets EXAMPLE FN: for each target the tree has installed (unix,
# spt, hvt), configure and build EXAMPLE for it in a scratch copy, then
# call FN TARGET RUNNER where RUNNER is the command that boots an image
# (the tender, under a time limit so a hung guest fails instead of
# blocking the suite). Targets that are not installed, or
# that this machine cannot run, are skipped with a note (no PASS).
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

target_runner() {
    case $1 in
    unix) echo "timeout 60" ;;
    spt) echo "timeout 60 $ROOT/build/bin/mirage-spt" ;;
    hvt) echo "timeout 120 $ROOT/build/bin/mirage-hvt" ;;
    esac
}

target_usable() {
    [ -f "$ROOT/build/lib/mirage/$1/target.mk" ] || {
        echo "note: target $1 is not installed: skipped"
        return 1
    }
    if [ "$1" = hvt ] && ! [ -r /dev/kvm -a -w /dev/kvm ]; then
        echo "note: /dev/kvm is not usable: hvt skipped"
        return 1
    fi
    if [ "$1" != unix ] && ! [ -x "$ROOT/build/bin/mirage-$1" ]; then
        echo "note: the $1 tender is not built: skipped"
        return 1
    fi
}

# image EXAMPLE TARGET: the image's path after a build.
image() {
    if [ "$2" = unix ]; then echo "dist/$1"; else echo "dist/$1.$2"; fi
}

for_targets() {
    local ex=$1 fn=$2 t out
    for t in unix spt hvt; do
        target_usable "$t" || continue
        use_example "$ex"
        if ! out=$("$MIRAGE" configure -t "$t" 2>&1 && make 2>&1); then
            fail "${ex}_${t}_build" "$(printf '%s' "$out" | tail -n 15)"
            continue
        fi
        pass "${ex}_${t}_build"
        "$fn" "$t" "$(target_runner "$t")"
    done
}
