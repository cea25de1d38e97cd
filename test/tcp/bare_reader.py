"""bare_reader.py ADDRESS: open tap0 for bare frames the way a tender
that knows nothing of offloads does (no virtio-net header, the tap's
offloads left as they are), send one UDP datagram to ADDRESS from Linux,
and print whether the frame read from the tap carries a complete UDP
checksum: "udp checksum ok", "udp checksum bad" (the checksum left to an
offload), or "no datagram" within 5 s."""
import fcntl
import os
import select
import socket
import struct
import sys
import time

TUNSETIFF, IFF_TAP, IFF_NO_PI = 0x400454CA, 0x0002, 0x1000


def ones_sum(data):
    if len(data) % 2:
        data += b"\0"
    t = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while t >> 16:
        t = (t & 0xFFFF) + (t >> 16)
    return t


def main():
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", b"tap0", IFF_TAP | IFF_NO_PI))
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"x" * 100, (sys.argv[1], 9))
    deadline = time.time() + 5
    while time.time() < deadline:
        if not select.select([fd], [], [], 0.5)[0]:
            continue
        f = os.read(fd, 65536)
        if len(f) < 42 or f[12:14] != b"\x08\x00" or f[23] != 17:
            continue
        ihl = (f[14] & 15) * 4
        udp = f[14 + ihl:]
        ulen = struct.unpack("!H", udp[4:6])[0]
        pseudo = f[26:34] + struct.pack("!BBH", 0, 17, ulen)
        print("udp checksum", "ok" if ones_sum(pseudo + udp[:ulen]) == 0xFFFF else "bad")
        return
    print("no datagram")


main()
