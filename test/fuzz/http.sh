#!/usr/bin/env bash
# Runs the HTTP fuzz targets (fuzz/http_request.c, http_response.c,
# http_chunked.c, http_headers.c) for a bounded time each (FUZZ_SECONDS,
# default 20) from seed corpora: requests with every framing and the
# smuggling patterns, responses of each kind, chunked bodies with
# extensions and trailers, header sections with lists and dates. A
# crash, hang, leak or sanitizer report fails the test. Skipped when
# clang's libFuzzer runtime is missing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/runner.bash"
fuzz_need_libfuzzer fuzz_http
scratch
python3 - "$T_TMP" <<'PY'
import os, sys
d = sys.argv[1]
seeds = {
    "http_request": [
        b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        b"POST /p?q=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"GET http://a:80/x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        b"OPTIONS * HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n",
        b"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n",
    ],
    "http_response": [
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"HTTP/1.0 302 Found\r\nLocation: /x\r\n\r\n",
        b"HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n",
        b"HTTP/1.1 100 Continue\r\n\r\n",
    ],
    "http_chunked": [
        b"\x01" + b"5\r\nhello\r\n0\r\n\r\n",
        b"\x05" + b"3;a=b;c=\"d e\"\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nT: v\r\n\r\n",
        b"\x10" + b"000\r\n\r\n",
    ],
    "http_headers": [
        b"Host: a\r\nConnection: keep-alive, Upgrade\r\n\r\n",
        b"Host: a\r\nIf-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n",
        b"Host: a\r\nDate: Sunday, 06-Nov-94 08:49:37 GMT\r\nX: Sun Nov  6 08:49:37 1994\r\n\r\n",
        b"Host: a\r\nRange: bytes=0-9,-5\r\nIf-None-Match: \"a\", W/\"b\"\r\n\r\n",
    ],
}
for t, items in seeds.items():
    os.makedirs(os.path.join(d, t), exist_ok=True)
    for i, s in enumerate(items):
        open(os.path.join(d, t, "seed%d" % i), "wb").write(s)
PY
for t in http_request http_response http_chunked http_headers; do
    fuzz_run "fuzz_$t" "$t" "$T_TMP/$t" -max_len=8192
done
finish
