# Host programs the benchmarks run.

# The reference ping responder on a tap (bench/net_ping.sh runs it).
$(B)/bench/tap_pong: bench/tap_pong.c
	@mkdir -p $(@D)
	$(call say,LD,$@)$(CC) $(HOST_CFLAGS) -o $@ $<
TEST_TARGETS += $(B)/bench/tap_pong
