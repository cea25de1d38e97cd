# lib/dns_unix: resolver_unix_system, the stub resolver of lib/dns over
# the host's sockets (lib/socket) with the servers of the host's
# /etc/resolv.conf, read through the unix-only host files of
# <mirage/hostfs.h>: unix only.
$(call library,dns_unix,$(call lib_sources,dns_unix),dns socket rt)

# The unikernel of its real-peer test (test/dhcp/dnsmasq.sh).
$(call unikernel,dns_system,test/dhcp/system_image.c test/dhcp/lookups.c,\
	dns_unix,unix)
