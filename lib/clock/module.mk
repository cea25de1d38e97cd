# lib/clock: the clock devices (default_monotonic_clock,
# default_posix_clock) and the time device (default_time).
$(eval $(call fs_lib,clock,lib/clock/mclock.c lib/clock/pclock.c \
	lib/clock/time.c))
