# lib/tcp: TCP (RFC 9293) over an IP device: segments and options, the
# state machine, retransmission, congestion control, SACK, timers, and
# the direct device with blocking flows.
$(call library,tcp,$(call lib_sources,tcp),net random rt)

# Tests: the hosted ones of the pieces, and those on the test network.
$(call unit_test,tcp_units,test/unit/tcp_units_test.c,tcp)
# The engine alone (no fibers), with allocations that can fail.
TCP_WRAP := -Xlinker --wrap=malloc -Xlinker --wrap=calloc \
	-Xlinker --wrap=realloc
$(call unit_test,tcp_engine,test/unit/tcp_engine_test.c \
	test/unit/alloc_fail.c,tcp fake_plat,$(TCP_WRAP))
$(foreach t,tcp_transfer tcp_close tcp_hostile tcp_offload,$(call unit_test,$(t),\
	test/unit/$(t)_test.c test/unit/tcp_harness.c,tcp testnet))
# tcp_device makes allocations fail.
$(call unit_test,tcp_device,test/unit/tcp_device_test.c \
	test/unit/tcp_harness.c,tcp testnet,$(TCP_WRAP))
# tcp_burst makes allocations fail at random.
$(call unit_test,tcp_burst,test/unit/tcp_burst_test.c \
	test/unit/tcp_harness.c test/unit/alloc_fail.c,tcp testnet,$(TCP_WRAP))

# The unikernel of the real-peer tests (test/tcp/tap.sh, tap_solo5.sh).
$(call unikernel,tcp_peer,test/tcp/peer_image.c test/net/peer_stack.c,tcp,\
	unix spt hvt,test/net/peer_manifest.c)

# The C Linux peer of bench/tcp.sh (TCP_BENCH_PEER=c), a host program.
$(B)/bench/tcp_peer: bench/tcp_peer.c
	@mkdir -p $(@D)
	$(call say,LD,$@)$(CC) $(HOST_CFLAGS) -o $@ $<
TEST_TARGETS += $(B)/bench/tcp_peer
