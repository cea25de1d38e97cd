# lib/console: the console devices (default_console, custom_console).
$(call library,console,$(call lib_sources,console),rt)

# With the clock and time devices, on the test's own fake platform.
$(call unit_test,console_clock,test/unit/console_clock.c,console clock)
