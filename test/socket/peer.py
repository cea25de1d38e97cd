#!/usr/bin/env python3
"""Linux peers for test/socket/peers.sh and v6.sh, on 127.0.0.1 or on
the address PEER_HOST names (either family; a server's own address when
it listens). Each command prints one line starting with "ok" or "bad"
and exits 0 or 1.

  echo PORT BYTES     send BYTES of random data to an echo server while
                      reading the echo, close first, compare SHA-256
  source PORT BYTES   read a server's stream until it closes first and
                      compare its SHA-256 with the pattern's
  many PORT N         open N connections to an echo server at once, then
                      send on each, close each and check every echo
  churn PORT N PID    N short connections to an echo server one after
                      another (after 1000 to warm up); the memory of
                      process PID must not grow by more than 2 MiB
  sink PORT BYTES     accept one connection, read it until the peer closes
                      and compare its SHA-256 with the pattern's
  udp PORT            send a datagram to a UDP echo server, await the echo
  udpecho PORT        answer one loopback datagram with its echo, print
                      the sender's port and the datagram
  full PORT           listen with a full accept queue until stdin closes,
                      then check that it stayed full
  refused PORT        connecting must be refused (nobody listens for this
                      family)

The pattern's byte i is (i * 7 + i // 65536) & 255, as the unikernel
sends it."""
import hashlib
import os
import select
import socket
import sys
import threading

TIMEOUT = 60
HOST = os.environ.get("PEER_HOST", "127.0.0.1")
FAMILY = socket.AF_INET6 if ":" in HOST else socket.AF_INET


def pattern_sha(n):
    base = bytes((j * 7) & 255 for j in range(65536))
    h = hashlib.sha256()
    for k in range((n + 65535) // 65536):
        shift = bytes((b + k) & 255 for b in range(256))
        h.update(base.translate(shift)[: min(65536, n - k * 65536)])
    return h.hexdigest()


def connect(port):
    s = socket.create_connection((HOST, port), timeout=TIMEOUT)
    s.settimeout(TIMEOUT)
    return s


def read_all(s):
    h, n = hashlib.sha256(), 0
    while True:
        b = s.recv(1 << 20)
        if not b:
            return h.hexdigest(), n
        h.update(b)
        n += len(b)


def report(ok, what):
    print(("ok " if ok else "bad ") + what)
    sys.exit(0 if ok else 1)


def cmd_echo(port, size):
    s = connect(port)
    data = os.urandom(size)
    got = {}
    reader = threading.Thread(target=lambda: got.update(r=read_all(s)))
    reader.start()
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    reader.join()
    digest, n = got.get("r", ("", 0))
    report(digest == hashlib.sha256(data).hexdigest(),
           "echo of %d bytes (got %d)" % (size, n))


def cmd_source(port, size):
    digest, n = read_all(connect(port))
    report(digest == pattern_sha(size), "source of %d bytes (got %d)" % (size, n))


def cmd_many(port, count):
    socks = [connect(port) for _ in range(count)]
    msgs = [os.urandom(1000) + b"%d" % i for i in range(count)]
    for s, m in zip(socks, msgs):
        s.sendall(m)
        s.shutdown(socket.SHUT_WR)
    good = sum(read_all(s)[0] == hashlib.sha256(m).hexdigest()
               for s, m in zip(socks, msgs))
    report(good == count, "%d of %d concurrent echoes" % (good, count))


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cmd_churn(port, count, pid):
    def burst(n):
        good = 0
        for _ in range(n):
            s = connect(port)
            msg = os.urandom(100)
            s.sendall(msg)
            s.shutdown(socket.SHUT_WR)
            good += read_all(s)[0] == hashlib.sha256(msg).hexdigest()
            s.close()
        return good

    burst(1000)
    before = rss_kib(pid)
    good = burst(count)
    after = rss_kib(pid)
    report(good == count and after - before <= 2048,
           "%d of %d short connections, memory %d -> %d KiB"
           % (good, count, before, after))


def cmd_sink(port, size):
    ls = socket.socket(FAMILY)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((HOST, port))
    ls.listen(1)
    ls.settimeout(TIMEOUT)
    print("listening", flush=True)
    s, _ = ls.accept()
    s.settimeout(TIMEOUT)
    digest, n = read_all(s)
    report(digest == pattern_sha(size), "sink of %d bytes (got %d)" % (size, n))


def cmd_udp(port):
    u = socket.socket(FAMILY, socket.SOCK_DGRAM)
    u.settimeout(5)
    msg = os.urandom(1200)
    u.sendto(msg, (HOST, port))
    data, peer = u.recvfrom(65536)
    report(data == msg and peer[:2] == (HOST, port),
           "udp echo from %s port %d" % peer[:2])


def cmd_udpecho(port):
    u = socket.socket(FAMILY, socket.SOCK_DGRAM)
    u.bind((HOST, port))
    u.settimeout(TIMEOUT)
    print("listening", flush=True)
    data, peer = u.recvfrom(65536)
    sent = u.sendto(data, peer)
    report(peer[0] == HOST and sent == len(data) > 0,
           "udp from port %d: %s" % (peer[1], data.decode(errors="replace")))


def cmd_full(port):
    ls = socket.socket()
    ls.bind(("127.0.0.1", port))
    ls.listen(0)
    # Connections nobody accepts fill the queue; later SYNs are dropped.
    fillers = []
    for _ in range(2):
        c = socket.socket()
        c.setblocking(False)
        c.connect_ex(("127.0.0.1", port))
        fillers.append(c)
    print("listening", flush=True)
    sys.stdin.read()
    # The queue stayed full all along: the first filler was queued, the
    # second is still waiting for the handshake to complete.
    _, writable, _ = select.select([], fillers, [], 0)
    queued = [c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0 and
              c in writable for c in fillers]
    report(queued == [True, False],
           "full queue (fillers connected: %s)" % queued)


def cmd_refused(port):
    try:
        socket.create_connection((HOST, port), timeout=TIMEOUT).close()
    except ConnectionRefusedError:
        report(True, "refused")
    report(False, "connected to %s port %d" % (HOST, port))


def main():
    cmd, port = sys.argv[1], int(sys.argv[2])
    arg = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    pid = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    {
        "echo": lambda: cmd_echo(port, arg),
        "source": lambda: cmd_source(port, arg),
        "many": lambda: cmd_many(port, arg),
        "churn": lambda: cmd_churn(port, arg, pid),
        "sink": lambda: cmd_sink(port, arg),
        "udp": lambda: cmd_udp(port),
        "udpecho": lambda: cmd_udpecho(port),
        "full": lambda: cmd_full(port),
        "refused": lambda: cmd_refused(port),
    }[cmd]()


if __name__ == "__main__":
    main()
