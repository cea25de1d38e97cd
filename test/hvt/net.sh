# hvt: a network device on a tap interface in a network namespace of its
# own: the guest sends an ARP request to the host side, receives the reply
# through POLL and NET_READ, and sees its MAC from --net-mac.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/kvm.bash"
plan 5
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

OUT=$(in_ns timeout 60 "$HVT" --net:service=tap0 \
    --net-mac:service=02:00:00:00:00:2a --block:storage="$T_TMP/disk" \
    "$IMAGES/devices.hvt" net 2>&1)
RC=$?
expect "net guest passes" 0 "$RC"
expect "net guest has the MAC from --net-mac" \
    "net mac 02:00:00:00:00:2a mtu 1500" "$(printf '%s\n' "$OUT" | grep '^net mac')"
expect_match "net guest received the host's ARP reply" \
    '^ok net received an ARP frame$' "$OUT"
expect "no failed checks" "" "$(printf '%s\n' "$OUT" | grep FAILED)"

in_ns ip link set tap0 mtu 9000
OUT=$(in_ns timeout 60 "$HVT" --net:service=tap0 --block:storage="$T_TMP/disk" \
    "$IMAGES/devices.hvt" net 2>&1)
expect_match "MTU read from the interface, random local MAC" \
    '^net mac [0-9a-f][26ae](:[0-9a-f]{2}){5} mtu 9000$' "$OUT"
finish
