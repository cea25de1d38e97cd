#!/usr/bin/env python3
"""vhdr_peer.py IFACE GUEST_MAC gso|plain
   vhdr_peer.py IFACE GUEST_MAC blast-gso|blast-plain MIB

The Linux side of the "vhdr" test guests' exchange
(test/tender/vhdr_guest.h), run in the tap's namespace once the guest
says "ready". Through a packet socket on the tap IFACE with a
virtio-net header (PACKET_VNET_HDR), so that it sees frames as the kernel
holds them, it sends the guest a TCP frame from 10.0.0.1:7778 to
10.0.0.2:7777 (gso: 3000 bytes of payload as one super-frame, gso_size
1000, its checksum left to the host; plain: 1000 bytes, checksummed),
then waits up to 20 s for the guest's answer from GUEST_MAC and checks
how the kernel received it: gso, one super-frame of 4344 bytes of
payload, TCPV4 with gso_size 1448 and a partial checksum that completes
to the right TCP checksum; plain, 1000 bytes with a right checksum. Both
ways the payload's byte i is (i * 7 + 3) & 255. Prints "peer ok WHAT" or
"peer FAILED WHAT" per check.

blast-*: send MIB MiB of TCP payload to the guest (bench/vhdr.sh): as
64000-byte super-frames (gso_size 1448), or as 1460-byte frames."""
import socket
import struct
import sys
import time

ETH_P_ALL, SOL_PACKET, PACKET_VNET_HDR = 3, 263, 15
NEEDS_CSUM, GSO_TCPV4 = 1, 1
GUEST_IP, PEER_IP = bytes([10, 0, 0, 2]), bytes([10, 0, 0, 1])


def pattern(n):
    return bytes((i * 7 + 3) & 0xFF for i in range(n))


def fold(s):
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def sum16(data, s=0):
    if len(data) % 2:
        data += b"\0"
    for (w,) in struct.iter_unpack("!H", data):
        s += w
    return fold(s)


def pseudo(src, dst, tcp_len):
    return sum16(src + dst + struct.pack("!HH", 6, tcp_len))


def frame_to_guest(ours, guest, gso, size=None, mss=1000):
    payload = pattern(size or (3000 if gso else 1000))
    tcp = bytearray(struct.pack("!HHIIBBHHH", 7778, 7777, 1, 0, 0x50, 0x18,
                                65535, 0, 0) + payload)
    ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1,
                               0x4000, 64, 6, 0, PEER_IP, GUEST_IP))
    struct.pack_into("!H", ip, 10, ~sum16(bytes(ip)) & 0xFFFF)
    ps = pseudo(PEER_IP, GUEST_IP, len(tcp))
    if gso:
        struct.pack_into("!H", tcp, 16, ps)
        vnet = struct.pack("<BBHHHH", NEEDS_CSUM, GSO_TCPV4, 54, mss, 34, 16)
    else:
        struct.pack_into("!H", tcp, 16, ~sum16(bytes(tcp), ps) & 0xFFFF)
        vnet = bytes(10)
    return vnet + guest + ours + b"\x08\x00" + bytes(ip) + bytes(tcp)


def check(ok, what):
    print(("peer ok " if ok else "peer FAILED ") + what, flush=True)


def check_answer(vnet, frame, gso):
    flags, gso_type, _hdr_len, gso_size, csum_start, csum_offset = \
        struct.unpack("<BBHHHH", vnet)
    ip, tcp = frame[14:34], bytearray(frame[34:])
    payload = 4344 if gso else 1000
    check(len(tcp) == 20 + payload and struct.unpack("!H", ip[2:4])[0] ==
          20 + len(tcp), "the answer is %d bytes of IP" % (20 + len(tcp)))
    check(bytes(tcp[20:]) == pattern(payload), "its payload is the guest's")
    right = ~sum16(bytes(tcp[:16]) + b"\0\0" + bytes(tcp[18:]),
                   pseudo(GUEST_IP, PEER_IP, len(tcp))) & 0xFFFF
    if gso:
        check(gso_type == GSO_TCPV4 and gso_size == 1448,
              "the kernel holds it as TCPV4 with gso_size 1448 "
              "(gso_type %d, gso_size %d)" % (gso_type, gso_size))
        done = bytearray(frame)
        at = csum_start + csum_offset
        if flags & NEEDS_CSUM and at + 2 <= len(done):
            struct.pack_into("!H", done, at,
                             ~sum16(bytes(done[csum_start:])) & 0xFFFF)
        check(flags & NEEDS_CSUM and csum_start == 34 and csum_offset == 16
              and struct.unpack("!H", done[50:52])[0] == right,
              "its partial checksum completes to the TCP checksum")
    else:
        check(gso_type == 0 and struct.unpack("!H", tcp[16:18])[0] == right,
              "a plain frame with the right TCP checksum")


def main():
    iface, guest, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    guest = bytes.fromhex(guest.replace(":", ""))
    gso = mode == "gso"
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                      socket.htons(ETH_P_ALL))
    s.setsockopt(SOL_PACKET, PACKET_VNET_HDR, 1)
    s.bind((iface, 0))
    ours = s.getsockname()[4]
    if mode.startswith("blast-"):
        gso = mode == "blast-gso"
        frame = frame_to_guest(ours, guest, gso, 64000 if gso else 1460, 1448)
        size = 64000 if gso else 1460
        for _ in range((int(sys.argv[4]) << 20) // size + 1):
            s.send(frame)
        print("peer sent %d bytes" % (((int(sys.argv[4]) << 20) // size + 1)
                                      * size), flush=True)
        return
    s.send(frame_to_guest(ours, guest, gso))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        s.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            data = s.recv(1 << 17)
        except socket.timeout:
            break
        vnet, frame = data[:10], data[10:]
        if (len(frame) >= 54 and frame[6:12] == guest
                and frame[12:14] == b"\x08\x00" and frame[23] == 6
                and struct.unpack("!H", frame[36:38])[0] == 7778):
            check_answer(vnet, frame, gso)
            return
    check(False, "an answer from the guest")


main()
