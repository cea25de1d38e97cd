# lib/http: HTTP/1.1 (include/mirage/http.h): the incremental head parser,
# chunked coding, the server's connection loop and responses, static
# files from a kv_ro store, dates, media types, the client (with a
# connector over lib/dns's resolver) and the catalogue devices over
# lib/conduit.
$(call library,http,$(call lib_sources,http),conduit dns kv rt)

# Tests: the parsers, hosted; the server, the static handler and the
# client on the test network (virtual time) with lib/tcp and the raw test
# client.
$(call unit_test,http_parse,test/unit/http_parse_test.c,http)
$(foreach t,http_server http_static http_client,$(call unit_test,$(t),\
	test/unit/$(t)_test.c test/unit/http_client.c \
	test/unit/tcp_harness.c,http block random tcp testnet))

# The differential test against Debian's libhttp-parser (a test oracle,
# never linked into an image); test/http/oracle.sh says SKIP without it.
ifneq ($(wildcard /usr/include/http_parser.h),)
$(call unit_test,http_diff,test/unit/http_diff_test.c,http,-lhttp_parser)
endif

# The unikernel of the real-peer tests (test/http/peers.sh) and of
# bench/http.sh, with its manifest (network "service", block "storage")
# on spt and hvt.
$(call unikernel,http_peer,test/http/peer_image.c test/net/peer_stack.c,\
	http block random tcp,unix spt hvt,test/http/peer_manifest.c)
