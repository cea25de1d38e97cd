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

# The Linux end of the transfers (test/tcp/peer.py).
PEER_PY="$ROOT/test/tcp/peer.py"

# counters LOG: the last offload counters the unikernel logged, as
# "TX_GSO RX_GSO CSUM_OK BAD_VHDR".
counters() {
    grep -oE 'offload: tx_gso [0-9]+ rx_gso [0-9]+ csum_ok [0-9]+ bad_vhdr [0-9]+' "$1" |
        tail -n 1 | awk '{ print $3, $5, $7, $9 }'
}

# linux_sends NAME LOG BYTES: Linux sends BYTES (and closes first) to the
# unikernel, which checks every byte and logs "sink BYTES bytes ok".
linux_sends() {
    local sent
    sent=$(in_ns timeout 120 python3 "$PEER_PY" send "$NETNS_NET.2" "$3" 2>&1 ||
        echo "(the sender failed or timed out)")
    wait_log "$2" "sink $3 bytes" 100
    expect_match "$1" "sent $3 eof / .*sink $3 bytes ok" \
        "$sent / $(grep -E 'sink|ERROR' "$2" | tr '\n' ' ')"
}

# transfers NAME LOG BYTES: Linux sends BYTES to the unikernel, which
# checks every byte (case NAME_linux_to_mirage), then the unikernel sends
# BYTES and closes first, and Linux checks the SHA-256 (case
# NAME_mirage_to_linux_sha256).
transfers() {
    linux_sends "$1_linux_to_mirage" "$2" "$3"
    expect "$1_mirage_to_linux_sha256" "received $3 match" \
        "$(in_ns timeout 120 python3 "$PEER_PY" receive "$NETNS_NET.2" "$3" 2>&1)"
    wait_log "$2" "source $3 bytes sent" 50
}

# boot_failed NAME LOG CASES: the unikernel of run NAME (CASES cases) did
# not start: NAME_started fails with the end of LOG, the rest is skipped,
# and everything started is stopped.
boot_failed() {
    fail "$1_started" "$(tail -n 5 "$2" 2>&1)"
    skip "$1_transfers" "the unikernel did not start" $(($3 - 1))
    stop
}
