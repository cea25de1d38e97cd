# Linux's ends of the TCP real-peer tests (test/tcp/tap.sh, offload.sh):
# the test unikernel's pattern (test/tcp/peer_image.c), and transfers to
# and from it checked by SHA-256. Run as: python3 peer.py COMMAND ARGS.
import hashlib, socket, sys, threading

def pattern(n):
    x, block = 1, bytearray(65521)
    for i in range(len(block)):
        x = (x * 1103515245 + 12345) & 0xffffffff
        block[i] = (x >> 16) & 0xff
    return (bytes(block) * (n // len(block) + 1))[:n]

def sha(data):
    return hashlib.sha256(data).hexdigest()

def to_sink(host, data):
    # Send data to the sink, then wait for its close: how many bytes the
    # kernel took and how the sink closed.
    s = socket.create_connection((host, 5001), timeout=60)
    view, sent = memoryview(data), 0
    while sent < len(data):
        sent += s.send(view[sent:])
    s.shutdown(socket.SHUT_WR)
    try:
        while s.recv(65536):
            pass
        end = "eof"
    except ConnectionResetError:
        end = "reset"
    s.close()
    return sent, end

def send(host, n):
    print("sent %d %s" % to_sink(host, pattern(n)))

def sinks(host, count, size):
    # count connections at once, each sending size bytes of the pattern
    # to the sink: prints how many were all taken and closed cleanly.
    data, ok = pattern(size), []
    def one():
        try:
            ok.append(to_sink(host, data) == (size, "eof"))
        except OSError as e:
            print("error", e)
    threads = [threading.Thread(target=one) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("sent", sum(ok), "of", count)

def drain(s, n):
    # Read s to its end: the byte count, and whether the bytes are the
    # pattern's first n.
    h, got = hashlib.sha256(), 0
    while True:
        b = s.recv(1 << 20)
        if not b:
            break
        h.update(b)
        got += len(b)
    return got, "match" if h.hexdigest() == sha(pattern(n)) else "differ"

def receive(host, n):
    # Ask the source for n bytes; it closes first.
    s = socket.create_connection((host, 5002), timeout=60)
    s.sendall(b"%d\n" % n)
    print("received %d %s" % drain(s, n))

def concurrent(host, count, size):
    data = pattern(size)
    ok = []
    def one():
        try:
            s = socket.create_connection((host, 5003), timeout=60)
            threading.Thread(target=lambda: (s.sendall(data),
                                             s.shutdown(socket.SHUT_WR))).start()
            got = bytearray()
            while True:
                b = s.recv(65536)
                if not b:
                    break
                got += b
            ok.append(bytes(got) == data)
            s.close()
        except OSError as e:
            print("error", e)
    threads = [threading.Thread(target=one) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("echoed", sum(ok), "of", count)

def listen(host, port, n, out):
    # Accept one connection, hash what it sends until it closes.
    srv = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((host, port))
    srv.listen(1)
    print("listening", flush=True)
    c, _ = srv.accept()
    with open(out, "w") as f:
        f.write("pushed %d %s\n" % drain(c, n))

def refused(host, port):
    try:
        socket.create_connection((host, port), timeout=10)
        print("connected")
    except ConnectionRefusedError:
        print("refused")

def churn(host, n, port):
    # n short connections: to the echo port (Linux closes first) or to
    # the source port asking for 10 bytes (the unikernel closes first).
    bad, want = 0, (b"0123456789" if port == 5003 else pattern(10))
    for _ in range(n):
        s = socket.create_connection((host, port), timeout=10)
        s.sendall(b"0123456789" if port == 5003 else b"10\n")
        if port == 5003:
            s.shutdown(socket.SHUT_WR)
        got = b""
        while True:
            b = s.recv(100)
            if not b:
                break
            got += b
        bad += got != want
        s.close()
    print("churned", n, "bad", bad)

def write_pattern(n, path):
    with open(path, "wb") as f:
        f.write(pattern(n))

cmd = sys.argv[1]
args = sys.argv[2:]
if cmd == "send": send(args[0], int(args[1]))
elif cmd == "receive": receive(args[0], int(args[1]))
elif cmd == "concurrent": concurrent(args[0], int(args[1]), int(args[2]))
elif cmd == "sinks": sinks(args[0], int(args[1]), int(args[2]))
elif cmd == "listen": listen(args[0], int(args[1]), int(args[2]), args[3])
elif cmd == "refused": refused(args[0], int(args[1]))
elif cmd == "churn": churn(args[0], int(args[1]), int(args[2]))
elif cmd == "file": write_pattern(int(args[0]), args[1])
