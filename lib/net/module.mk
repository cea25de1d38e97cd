# lib/net: the network stack below TCP: buffers, addresses, checksums,
# timers, the netif device, Ethernet, ARP, IPv4 (with reassembly and
# ICMP) and UDP.
$(call library,net,$(call lib_sources,net),random rt)

# The unikernel of the real-peer test (test/net/tap.sh), linked exactly as
# a unikernel is, with test/net's manifest (one network device,
# "service") where the target has one.
$(call unikernel,net_peer,test/net/peer_image.c test/net/peer_stack.c,net,\
	unix spt hvt,test/net/peer_manifest.c)
