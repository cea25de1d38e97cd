# Shared by test/hvt/vhdr.sh and test/spt/vhdr.sh (sourced after
# test/lib.sh with T_TMP made; not a test itself): running a tender's
# "vhdr" test guest with "service" a tap in a namespace of its own
# (10.0.0.1 on the Linux side, IPv6 off so that only the test's frames
# cross it) and "extra" a socket pair, and test/tender/vhdr_peer.py on
# the tap once the guest says "ready".
SOCKRUN="python3 $ROOT/test/tender/sockrun.py"
VHDR_NS=mirage-vhdr-$$
VHDR_MAC=02:00:00:00:00:02
trap 'ip netns del "$VHDR_NS" 2>/dev/null; rm -rf "$T_TMP"' EXIT
ip netns add "$VHDR_NS" &&
    ip netns exec "$VHDR_NS" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 &&
    ip -n "$VHDR_NS" tuntap add dev tap0 mode tap &&
    ip -n "$VHDR_NS" addr add 10.0.0.1/24 dev tap0 &&
    ip -n "$VHDR_NS" link set tap0 up || VHDR_NS=

# vhdr_run PEER TENDER IMAGE ARGS...: the guest's and the peer's output
# (PEER: vhdr_peer.py's mode and its arguments, "-" for no peer); returns
# the tender's status.
vhdr_run() {
    local peer=$1 tender=$2 image=$3
    shift 3
    local when=()
    [ "$peer" = - ] ||
        when=(--when ready --run "python3 $ROOT/test/tender/vhdr_peer.py tap0 $VHDR_MAC $peer")
    ip netns exec "$VHDR_NS" $SOCKRUN --net extra "${when[@]}" -- "$tender" \
        --mem=16 --net:service=tap0 --net-mac:service=$VHDR_MAC \
        --net:extra=@extra "$image" "$@"
}

# vhdr_counts OUT: "N ok, P peer ok", then the FAILED lines.
vhdr_counts() {
    printf '%s ok, %s peer ok' "$(grep -c '^ok ' <<<"$1")" \
        "$(grep -c '^peer ok ' <<<"$1")"
    grep 'FAILED' <<<"$1" | sed 's/^/ /'
}

# vhdr_exchanges NAME TENDER IMAGE: the exchange with every offload
# granted (the super-frames both ways), with none asked for on the same
# tap (bare frames, the header added and dropped below the guest), and
# the image as Solo5's tenders see it (its EXT1 note renamed: nothing
# granted, the plain path).
vhdr_exchanges() {
    local out
    out=$(vhdr_run gso "$2" "$3" exchange 7 7)
    expect "${1}_granted_status" 0 "$?"
    expect_match "${1}_granted_offloads" '^offloads 7$' "$out"
    expect "${1}_granted_super_frames" "6 ok, 4 peer ok" "$(vhdr_counts "$out")"
    out=$(vhdr_run plain "$2" "$3" exchange 0 0)
    expect "${1}_bare_on_vhdr_tap" "0 5 ok, 3 peer ok" "$? $(vhdr_counts "$out")"
    python3 "$ROOT/test/tender/unext.py" "$3" "$T_TMP/vhdr-plain"
    out=$(vhdr_run plain "$2" "$T_TMP/vhdr-plain" exchange 7 0)
    expect "${1}_plain_abi_image" "0 5 ok, 3 peer ok" "$? $(vhdr_counts "$out")"
}
