# lib/socket: the socket stack (socket_stackv4, socket_udpv4,
# socket_tcpv4 ...), UDP and TCP over the unix-only host sockets of
# <mirage/hostsock.h>; linked into unix images only.
$(call library,socket,$(call lib_sources,socket),net rt)

# The test image test/socket/api.sh runs.
$(call unikernel,socket_unix,test/socket/socket_test.c,socket,unix)
