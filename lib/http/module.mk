# lib/http: HTTP/1.1 (include/mirage/http.h): the incremental head parser,
# chunked coding, the server's connection loop and responses, static
# files from a kv_ro store, dates, media types and the client.
HTTP_SRCS := $(wildcard lib/http/*.c)
$(eval $(call fs_lib,http,$(HTTP_SRCS)))

# Tests: the parsers, hosted.
$(eval $(call unit_test,http_parse,test/unit/http_parse_test.c \
	lib/http/parse.c lib/http/message.c lib/http/chunked.c \
	lib/http/date.c lib/http/status.c lib/http/conditional.c \
	lib/http/mime.c lib/rt/tm.c test/unit/test.c))
# The server on the test network (virtual time), with lib/tcp and the
# raw test client. lib/tcp/module.mk and lib/testnet/module.mk are read
# after this file: their sources are expanded a second time.
.SECONDEXPANSION:
# lib/kv (crunch stores) comes with the static handler, lib/dns with
# the client's DNS connector.
HTTP_NET_TESTS := http_server http_static http_client
$(foreach t,$(HTTP_NET_TESTS),$(eval $(call unit_test,$(t),\
	test/unit/$(t)_test.c test/unit/http_client.c \
	test/unit/tcp_harness.c $(HTTP_SRCS))))
$(patsubst %,$(B)/test/%,$(HTTP_NET_TESTS)): \
	$$(call san_obj,$$(TCP_SRCS) $$(NET_TEST_SRCS)) $$(NET_SWITCH_OBJ)
$(patsubst %,$(B)/test/%,$(HTTP_NET_TESTS)): \
	$$(call san_obj,$$(KV_SRCS) $$(BLOCK_SRCS) lib/random/sha256.c \
	$$(DNS_SRCS))

# The differential test against Debian's libhttp-parser (a test oracle,
# never linked into an image); test/http/oracle.sh says SKIP without it.
ifneq ($(wildcard /usr/include/http_parser.h),)
$(eval $(call unit_test,http_diff,test/unit/http_diff_test.c \
	lib/http/parse.c lib/http/message.c lib/http/chunked.c \
	test/unit/test.c,-lhttp_parser))
endif

# The unikernel of the real-peer tests (test/http/peers.sh) and of
# bench/http.sh, linked exactly as a unikernel is: on unix, and with its
# manifest (network "service", block "storage") on spt and hvt.
HTTP_PEER_LIBS := $(patsubst %,$(B)/lib/mirage/libmirage_%.a,\
	http dns kv block tcp net random rt)
HTTP_PEER_OBJ := $(call fs_obj,test/http/peer_image.c test/net/peer_stack.c)
$(B)/test-images/http_peer: $(HTTP_PEER_OBJ) $(B)/lib/mirage/unix/start.o \
		$(B)/lib/mirage/unix/libplat.a $(HTTP_PEER_LIBS)
	@mkdir -p $(@D)
	$(call say,LD,$@)$(CC) $(PLAT_UNIX_LDFLAGS) -o $@ \
		$(B)/lib/mirage/unix/start.o $(HTTP_PEER_OBJ) -Wl,--start-group \
		$(HTTP_PEER_LIBS) $(B)/lib/mirage/unix/libplat.a \
		-Wl,--end-group -lgcc
TEST_TARGETS += $(B)/test-images/http_peer
define http_peer_solo5
$(B)/test-images/http_peer.$(1): $(HTTP_PEER_OBJ) \
		$(call fs_obj,test/http/peer_manifest.c) \
		$(B)/lib/mirage/$(1)/start.o $(B)/lib/mirage/$(1)/libplat.a \
		$(B)/lib/mirage/$(1)/link.ld $(HTTP_PEER_LIBS)
	@mkdir -p $$(@D)
	$$(call say,LD,$$@)$(CC) $$(SOLO5_$(1)_LDFLAGS) -o $$@ \
		$(B)/lib/mirage/$(1)/start.o $(HTTP_PEER_OBJ) \
		$(call fs_obj,test/http/peer_manifest.c) -Wl,--start-group \
		$(HTTP_PEER_LIBS) $(B)/lib/mirage/$(1)/libplat.a \
		-Wl,--end-group -lgcc
TEST_TARGETS += $(B)/test-images/http_peer.$(1)
endef
$(foreach t,spt hvt,$(eval $(call http_peer_solo5,$(t))))
