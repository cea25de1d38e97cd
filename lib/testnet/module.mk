# lib/testnet: the in-memory test network (virtual switch, virtual clock,
# seeded faults). Freestanding-compatible, but used only by the hosted
# network tests, which link it with the runtime's scheduler, lib/net and
# the platform glue in test/unit/testnet_plat.c.
NET_TEST_SRCS := lib/testnet/testnet.c test/unit/testnet_plat.c \
	test/unit/host_plat.c \
	test/unit/net_harness.c test/unit/test.c $(wildcard lib/net/*.c) \
	lib/rt/fiber.c lib/rt/loop.c lib/rt/waitq.c lib/rt/timer.c \
	lib/rt/log.c lib/rt/tm.c lib/rt/strerror.c \
	lib/random/uniform.c
# The fibers' stack switch comes from the scheduler test's build.
NET_SWITCH_OBJ := $(B)/obj/ubsan/lib/rt/switch.o
$(eval $(call unit_test,net_basics,test/unit/net_basics_test.c \
	$(NET_TEST_SRCS)))
$(B)/test/net_basics: $(NET_SWITCH_OBJ)
$(eval $(call unit_test,net_stack,test/unit/net_stack_test.c \
	$(NET_TEST_SRCS)))
$(B)/test/net_stack: $(NET_SWITCH_OBJ)
$(eval $(call unit_test,net_ipv4,test/unit/net_ipv4_test.c \
	$(NET_TEST_SRCS)))
$(B)/test/net_ipv4: $(NET_SWITCH_OBJ)
$(eval $(call unit_test,net_oom,test/unit/net_oom_test.c $(NET_TEST_SRCS),\
	-Xlinker --wrap=malloc -Xlinker --wrap=calloc -Xlinker --wrap=realloc \
	-Xlinker --wrap=free))
$(B)/test/net_oom: $(NET_SWITCH_OBJ)
# The direct stack devices, with lib/tcp.
$(eval $(call unit_test,net_stackdev,test/unit/net_stackdev_test.c \
	$(NET_TEST_SRCS) lib/stack/stack.c $(TCP_SRCS),\
	-Xlinker --wrap=malloc -Xlinker --wrap=calloc -Xlinker --wrap=realloc))
$(B)/test/net_stackdev: $(NET_SWITCH_OBJ)
