# lib/testnet: the in-memory test network (virtual switch, virtual clock,
# seeded faults). Used only by the hosted network tests: its hosted
# library carries the platform glue over it (test/unit/testnet_plat.c)
# and the tests' harness (test/unit/net_harness.c).
$(call hosted_lib,testnet,lib/testnet/testnet.c test/unit/testnet_plat.c \
	test/unit/host_plat.c test/unit/net_harness.c,net random rt)

NET_WRAP := -Xlinker --wrap=malloc -Xlinker --wrap=calloc \
	-Xlinker --wrap=realloc
$(foreach t,net_basics net_stack net_ipv4 net_ipv6 net_vhdr,$(call unit_test,$(t),\
	test/unit/$(t)_test.c,testnet))
$(call unit_test,net_oom,test/unit/net_oom_test.c,testnet,$(NET_WRAP) \
	-Xlinker --wrap=free)
# The direct stack devices, with lib/tcp.
$(call unit_test,net_stackdev,test/unit/net_stackdev_test.c,stack testnet,\
	$(NET_WRAP))
