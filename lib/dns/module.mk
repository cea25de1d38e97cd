# lib/dns: the DNS stub resolver (include/mirage/resolver.h): messages
# (wire.c), answers (answer.c), the cache (cache.c), server lists
# (servers.c) and the resolver over UDP and TCP devices (resolver.c).
$(call library,dns,$(call lib_sources,dns),net random rt)

# Tests: messages, answers, the cache and server lists alone; the resolver
# on the test network against scripted servers (with lib/tcp's direct TCP
# for the fallback).
$(call unit_test,dns_wire,test/unit/dns_wire_test.c test/unit/dns_server.c,\
	dns fake_plat)
$(call unit_test,dns_resolver,test/unit/dns_resolver_test.c \
	test/unit/dns_server.c,dns tcp testnet)
