# lib/console: the console devices (default_console, custom_console).
$(eval $(call fs_lib,console,lib/console/console.c))
$(eval $(call unit_test,console_clock,test/unit/test.c \
	test/unit/console_clock.c lib/console/console.c lib/clock/mclock.c \
	lib/clock/pclock.c lib/clock/time.c))
