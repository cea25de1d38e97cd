# lib/stack: the direct stack devices (direct_stackv4, static_ipv4_stack
# and their v4v6 forms), bundling lib/net's layers with lib/tcp.
$(eval $(call fs_lib,stack,lib/stack/stack.c))
