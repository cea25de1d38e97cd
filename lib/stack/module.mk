# lib/stack: the direct stack devices (direct_stackv4, static_ipv4_stack
# and their v4v6 forms), bundling lib/net's layers with lib/tcp.
$(call library,stack,$(call lib_sources,stack),net tcp rt)
