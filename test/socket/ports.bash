# Sourced by the tests that serve on the host's own addresses (the socket
# tests, the unix images on the socket stack): free_ports N prints a port
# P such that P..P+N-1 are free for TCP and UDP on every IPv4 and IPv6
# address (chosen at random in 20000..59999, so tests running side by
# side rarely collide).
free_ports() {
    python3 - "$1" <<'PY'
import random, socket, sys
n = int(sys.argv[1])
for _ in range(200):
    base = random.randrange(20000, 60000 - n)
    socks = []
    try:
        for p in range(base, base + n):
            for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
                for family, any_addr in ((socket.AF_INET, "0.0.0.0"),
                                         (socket.AF_INET6, "::")):
                    s = socket.socket(family, kind)
                    socks.append(s)
                    if family == socket.AF_INET6:
                        s.setsockopt(socket.IPPROTO_IPV6,
                                     socket.IPV6_V6ONLY, 1)
                    s.bind((any_addr, p))
    except OSError:
        continue
    finally:
        for s in socks:
            s.close()
    print(base)
    sys.exit(0)
sys.exit("no free ports")
PY
}
