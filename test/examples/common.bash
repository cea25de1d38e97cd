# Helpers for the end-to-end example tests (sourced, not run by test/run).
# for_targets EXAMPLE FN CASES: declares the plan for, then for each
# target (unix, spt, hvt, virtio: QEMU microvm under TCG, see
# tender/virtio/mirage-virtio) configures and builds EXAMPLE in a scratch copy
# (one case) and calls FN TARGET RUNNER, which reports CASES cases;
# RUNNER is the command that boots an image (the tender, under a time
# limit so a hung guest fails instead of blocking the suite). A target
# that is not installed, or that this machine cannot run, is skipped.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

target_runner() {
    case $1 in
    unix) echo "timeout 60" ;;
    spt) echo "timeout 60 $ROOT/build/bin/mirage-spt" ;;
    hvt) echo "timeout 120 $ROOT/build/bin/mirage-hvt" ;;
    virtio) echo "timeout 120 $ROOT/build/bin/mirage-virtio" ;;
    esac
}

# target_usable TARGET NAME CASES: whether this machine can build and run
# images for TARGET; when it cannot, skips NAME, which stands for CASES
# cases, with the reason.
target_usable() {
    local why=
    if ! [ -f "$ROOT/build/lib/mirage/$1/target.mk" ]; then
        why="target $1 is not installed"
    elif [ "$1" = hvt ] && ! [ -r /dev/kvm -a -w /dev/kvm ]; then
        why="/dev/kvm is not usable"
    elif [ "$1" = virtio ] && ! command -v qemu-system-x86_64 >/dev/null; then
        why="qemu-system-x86_64 is not installed"
    elif [ "$1" != unix ] && ! [ -x "$ROOT/build/bin/mirage-$1" ]; then
        why="the $1 tender is not built"
    fi
    [ -z "$why" ] && return 0
    skip "$2" "$why" "$3"
    return 1
}

# image EXAMPLE TARGET: the image's path after a build.
image() {
    if [ "$2" = unix ]; then echo "dist/$1"; else echo "dist/$1.$2"; fi
}

for_targets() {
    local ex=$1 fn=$2 cases=$(($3 + 1)) t out
    plan $((4 * cases))
    for t in unix spt hvt virtio; do
        target_usable "$t" "${ex}_${t}" "$cases" || continue
        use_example "$ex"
        if ! out=$("$MIRAGE" configure -t "$t" 2>&1 && make 2>&1); then
            fail "${ex}_${t}_build" "$(printf '%s' "$out" | tail -n 15)"
            continue
        fi
        pass "${ex}_${t}_build"
        "$fn" "$t" "$(target_runner "$t")"
    done
}

# hvt_cannot LOG IMAGE: when the guest stopped at an instruction KVM could not
# emulate (this machine's nested KVM cannot run BearSSL's SSE code,
# DESIGN.md §11), print the function of IMAGE it stopped in and succeed.
hvt_cannot() {
    local rip
    rip=$(sed -n 's/.*KVM internal error.*(rip \(0x[0-9a-f]*\)).*/\1/p' "$1")
    [ -n "$rip" ] || return 1
    echo "$(addr2line -f -e "$2" "$rip" | head -1) at $rip"
}
