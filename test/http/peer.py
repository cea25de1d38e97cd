"""Linux's side of the HTTP real-peer tests (test/http/peers.sh): raw
sockets for pipelining and the hostile cases, Python's http.client for a
well-behaved client. Each command prints one line the shell test checks.

  pipeline HOST N        N requests in one write; "pipelined N ok" when
                         all answers come back in order
  httpclient HOST        GET twice on one connection, HEAD, POST
  smuggle HOST           every smuggling pattern: "smuggle: S1 S2 ..."
                         (each status, "closed" when the connection
                         ended after the answer, "extra" when a smuggled
                         request was answered)
  slowloris HOST         one byte a second: "slowloris STATUS after S s"
  longline HOST BYTES    a request line of BYTES: "longline STATUS"
  idle HOST N SECONDS    open N idle connections, keep them SECONDS,
                         print "idle N opened, K closed by the server"
"""
import http.client
import resource
import socket
import sys
import time


def read_response(s, deadline=10):
    """One response (status, head, body, what followed it) from s, or
    (None, ...) at EOF."""
    s.settimeout(deadline)
    data = b""
    while b"\r\n\r\n" not in data:
        b = s.recv(65536)
        if not b:
            return None, data, b"", b""
        data += b
    head, rest = data.split(b"\r\n\r\n", 1)
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        k, v = line.split(b":", 1)
        if k.strip().lower() == b"content-length":
            length = int(v)
    while len(rest) < length:
        b = s.recv(65536)
        if not b:
            break
        rest += b
    return status, head, rest[:length], rest[length:]


def closed(s):
    """Whether the server ends the connection with nothing more."""
    s.settimeout(10)
    try:
        return s.recv(1) == b""
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def pipeline(host, n):
    s = socket.create_connection((host, 80))
    paths = ["/", "/style.css", "/sub/"]
    req = b"".join(b"GET %s HTTP/1.1\r\nHost: t\r\n\r\n" % paths[i % 3].encode()
                   for i in range(n))
    s.sendall(req)
    ok, buf = 0, b""
    want = [open(sys.argv[4 + i], "rb").read() for i in range(3)]
    s.settimeout(10)
    for i in range(n):
        while True:
            if b"\r\n\r\n" in buf:
                head, rest = buf.split(b"\r\n\r\n", 1)
                length = int([l.split(b":")[1] for l in head.split(b"\r\n")
                              if l.lower().startswith(b"content-length")][0])
                if len(rest) >= length:
                    ok += head.startswith(b"HTTP/1.1 200") and rest[:length] == want[i % 3]
                    buf = rest[length:]
                    break
            b = s.recv(65536)
            if not b:
                break
            buf += b
    print("pipelined %d %s" % (n, "ok" if ok == n else "bad (%d good)" % ok))


def httpclient(host):
    c = http.client.HTTPConnection(host, 80, timeout=10)
    c.request("GET", "/")
    r1 = c.getresponse()
    b1 = r1.read()
    sock = c.sock
    c.request("GET", "/style.css")
    r2 = c.getresponse()
    r2.read()
    same = c.sock is sock
    c.request("HEAD", "/")
    r3 = c.getresponse()
    r3.read()
    c.request("POST", "/", body=b"x=1", headers={"Content-Type": "text/plain"})
    r4 = c.getresponse()
    r4.read()
    print("httpclient %d %d %d %d %s %d %s" % (
        r1.status, r2.status, r3.status, r4.status,
        "reused" if same else "new", len(b1), r3.getheader("Content-Length")))


SMUGGLING = [
    # Content-Length with Transfer-Encoding: the smuggled GET after it
    # must never be answered
    b"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n"
    b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /style.css HTTP/1.1\r\nHost: t\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
    b"Content-Length: 4\r\n\r\n0\r\n\r\nGET /style.css HTTP/1.1\r\nHost: t\r\n\r\n",
    # conflicting Content-Length
    b"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\nContent-Length: 45\r\n\r\n"
    b"GET /style.css HTTP/1.1\r\nHost: t\r\n\r\n",
    # obfuscated Transfer-Encoding
    b"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n",
    b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    # bad chunk sizes
    b"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n0x0\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n\r\n",
    # bare CR and bare LF, obs-fold
    b"GET / HTTP/1.1\r\nHost: t\r\nX: a\rContent-Length: 40\r\n\r\n",
    b"GET / HTTP/1.1\nHost: t\nContent-Length: 40\n\n",
    b"GET / HTTP/1.1\r\nHost: t\r\nX: a\r\n Content-Length: 40\r\n\r\n",
]


def smuggle(host):
    out = []
    for req in SMUGGLING:
        s = socket.create_connection((host, 80))
        s.sendall(req)
        status, _, _, more = read_response(s)
        c = closed(s)
        out.append("%s%s%s" % (status, "" if c else "-open", "-extra" if more else ""))
        s.close()
    print("smuggle: " + " ".join(out))


def slowloris(host):
    s = socket.create_connection((host, 80))
    req = b"GET / HTTP/1.1\r\nHost: t\r\nX-Slow: " + b"a" * 40 + b"\r\n\r\n"
    t0 = time.time()
    s.settimeout(1)
    got = b""
    for ch in req:
        try:
            s.send(bytes([ch]))
        except OSError:
            break
        try:
            got += s.recv(4096)
        except socket.timeout:
            pass
        if got or time.time() - t0 > 20:
            break
    status = got.split(b" ")[1].decode() if got else "none"
    print("slowloris %s after %d s" % (status, round(time.time() - t0)))


def longline(host, n):
    s = socket.create_connection((host, 80))
    line = b"GET /" + b"a" * (n - 5)
    try:
        s.sendall(line)
    except OSError:
        pass
    try:
        status = read_response(s)[0]
    except OSError:
        status = None
    print("longline %s" % status)


def idle(host, n, seconds):
    resource.setrlimit(resource.RLIMIT_NOFILE, (n + 1000, n + 1000))
    socks = []
    try:
        for _ in range(n):
            socks.append(socket.create_connection((host, 80), timeout=30))
    except OSError as e:
        print("idle %d opened, then: %s" % (len(socks), e), flush=True)
        sys.stdin.read()
        return
    time.sleep(seconds)
    closed_by_server = 0
    for s in socks:
        s.setblocking(False)
        try:
            if s.recv(1) == b"":
                closed_by_server += 1
        except BlockingIOError:
            pass
        except ConnectionResetError:
            closed_by_server += 1
    print("idle %d opened, %d closed by the server" % (len(socks), closed_by_server),
          flush=True)
    # keep them open until told to stop (stdin closes)
    sys.stdin.read()


cmd, args = sys.argv[1], sys.argv[2:]
if cmd == "pipeline":
    pipeline(args[0], int(args[1]))
elif cmd == "httpclient":
    httpclient(args[0])
elif cmd == "smuggle":
    smuggle(args[0])
elif cmd == "slowloris":
    slowloris(args[0])
elif cmd == "longline":
    longline(args[0], int(args[1]))
elif cmd == "idle":
    idle(args[0], int(args[1]), float(args[2]))
