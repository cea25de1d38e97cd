#!/usr/bin/env bash
# Writes the committed seed corpora, fuzz/corpus/TARGET/, one small valid
# input of each kind the target parses: Ethernet, ARP, IPv4 (fragments
# too), ICMP, UDP, IPv6 (extension headers, fragments) and ICMPv6 (ND,
# MLD, errors) records for the network targets; a SYN with every
# option, SACK data and an engine session for TCP; DHCP replies and DNS
# answers for their parsers; FAT12 and FAT32 images
# made by mkfs.fat and mcopy; GNU, pax and ustar archives made by tar; the
# spt test images (stripped) and their manifests for the tenders; command
# lines and hypercall records for the trust boundary's targets; HTTP
# requests, responses, chunked bodies and header sections; TLS
# handshakes, records, certificates and keys (fuzz/tls_seeds.c); boot
# command lines, ACPI packages and hostile-device scripts for virtio. Run from
# the top of the tree after `make tests` (the images come from
# build/test-images); the output does not depend on the time, so running
# it again changes nothing unless this script or those images changed.
set -eu
cd "$(dirname "$0")/.."
out=fuzz/corpus
img=build/test-images
for f in noop devices net block; do
    [ -f "$img/$f.spt" ] || { echo "seeds: missing $img/$f.spt (run make tests)" >&2; exit 1; }
done
[ -x build/fuzz-tools/tls_seeds ] || { echo "seeds: missing build/fuzz-tools/tls_seeds (run make tests)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out"
mkdir -p "$out"

# Records for the network and TCP targets (see fuzz/net_stack.h and
# fuzz/tcp_input.c for their formats).
python3 - "$out" <<'PY'
import os, struct, sys
d = sys.argv[1]
def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
peer, us = bytes([10, 0, 0, 99]), bytes([10, 0, 0, 3])
def ip(proto, payload, ident=1, frag=0):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, frag,
                    64, proto, 0, peer, us)
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload
def udp(port, data):
    u = struct.pack("!HHHH", 7, port, 8 + len(data), 0) + data
    ph = peer + us + struct.pack("!BBH", 0, 17, len(u))
    return u[:6] + struct.pack("!H", csum(ph + u) or 0xffff) + u[8:]
def icmp(t, code, body):
    m = struct.pack("!BBHI", t, code, 0, 0) + body
    return m[:2] + struct.pack("!H", csum(m)) + m[4:]
def seg(flags, opts, data=b"", seq=1000, ack=0):
    opts += b"\0" * (-len(opts) % 4)
    return struct.pack(">HHIIBBHHH", 40000, 80, seq, ack,
                       (20 + len(opts)) // 4 << 4, flags, 65535, 0, 0) + opts + data
def write(target, name, data):
    os.makedirs(os.path.join(d, target), exist_ok=True)
    with open(os.path.join(d, target, name), "wb") as f:
        f.write(data)
def records(recs):
    return b"".join(struct.pack("!H", len(r)) + r for r in recs)

arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x800, 6, 4, 1, b"\2\0\0\0\0\x63",
                  peer, b"\0" * 6, us)
eth = b"\2\0\0\0\0\3" + b"\2\0\0\0\0\x63"
dgram = udp(9, b"z" * 2000)
frags = [ip(17, dgram[:1480], 5, 0x2000), ip(17, dgram[1480:], 5, 185)]
net = {
    "net_ethernet": {"arp": [eth + b"\x08\x06" + arp],
                     "udp": [eth + b"\x08\x00" + ip(17, udp(7, b"hi"))]},
    "net_arp": {"request": [arp]},
    "net_ipv4": {"udp": [ip(17, udp(9, b"hello"))],
                 "ping": [ip(1, icmp(8, 0, b"ping"))],
                 "fragments": frags},
    "net_icmp": {"echo": [icmp(8, 0, b"abcdefgh")],
                 "unreachable": [icmp(3, 3, ip(17, udp(53, b"q"))[:28])]},
    "net_udp": {"echo": [udp(7, b"hello")], "closed": [udp(53, b"closed")]},
}
# IPv6 (fuzz/net_ipv6.c, fuzz/net_icmpv6.c): a selector byte picks the
# addresses (0: peer 2001:db8::63 to us 2001:db8::3; 1: to all-nodes;
# 2: to our solicited-node group; 4 added: from fe80::63).
p6 = bytes.fromhex("20010db8000000000000000000000063")
ll6 = bytes.fromhex("fe800000000000000000000000000063")
us6 = bytes.fromhex("20010db8000000000000000000000003")
def udp6(port, data):
    u = struct.pack("!HHHH", 7, port, 8 + len(data), 0) + data
    ph = p6 + us6 + struct.pack("!IxxxB", len(u), 17)
    return u[:6] + struct.pack("!H", csum(ph + u) or 0xffff) + u[8:]
def icmp6(t, code, body):
    return struct.pack("!BBH", t, code, 0) + body  # the target fixes the sum
def frag6(nh, off, more, ident, data):
    return struct.pack("!BBHI", nh, 0, off | more, ident) + data
big6 = udp6(9, b"y" * 2000)
ra = (struct.pack("!BBHII", 64, 0, 1800, 0, 0) + b"\x01\x01\2\0\0\0\0\x63"
      + struct.pack("!BBxxI", 5, 1, 1400)
      + struct.pack("!BBBBIII16s", 3, 4, 64, 0xc0, 3600, 1800, 0,
                    bytes.fromhex("20010db8000100000000000000000000")))
ns = struct.pack("!I16s", 0, us6) + b"\x01\x01\2\0\0\0\0\x63"
na = struct.pack("!I16s", 0x60000000, p6) + b"\x02\x01\2\0\0\0\0\x63"
quote = struct.pack("!IHBB16s16s", 0x60000000, 16, 17, 64, us6, p6) + udp6(53, b"q")
net["net_ipv6"] = {
    "udp": [bytes([0, 17]) + udp6(9, b"hello")],
    "chain": [bytes([0, 0]) + bytes([60, 0, 1, 4, 0, 0, 0, 0])
              + bytes([43, 0, 1, 4, 0, 0, 0, 0]) + bytes([17, 0, 0, 0, 0, 0, 0, 0])
              + udp6(7, b"ext")],
    "fragments": [bytes([0, 44]) + frag6(17, 0, 1, 9, big6[:1232]),
                  bytes([0, 44]) + frag6(17, 1232, 0, 9, big6[1232:])],
    "multicast": [bytes([1, 17]) + udp6(9, b"all")],
}
net["net_icmpv6"] = {
    "echo": [bytes([0]) + icmp6(128, 0, b"\0\1\0\1abcdefgh")],
    "ns": [bytes([2]) + icmp6(135, 0, ns)],
    "na": [bytes([1]) + icmp6(136, 0, na)],
    "ra": [bytes([5]) + icmp6(134, 0, ra)],
    "too_big": [bytes([0]) + icmp6(2, 0, struct.pack("!I", 1300) + quote)],
    "unreachable": [bytes([0]) + icmp6(1, 4, b"\0" * 4 + quote)],
    "mld_query": [bytes([5]) + icmp6(130, 0, b"\0" * 20)],
    "redirect": [bytes([4]) + icmp6(137, 0, b"\0" * 4 + p6 + p6)],
}
for target, seeds in net.items():
    for name, recs in seeds.items():
        write(target, name, records(recs))
    write(target, "all", records([r for recs in seeds.values() for r in recs]))

syn_opts = (b"\x02\x04\x05\xb4" + b"\x04\x02\x08\x0a" + struct.pack(">II", 7, 0)
            + b"\x01\x03\x03\x07")
syn = seg(0x02, syn_opts)
data = seg(0x18, b"\x01\x01\x08\x0a" + struct.pack(">II", 8, 9) + b"\x01\x01\x05\x12"
           + struct.pack(">IIII", 3000, 4000, 5000, 6000), b"hello", seq=1001, ack=1)
write("tcp_segment", "syn", syn)
write("tcp_segment", "data", data)
# Engine sessions (fuzz/tcp_input.c's records): one connection through
# data, a raw segment and both closes; 200 at once past the SYN queue
# (cookies), all sending, reading and closing together; 50 closing under
# zero windows and clock jumps; an active open.
def rec(*b): return bytes(b)
raw_data = rec(0, 0) + struct.pack(">H", len(data)) + data
write("tcp_input", "session",
      rec(2, 0) + rec(3, 0, 0, 0) + rec(3, 0, 0, 5 << 3 | 1) + rec(4, 0, 0, 2)
      + rec(4, 0, 0, 8) + rec(1, 5) + rec(3, 0, 0, 0) + raw_data
      + rec(3, 0, 0, 2) + rec(4, 0, 0, 7) + rec(1, 255))
write("tcp_input", "many",
      rec(2, 199) + rec(3, 0, 99, 0) + rec(1, 3) + rec(4, 0, 99, 8)
      + rec(1, 10) + rec(3, 0, 99, 0) + rec(3, 0, 99, 3 << 3 | 1)
      + rec(4, 0, 99, 2) + rec(4, 0, 99, 7) + rec(1, 200) + rec(1, 130))
write("tcp_input", "closing",
      rec(2, 49) + rec(3, 0, 24, 0) + rec(4, 0, 24, 9) + rec(3, 0, 24, 4)
      + rec(4, 0, 24, 7) + rec(1, 100) + rec(3, 0, 12, 2) + rec(1, 140)
      + rec(3, 0, 24, 0) + rec(1, 200) + rec(1, 255))
# Keepalive asked of a connection reset meanwhile (once armed a timer
# the engine never ran).
write("tcp_input", "keepalive_closed", bytes.fromhex(
    "02310300180004001809030031030018000400050018090300180404001807016403000c02018c0700180001c8"
    "01ff000000000000070080000501030000000300000004000008031403040000020c0400000703002002010201"))
write("tcp_input", "active",
      rec(5, 1) + rec(3, 0, 0, 0) + rec(3, 0, 0, 0) + rec(4, 0, 0, 8)
      + rec(1, 20) + rec(3, 0, 0, 1) + rec(4, 0, 0, 2) + rec(4, 0, 0, 7)
      + rec(3, 0, 0, 2) + rec(1, 255))

# DHCP replies: an OFFER with every option the client reads, an ACK using
# option overload (file and sname), one with long (repeated) options.
def dhcp(opts, file=b"", sname=b""):
    fixed = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 2, 1, 6, 0, 0x1234, 0,
                        0x8000, bytes(4), bytes([10, 0, 0, 50]), bytes(4),
                        bytes(4), bytes([2, 0, 0, 0, 0, 1]) + bytes(10),
                        sname.ljust(64, b"\0"), file.ljust(128, b"\0"))
    return fixed + bytes([99, 130, 83, 99]) + opts + b"\xff"
def opt(code, val):
    return bytes([code, len(val)]) + val
a4 = lambda *x: bytes(x)
write("dhcp_parse", "offer", dhcp(
    opt(53, b"\2") + opt(54, a4(10, 0, 0, 1)) + opt(51, struct.pack("!I", 20))
    + opt(1, a4(255, 255, 255, 0)) + opt(3, a4(10, 0, 0, 1))
    + opt(6, a4(10, 0, 0, 1) + a4(10, 0, 0, 2)) + opt(26, b"\5\xdc")
    + opt(12, b"uni") + opt(15, b"example.org") + opt(58, struct.pack("!I", 10))
    + opt(59, struct.pack("!I", 17)) + opt(56, b"hello")))
write("dhcp_parse", "overload", dhcp(
    opt(53, b"\5") + opt(52, b"\3"),
    file=opt(54, a4(10, 0, 0, 1)) + opt(51, b"\0\0\0\x78") + b"\xff",
    sname=opt(6, a4(10, 0, 0, 9)) + b"\xff"))
write("dhcp_parse", "long", dhcp(
    opt(53, b"\5") + opt(15, b"a" * 200) + opt(15, b"b" * 100)
    + opt(6, a4(10, 0, 0, 1)) + opt(6, a4(10, 0, 0, 2))))

# DNS answers: a CNAME chain with compressed names, an NXDOMAIN with an
# SOA, MX, SRV, TXT and AAAA records.
def dname(s):
    return b"".join(bytes([len(l)]) + l.encode() for l in s.split(".") if l) + b"\0"
def dns(qname, qtype, rcode, an, ns=b"", nan=0, nns=0):
    h = struct.pack("!HHHHHH", 7, 0x8180 | rcode, 1, nan, nns, 0)
    return h + dname(qname) + struct.pack("!HH", qtype, 1) + an + ns
def rr(owner, t, data, ttl=60):
    return owner + struct.pack("!HHIH", t, 1, ttl, len(data)) + data
q = b"\xc0\x0c"
write("dns_message", "cname", dns(
    "www.example.org", 1, 0,
    rr(q, 5, b"\3web\xc0\x10") + rr(b"\3web\xc0\x10", 1, a4(192, 0, 2, 1)), nan=2))
write("dns_message", "nxdomain", dns(
    "gone.example.org", 1, 3, b"",
    rr(b"\xc0\x11", 6, dname("ns.example.org") + dname("admin.example.org")
       + struct.pack("!IIIII", 1, 2, 3, 4, 300)), nns=1))
write("dns_message", "types", dns(
    "example.org", 15, 0,
    rr(q, 15, b"\0\x0a\4mail\xc0\x0c")
    + rr(q, 33, b"\0\1\0\2\x13\xc4" + dname("sip.example.org"))
    + rr(q, 16, b"\5hello\5world") + rr(q, 28, bytes(16)), nan=4))

# HTTP: requests with every framing and the smuggling patterns,
# responses of each kind, chunked bodies (the first byte is the feeding
# step), header sections with lists, dates and ranges.
http = {
    "http_request": {
        "get": b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "length": b"POST /p?q=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc",
        "chunked": b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                   b"3\r\nabc\r\n0\r\n\r\n",
        "smuggle": b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n"
                   b"Transfer-Encoding: chunked\r\n\r\n",
        "absolute": b"GET http://a:80/x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "options": b"OPTIONS * HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n",
        "connect": b"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n",
        "fold": b"GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n",
    },
    "http_response": {
        "length": b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
        "chunked": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
        "redirect": b"HTTP/1.0 302 Found\r\nLocation: /x\r\n\r\n",
        "not_modified": b"HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n",
        "continue": b"HTTP/1.1 100 Continue\r\n\r\n",
    },
    "http_chunked": {
        "one": b"\x01" + b"5\r\nhello\r\n0\r\n\r\n",
        "extensions": b"\x05" + b"3;a=b;c=\"d e\"\r\nabc\r\n10\r\n0123456789abcdef\r\n"
                      b"0\r\nT: v\r\n\r\n",
        "empty": b"\x10" + b"000\r\n\r\n",
    },
    "http_headers": {
        "lists": b"Host: a\r\nConnection: keep-alive, Upgrade\r\n\r\n",
        "imf_date": b"Host: a\r\nIf-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n",
        "old_dates": b"Host: a\r\nDate: Sunday, 06-Nov-94 08:49:37 GMT\r\n"
                     b"X: Sun Nov  6 08:49:37 1994\r\n\r\n",
        "ranges": b"Host: a\r\nRange: bytes=0-9,-5\r\nIf-None-Match: \"a\", W/\"b\"\r\n\r\n",
    },
}
for target, items in http.items():
    for name, data in items.items():
        write(target, name, data)
PY

# A tree with a long name, nested directories and a 3000-byte file, its
# times fixed.
tree=$tmp/tree
mkdir -p "$tree/a directory with a long name/sub"
echo hello >"$tree/short.txt"
head -c 3000 /dev/zero | tr '\0' x >"$tree/a directory with a long name/Some File.txt"
echo deep >"$tree/a directory with a long name/sub/$(printf 'n%.0s' $(seq 120))"
find "$tree" -exec touch -h -d '2020-01-01 00:00:00 UTC' {} +

# FAT: two FAT12 images with the tree, and an empty FAT32 (mtools takes
# the FAT type from the cluster count, so it cannot write to a FAT32 this
# small; the target writes to it).
export MTOOLS_SKIP_CHECK=1
mkdir -p "$out/fat_image"
for seed in "fat12-48k:-F 12 -r 16:48:copy" "fat12-64k:-F 12 -r 64:64:copy" \
    "fat32-260k:-F 32 -s 1 -R 2 -f 1:260:empty"; do
    IFS=: read -r name opts kib fill <<<"$seed"
    f=$out/fat_image/$name.img
    # shellcheck disable=SC2086 # opts are several options
    mkfs.fat --invariant -C $opts "$f" "$kib" >/dev/null 2>"$tmp/mkfs.err" ||
        { cat "$tmp/mkfs.err" >&2; exit 1; }
    if [ "$fill" = copy ]; then
        (cd "$tree" && mcopy -m -s -i "$OLDPWD/$f" ./* ::/)
    fi
done

# tar: the tree in the GNU and pax formats, and what ustar can hold (not
# the 120-byte name), in 512-byte records.
mkdir -p "$out/kv_tar"
tarc() {
    tar --format="$1" -b 1 --sort=name --owner=0 --group=0 --numeric-owner \
        --mtime='2020-01-01 00:00:00 UTC' -cf "$out/kv_tar/$1.tar" -C "$tree" "${@:2}"
}
tarc gnu .
tarc posix --pax-option=delete=atime,delete=ctime .
tarc ustar short.txt "a directory with a long name/Some File.txt"

# The tenders: stripped spt images (and an hvt one, for the wrong-target
# path), and the MFT1 manifests of the spt images.
mkdir -p "$out/tender_elf" "$out/tender_manifest"
for f in noop devices net; do
    strip -o "$out/tender_elf/$f.spt" "$img/$f.spt"
done
[ -f "$img/halt.hvt" ] && strip -o "$out/tender_elf/halt.hvt" "$img/halt.hvt"
for f in noop devices net block; do
    # The manifest: the MFT1 note's content after its 24-byte head.
    python3 - "$img/$f.spt" "$out/tender_manifest/$f" <<'PY'
import struct, sys
b = open(sys.argv[1], "rb").read()
phoff, = struct.unpack_from("<Q", b, 32)
phnum, = struct.unpack_from("<H", b, 56)
for i in range(phnum):
    p = phoff + 56 * i
    ptype, = struct.unpack_from("<I", b, p)
    off, = struct.unpack_from("<Q", b, p + 8)
    namesz, descsz, ntype = struct.unpack_from("<III", b, off)
    if ptype == 4 and ntype == 0x3154464D and b[off + 12:off + 17] == b"Solo5":
        open(sys.argv[2], "wb").write(b[off + 24:off + 20 + descsz])
PY
done
# The command lines: tender options, the Solo5 command line (first byte:
# the word limit) and runtime arguments, with NULs between arguments; and
# hvt hypercall records (fuzz/hvt_hypercall.c: call, address, length,
# bytes): a POLL, a PUTS of 4 bytes, a BLOCK_READ of block 1 and a
# NETV_WAIT with one record (the network device, a receive area), all
# with their argument at 0x102000.
mkdir -p "$out/tender_options" "$out/solo5_cmdline" "$out/rt_args" \
    "$out/hvt_hypercall"
printf '%s\0' --mem=64 --net:service=tap0 --net-mac:service=02:00:00:00:00:01 \
    --block:storage=/tmp/disk --block-sector-size:storage=4096 \
    --dumpcore=/tmp img --hello=world >"$out/tender_options/devices"
printf '%s\0' -- --img a >"$out/tender_options/image"
printf '\010%s' "--hello='Bonjour le monde' \"a \\\"b\\\"\" c\\ d" \
    >"$out/solo5_cmdline/quotes"
printf '%s\0' --ipv4=10.0.0.2/24 -p 80 --verbose --name=abc -l debug \
    >"$out/rt_args/table"
printf '%s\0' --help=plain >"$out/rt_args/help"
python3 - "$out/hvt_hypercall/calls" <<'PY'
import struct, sys
at = 0x102000
def rec(nr, arg):
    return struct.pack("<BIB", nr - 1, at, len(arg)) + arg
poll = struct.pack("<QQi4x", 1000, 0, 0)
puts = struct.pack("<QQ", at + 16, 4)
block = struct.pack("<QQQQi4x", 2, 512, at + 64, 512, 0)
netv = struct.pack("<QQQQQIIQIiiI", 1, 0, 0, at + 0x1000, 4096, 0, 0, 0, 0,
                   0, 0, 0)
wait = struct.pack("<QIiQQ", at + 32, 1, 0, 1000, 0) + netv
open(sys.argv[1], "wb").write(rec(3, poll) + rec(2, puts) + rec(5, block) +
                              rec(18, wait))
PY

# TLS: handshakes, records, certificates and PEM made by the TLS targets'
# own deterministic setup (fuzz/tls_seeds.c).
build/fuzz-tools/tls_seeds "$out"
# The virtio platform: command lines (first byte even; 2 set: multiboot)
# and \_S5 packages (first byte odd); hostile-device scripts (fuzz/virtio_device.c):
# a network device (first byte even) and a block device (odd).
mkdir -p "$out/virtio_boot" "$out/virtio_device"
python3 - "$out" <<'PY'
import os, struct, sys
d = sys.argv[1]
def put(target, name, data):
    open(os.path.join(d, target, name), "wb").write(data)
put("virtio_boot", "pvh", b"\0--hello='a b' virtio_mmio.device=512@0xfeb00e00:12"
    b" virtio.net:service=1 virtio.block:storage=0 x\\ y")
put("virtio_boot", "multiboot", b"\2/boot/x.virtio --a=1 \"b c\"")
put("virtio_boot", "s5", b"\1\x10\x08_SB_\x08\\_S5_\x12\x08\x02\x0a\x05\x0a\x07")
net = bytes([0, 7]) + bytes([0x52, 0x54, 0, 1, 2, 3, 0, 0, 0, 0, 0xdc, 5])
steps = b"".join(struct.pack("<BHBHBB", q, i, 72 & 0xff, 0, 1, act)
                 for q, i, act in [(0, 0, 0), (1, 0, 1), (1, 0, 3), (0, 5, 0)])
put("virtio_device", "net", b"\0" + net + steps)
blk = bytes([3, 3]) + struct.pack("<Q", 16) + bytes(12) + struct.pack("<I", 4096)
put("virtio_device", "blk", b"\1" + blk + struct.pack("<BHBHBB", 0, 0, 1, 0, 1, 0) * 3)
PY
du -sh "$out"
