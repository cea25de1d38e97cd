# hvt: a network device on a tap interface in a network namespace of its
# own: the guest sends an ARP request to the host side, receives the reply
# (through NETV; built without MirageC's extensions, through POLL and
# NET_READ) and sees its MAC from --net-mac.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/kvm.bash"
plan 9
hvt_require_kvm
if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null; then
    skip_rest net_hvt "needs root and ip(8)"
fi
scratch
NS="mirage-hvt-$$"
trap 'ip netns del "$NS" 2>/dev/null; rm -rf "$T_TMP"' EXIT
ip netns add "$NS"
in_ns() { ip netns exec "$NS" "$@"; }
in_ns ip link set lo up
in_ns ip tuntap add dev tap0 mode tap
in_ns ip link set tap0 up
in_ns ip addr add 10.0.0.1/24 dev tap0
truncate -s 4096 "$T_TMP/disk"

OUT=$(MIRAGE_HVT_STATS=1 in_ns timeout 60 "$HVT" --net:service=tap0 \
    --net-mac:service=02:00:00:00:00:2a --block:storage="$T_TMP/disk" \
    "$IMAGES/devices.hvt" net 2>&1)
RC=$?
expect "net guest passes" 0 "$RC"
expect "net guest has the MAC from --net-mac" \
    "net mac 02:00:00:00:00:2a mtu 1500" "$(printf '%s\n' "$OUT" | grep '^net mac')"
expect_match "net guest received the host's ARP reply" \
    '^ok net received an ARP frame$' "$OUT"
expect "no failed checks" "" "$(printf '%s\n' "$OUT" | grep FAILED)"

# The same guest built without MirageC's extensions (no EXT1 note: a
# Solo5-ABI image) is served the Solo5 way, and the image with the note
# moved its frames through NETV.
expect "with the note, frames move through NETV" "0 0" \
    "$(printf '%s\n' "$OUT" | sed -n 's/.*stats: vm_exits.* net_write \([0-9]*\) net_read \([0-9]*\) .*/\1 \2/p')"
expect "the plain guest has no EXT1 note" "yes no" \
    "$(readelf -n "$IMAGES/devices.hvt" 2>/dev/null | grep -q MirageC && echo yes) $(readelf -n "$IMAGES/devices-plain.hvt" 2>/dev/null | grep -q MirageC && echo yes || echo no)"
OUT=$(MIRAGE_HVT_STATS=1 in_ns timeout 60 "$HVT" --net:service=tap0 \
    --block:storage="$T_TMP/disk" "$IMAGES/devices-plain.hvt" net 2>&1)
expect_match "the plain guest receives the ARP reply" \
    '^ok net received an ARP frame$' "$OUT"
expect_match "the plain guest uses NET_WRITE and NET_READ, not NETV" \
    'net_write [1-9][0-9]* net_read [1-9][0-9]* netv 0 ' "$OUT"

in_ns ip link set tap0 mtu 9000
OUT=$(in_ns timeout 60 "$HVT" --net:service=tap0 --block:storage="$T_TMP/disk" \
    "$IMAGES/devices.hvt" net 2>&1)
expect_match "MTU read from the interface, random local MAC" \
    '^net mac [0-9a-f][26ae](:[0-9a-f]{2}){5} mtu 9000$' "$OUT"
finish
