# libFuzzer targets, built with clang when its libFuzzer runtime is
# installed (Debian: libclang-rt-14-dev): each fuzz/NAME.c, linked with the
# sources in FUZZ_NAME_SRCS, becomes $(B)/fuzz/NAME, with its committed
# seeds in fuzz/corpus/NAME/ (fuzz/seeds.sh writes them). `make check`
# runs each briefly (test/fuzz/targets.sh); `make fuzz` builds them and
# runs each for FUZZ_SECONDS (default 60) from its seeds and the corpus
# kept in $(B)/fuzz-corpus/NAME/, which grows from run to run; an input
# that fails stays in $(B)/fuzz-crashes/NAME/.
FUZZ_CC := clang
FUZZ_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_RUNTIME := $(wildcard $(shell $(FUZZ_CC) --print-runtime-dir \
	2>/dev/null)/libclang_rt.fuzzer-x86_64.a)
FUZZ_TARGETS :=

FUZZ_tender_elf_SRCS := $(addprefix tender/common/,elf.c notes.c manifest.c \
	error.c)
FUZZ_tender_manifest_SRCS := $(addprefix tender/common/,manifest.c notes.c \
	error.c)
FUZZ_tender_options_SRCS := $(addprefix tender/common/,options.c manifest.c \
	notes.c error.c)
FUZZ_tender_options_CFLAGS := -DMIRAGE_VERSION='"$(VERSION)"'
FUZZ_hvt_hypercall_SRCS := tender/hvt/hypercall.c tender/hvt/guest_mem.c \
	tender/common/vhdr.c tender/common/error.c
FUZZ_solo5_cmdline_SRCS := plat/solo5/cmdline.c
FUZZ_rt_args_SRCS := lib/rt/args.c test/unit/fake_plat.c test/unit/host_plat.c
FUZZ_fat_image_SRCS := $(call lib_sources,fat) lib/block/checked.c lib/block/ramdisk.c \
	lib/rt/strerror.c lib/rt/tm.c
FUZZ_kv_tar_SRCS := $(call lib_sources,kv) lib/random/sha256.c lib/block/checked.c \
	lib/block/ramdisk.c lib/rt/strerror.c

define fuzz_target
$(B)/fuzz/$(1): fuzz/$(1).c $(FUZZ_$(1)_SRCS) $(wildcard tender/common/*.h fuzz/*.h)
	@mkdir -p $$(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_$(1)_CFLAGS) -o $$@ $$(filter %.c,$$^)
FUZZ_TARGETS += $(B)/fuzz/$(1)
endef
FUZZ_dhcp_parse_SRCS := lib/dhcp/wire.c
FUZZ_dns_message_SRCS := lib/dns/wire.c lib/dns/answer.c lib/dns/cache.c
$(foreach t,tender_elf tender_manifest tender_options hvt_hypercall \
	solo5_cmdline rt_args fat_image kv_tar dhcp_parse dns_message,\
	$(eval $(call fuzz_target,$(t))))


# The network stack's parsers: each target runs a whole stack (lib/net)
# over the runtime's scheduler and the test network's platform glue.
NET_FUZZ_SRCS := fuzz/net_stack.c $(call lib_sources,net) \
	lib/testnet/testnet.c test/unit/testnet_plat.c test/unit/host_plat.c \
	lib/rt/fiber.c lib/rt/loop.c lib/rt/waitq.c lib/rt/minheap.c lib/rt/switch.S \
	lib/rt/log.c lib/rt/tm.c lib/rt/strerror.c lib/random/uniform.c
define net_fuzz_target
$(B)/fuzz/$(1): fuzz/$(1).c $(NET_FUZZ_SRCS) $(wildcard include/mirage/*.h)
	@mkdir -p $$(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $$@ $$(filter %.c %.S,$$^)
FUZZ_TARGETS += $(B)/fuzz/$(1)
endef
NET_FUZZ := net_ethernet net_arp net_ipv4 net_icmp net_udp net_ipv6 net_icmpv6
$(foreach t,$(NET_FUZZ),$(eval $(call net_fuzz_target,$(t))))

# TCP: the segment parser alone, and the engine (lib/tcp without its fiber
# layer) over a sink IP device, with lib/net's buffers and checksums.
FUZZ_tcp_segment_SRCS := lib/tcp/segment.c
TCP_FUZZ_ENGINE_SRCS := $(filter-out lib/tcp/direct.c,$(call lib_sources,tcp))
FUZZ_tcp_input_SRCS := $(TCP_FUZZ_ENGINE_SRCS) lib/net/buf.c \
	lib/net/checksum.c lib/net/ipaddr.c lib/rt/minheap.c
$(foreach t,tcp_segment tcp_input,$(eval $(call fuzz_target,$(t))))

# HTTP: the head parser for requests and responses, chunked decoding,
# header fields with their helpers.
HTTP_FUZZ_SRCS := lib/http/parse.c lib/http/message.c lib/http/chunked.c \
	lib/http/date.c lib/rt/tm.c
FUZZ_http_request_SRCS := $(HTTP_FUZZ_SRCS)
FUZZ_http_response_SRCS := $(HTTP_FUZZ_SRCS)
FUZZ_http_chunked_SRCS := $(HTTP_FUZZ_SRCS)
FUZZ_http_headers_SRCS := $(HTTP_FUZZ_SRCS)
$(foreach t,http_request http_response http_chunked http_headers,\
	$(eval $(call fuzz_target,$(t))))

# TLS (lib/tls): the engine without its flow layer and store loading,
# with BearSSL and the test helpers that make the targets' credentials.
TLS_FUZZ_SRCS := fuzz/tls_fuzz.c test/unit/tls_certgen.c \
	$(filter-out lib/tls/flow.c lib/tls/kv.c,$(call lib_sources,tls))
define tls_fuzz_target
$(B)/fuzz/$(1): fuzz/$(1).c $(TLS_FUZZ_SRCS) $(wildcard lib/tls/*.h) \
		fuzz/tls_fuzz.h
	@mkdir -p $$(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $$@ $$(filter %.c,$$^) -lbearssl
FUZZ_TARGETS += $(B)/fuzz/$(1)
endef
$(foreach t,tls_record tls_server tls_client tls_x509 tls_pem,\
	$(eval $(call tls_fuzz_target,$(t))))
# Their seeds' writer (fuzz/seeds.sh runs it), a host program.
$(B)/fuzz-tools/tls_seeds: fuzz/tls_seeds.c $(TLS_FUZZ_SRCS) \
		$(wildcard lib/tls/*.h) fuzz/tls_fuzz.h
	@mkdir -p $(@D)
	$(call say,LD,$@)$(CC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^) -lbearssl
TEST_TARGETS += $(B)/fuzz-tools/tls_seeds
# The virtio platform: what it reads from the machine at boot (command
# line, ACPI AML), and its drivers under a hostile device (the fake device
# of test/virtio).
FUZZ_virtio_boot_SRCS := $(addprefix plat/virtio/,aml.c cmdline.c match.c) \
	plat/solo5/cmdline.c plat/solo5/manifest.c
FUZZ_virtio_device_SRCS := $(addprefix plat/virtio/,virtqueue.c device.c \
	net.c blk.c) test/virtio/fake_device.c
$(foreach t,virtio_boot virtio_device,$(eval $(call fuzz_target,$(t))))

# After every target above: TEST_TARGETS expands the list at once.
FUZZ_SECONDS ?= 60
fuzz: $(FUZZ_TARGETS)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_CORPUS=$(abspath $(B))/fuzz-corpus \
		bash test/fuzz/targets.sh
.PHONY: fuzz
ifneq ($(FUZZ_RUNTIME),)
TEST_TARGETS += $(FUZZ_TARGETS)
endif
