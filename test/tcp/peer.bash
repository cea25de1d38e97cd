# Helpers for the TCP tests against the Linux kernel (sourced, not run by
# test/run): the test unikernel of test/tcp/peer_image.c, booted with
# test/net/netns.bash's start at 10.78.0.2 behind Linux's 10.78.0.1.
. "$(dirname "${BASH_SOURCE[0]}")/../examples/common.bash"
. "$(dirname "${BASH_SOURCE[0]}")/../net/netns.bash"
NETNS_NET=10.78.0
START_READY=ready
START_WAIT=600

# peer_target TARGET NAME CASES: set P (the image) and PEER_ARGS (what
# it needs after its own arguments) for unix, spt, hvt or virtio; when
# the target cannot run here or its image is missing, skip NAME, which
# stands for CASES cases, and return non-zero.
peer_target() {
    target_usable "$1" "$2" "$3" || return 1
    PEER_ARGS=()
    if [ "$1" = unix ]; then
        P="$ROOT/build/test-images/tcp_peer"
    else
        P="$ROOT/build/test-images/tcp_peer.$1"
        PEER_ARGS=(--interface=service)
    fi
    if [ ! -x "$P" ]; then
        skip "$2" "$P is missing (make tests)" "$3"
        return 1
    fi
}

# peer_boot TARGET LOG ARGS...: boot the image at 10.78.0.2 in a new
# namespace (or NS) with ARGS; succeed once it says "ready".
peer_boot() {
    local t=$1 log=$2
    shift 2
    start "$t" "$P" "$log" "${PEER_ARGS[@]}" "$@"
}
