# lib/clock: the clock devices (default_monotonic_clock,
# default_posix_clock) and the time device (default_time).
$(call library,clock,$(call lib_sources,clock),rt)
