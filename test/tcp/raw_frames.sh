#!/usr/bin/env bash
# Frames written raw onto the tap, against the test unikernel of
# test/tcp/peer.bash on unix, spt and hvt, and what comes back:
#   - from the subnet's broadcast address 10.78.0.255: a ping, a SYN to a
#     listening port, a datagram to a closed UDP port: no answer at all
#     (RFC 1122 3.2.1.3 and 3.2.2: nothing to the broadcast address);
#   - to the listening port 5003: SYN+FIN, and segments with none of SYN,
#     ACK and RST (NULL, FIN, URG, FIN+PSH+URG): no answer (RFC 9293
#     3.10.7.2);
#   - and, to show that answers are seen: a SYN to 5003 gets a SYN-ACK,
#     a NULL segment to the closed port 6666 a RST, a ping a reply.
# The unikernel runs in the allocator's heap-check mode. Needs root and
# /dev/net/tun.
. "$(dirname "$0")/peer.bash"
CASES=11 # per target
plan $((3 * CASES))
netns_require tcp_raw_frames python3 ping
scratch
trap 'stop; rm -rf "$T_TMP"' EXIT

# raw.py MAC: each case on one line, "NAME: what came back" (the
# unikernel's frames within a second: "none", or "icmp-0", "tcp-SA",
# "tcp-R", "udp", "arp" ... joined by commas).
cat >"$T_TMP/raw.py" <<'PY'
import socket, struct, sys, time

US, HIM = "10.78.0.1", "10.78.0.2"
him_mac = bytes.fromhex(sys.argv[1].replace(":", ""))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
s.bind(("tap0", 0))
our_mac = s.getsockname()[4]

def csum(b):
    if len(b) % 2:
        b += b"\0"
    n = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while n >> 16:
        n = (n & 0xffff) + (n >> 16)
    return ~n & 0xffff

def ip(src, proto, payload):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, 64,
                    proto, 0, socket.inet_aton(src), socket.inet_aton(HIM))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return him_mac + our_mac + b"\x08\x00" + h + payload

def tcp(src, dport, flags):
    t = struct.pack("!HHIIBBHHH", 40000 + flags, dport, 1000, 0, 5 << 4,
                    flags, 65535, 0, 0)
    pseudo = socket.inet_aton(src) + socket.inet_aton(HIM) + struct.pack(
        "!BBH", 0, 6, len(t))
    t = t[:16] + struct.pack("!H", csum(pseudo + t)) + t[18:]
    return ip(src, 6, t)

def udp(src, dport):
    u = struct.pack("!HHHH", 40000, dport, 12, 0) + b"abcd"
    return ip(src, 17, u)

def ping(src):
    m = struct.pack("!BBHHH", 8, 0, 0, 7, 1) + b"raw"
    m = m[:2] + struct.pack("!H", csum(m)) + m[4:]
    return ip(src, 1, m)

def answers():
    out, end = [], time.monotonic() + 1
    s.settimeout(0.1)
    while time.monotonic() < end:
        try:
            f = s.recv(2048)
        except socket.timeout:
            continue
        if f[6:12] != him_mac:
            continue
        if f[12:14] == b"\x08\x06":
            out.append("arp")
        elif f[12:14] == b"\x08\x00":
            p = f[14 + 9]
            hl = (f[14] & 15) * 4
            dst = "bcast" if f[0:6] == b"\xff" * 6 else ""
            if p == 1:
                out.append("icmp-%d%s" % (f[14 + hl], dst))
            elif p == 6:
                fl = f[14 + hl + 13]
                out.append("tcp-" + "".join(c for c, b in zip(
                    "FSRPAU", (1, 2, 4, 8, 16, 32)) if fl & b) + dst)
            else:
                out.append("proto-%d%s" % (p, dst))
    return ",".join(out) or "none"

BC = "10.78.0.255"
F, S, R, P, A, U = 1, 2, 4, 8, 16, 32
cases = [
    ("bcast_ping", ping(BC)),
    ("bcast_syn", tcp(BC, 5003, S)),
    ("bcast_udp", udp(BC, 9)),
    ("syn_fin", tcp(US, 5003, S | F)),
    ("null", tcp(US, 5003, 0)),
    ("fin", tcp(US, 5003, F)),
    ("urg", tcp(US, 5003, U)),
    ("fin_psh_urg", tcp(US, 5003, F | P | U)),
    ("syn", tcp(US, 5003, S)),
    ("null_closed", tcp(US, 6666, 0)),
    ("ping", ping(US)),
]
for name, frame in cases:
    s.send(frame)
    print("%s: %s" % (name, answers()), flush=True)
PY

# answer CASE: raw.py's line about CASE, or all it said (an error).
answer() { printf '%s\n' "$out" | grep "^$1:" || printf '%s' "$out"; }

for t in unix spt hvt; do
    peer_target "$t" "tcp_${t}_raw_frames" "$CASES" || continue
    log=$T_TMP/$t.log
    if peer_boot "$t" "$log" --heap-check; then
        # A ping teaches Linux the unikernel's MAC (and the unikernel
        # ours).
        in_ns ping -c 1 -W 10 10.78.0.2 >/dev/null
        mac=$(in_ns ip neigh show 10.78.0.2 |
            awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }')
        out=$(in_ns timeout 60 python3 "$T_TMP/raw.py" "$mac" 2>&1)
    else
        out="the unikernel did not start: $(tail -n 3 "$log")"
    fi
    for c in bcast_ping bcast_syn bcast_udp syn_fin null fin urg fin_psh_urg; do
        expect "tcp_${t}_raw_${c}_unanswered" "$c: none" "$(answer $c)"
    done
    expect "tcp_${t}_raw_syn_answered" "syn: tcp-SA" "$(answer syn)"
    expect "tcp_${t}_raw_null_to_closed_port_reset" "null_closed: tcp-RA" \
        "$(answer null_closed)"
    expect "tcp_${t}_raw_ping_answered" "ping: icmp-0" "$(answer ping)"
    stop
done
finish
