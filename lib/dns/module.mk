# lib/dns: the DNS stub resolver (include/mirage/resolver.h): messages
# (wire.c), answers (answer.c), the cache (cache.c), server lists
# (servers.c) and the resolver over UDP and TCP devices (resolver.c).
DNS_SRCS := $(wildcard lib/dns/*.c)
$(eval $(call fs_lib,dns,$(DNS_SRCS)))

# Tests: messages, answers, the cache and server lists alone; the resolver
# on the test network against scripted servers (with lib/tcp's direct TCP
# for the fallback). The latter links lib/testnet/module.mk's
# NET_TEST_SRCS and NET_SWITCH_OBJ, read after this file: expanded a
# second time.
$(eval $(call unit_test,dns_wire,test/unit/dns_wire_test.c \
	lib/dns/wire.c lib/dns/answer.c lib/dns/cache.c lib/dns/servers.c \
	lib/net/ipaddr.c lib/rt/log.c lib/rt/tm.c lib/rt/reporter.c \
	lib/rt/strerror.c test/unit/fake_plat.c test/unit/host_plat.c \
	test/unit/dns_server.c \
	test/unit/test.c))
$(eval $(call unit_test,dns_resolver,test/unit/dns_resolver_test.c \
	test/unit/dns_server.c $(DNS_SRCS)))
.SECONDEXPANSION:
$(B)/test/dns_resolver: $$(call san_obj,$$(NET_TEST_SRCS) $$(TCP_SRCS)) \
	$$(NET_SWITCH_OBJ)
