# lib/conduit: conduit_direct (conduit.h), TCP and TLS endpoints over a
# stack as flows.
$(eval $(call fs_lib,conduit,lib/conduit/conduit.c))
