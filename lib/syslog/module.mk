# lib/syslog: the syslog reporter devices (include/mirage/syslog.h):
# RFC 5424 messages over UDP, or octet-counted over TCP or TLS, from a
# bounded ring a fiber drains; TLS (tls.c) only in images that ask for it,
# so the library needs tls only when its tls.c is linked.
$(call library,syslog,$(call lib_sources,syslog),net rt)

# Tests: formatting and the ring, then both transports on the test
# network.
$(call unit_test,syslog,test/unit/syslog_test.c test/unit/tcp_harness.c,\
	syslog tcp tls testnet)

# The unikernel of the real-peer test (test/syslog/peers.sh), on unix.
$(call unikernel,syslog_peer,test/syslog/peer_image.c test/net/peer_stack.c,\
	syslog tcp,unix)
