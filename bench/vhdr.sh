#!/usr/bin/env bash
# The virtio-net header on hvt and spt (MIRAGE_EXT_NET_VHDR) at the
# platform interface: the "vhdr" test guest (test/hvt/guests/vhdr.c,
# test/spt/guests/vhdr.c) sends VHDR_MIB (default 4) MiB of TCP payload
# to Linux over a tap, then receives as much from
# test/tender/vhdr_peer.py, in three set-ups measured in the same run:
#   vhdr   every offload: 64000-byte super-frames both ways
#   bare   no offload asked for, on the same tap (the header added and
#          dropped below the guest)
#   plain  the image as Solo5's tenders see it (its EXT1 note renamed:
#          MTU-sized frames, and on hvt NETV's areas of the plain path),
#          the reference
# For each: the time, and on hvt the VM exits (MIRAGE_HVT_STATS) per MiB
# moved, whole runs (about 10 exits of boot and exit included). The TCP
# stack itself is not involved. Needs root, /dev/net/tun (and /dev/kvm
# for hvt).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MIB=${VHDR_MIB:-4}
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
    echo "vhdr: needs root and /dev/net/tun: skipped"
    exit 0
fi
make -C "$ROOT" -s build/bin/mirage-hvt build/bin/mirage-spt \
    hvt-test-images spt-test-images >/dev/null
NS=mirage-bench-vhdr-$$
TMP=$(mktemp -d /tmp/mirage-bench-vhdr.XXXXXX)
trap 'ip netns del "$NS" 2>/dev/null; rm -rf "$TMP"' EXIT
ip netns add "$NS" &&
    ip netns exec "$NS" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 &&
    ip -n "$NS" tuntap add dev tap0 mode tap &&
    ip -n "$NS" addr add 10.0.0.1/24 dev tap0 &&
    ip -n "$NS" link set tap0 up txqueuelen 10000 || exit 1
MAC=02:00:00:00:00:02

# run TARGET IMAGE DIRECTION WANTED: one transfer; prints "MS EXITS BYTES".
run() {
    local when=() peer=blast-plain
    [ "$4" = 7 ] && peer=blast-gso
    [ "$3" = receive ] && when=(--when ready --run
        "python3 $ROOT/test/tender/vhdr_peer.py tap0 $MAC $peer $MIB")
    local t0 t1 out
    t0=$(date +%s%N)
    out=$(MIRAGE_HVT_STATS=1 ip netns exec "$NS" python3 \
        "$ROOT/test/tender/sockrun.py" --limit 600 --net extra "${when[@]}" -- \
        "$ROOT/build/bin/mirage-$1" --mem=16 --net:service=tap0 \
        --net-mac:service=$MAC --net:extra=@extra "$2" "$3" "$4" "$MIB")
    t1=$(date +%s%N)
    local exits
    exits=$(sed -n 's/.*stats: vm_exits \([0-9]*\) .*/\1/p' <<<"$out")
    printf '%s %s %s\n' $(((t1 - t0) / 1000000)) "${exits:--}" \
        "$(sed -n 's/^\(sent\|received\) \([0-9]*\) bytes.*/\2/p' <<<"$out")"
}

for t in hvt spt; do
    [ "$t" = hvt ] && [ ! -w /dev/kvm ] && continue
    img=$ROOT/build/test-images/vhdr.$t
    python3 "$ROOT/test/tender/unext.py" "$img" "$TMP/plain.$t"
    for dir in send receive; do
        read -r ref_ms _ _ <<<"$(run "$t" "$TMP/plain.$t" "$dir" 7)"
        for setup in plain vhdr bare; do
            case $setup in
            plain) res=$(run "$t" "$TMP/plain.$t" "$dir" 7) ;;
            vhdr) res=$(run "$t" "$img" "$dir" 7) ;;
            bare) res=$(run "$t" "$img" "$dir" 0) ;;
            esac
            read -r ms exits bytes <<<"$res"
            line=$(printf '%-4s %-7s %-6s %5s ms (plain: %s ms, x%s)' "$t" \
                "$dir" "$setup" "$ms" "$ref_ms" \
                "$(awk "BEGIN{printf \"%.2f\", $ref_ms / ($ms + 0.001)}")")
            if [ "$exits" != - ] && [ "${bytes:-0}" -gt 0 ]; then
                line="$line, $exits VM exits: $(awk "BEGIN{printf \"%.1f\", \
                    $exits * 1048576 / $bytes}") per MiB"
            fi
            echo "$line, ${bytes:-0} bytes"
        done
    done
done
