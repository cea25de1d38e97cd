# lib/dns_unix: resolver_unix_system, the stub resolver of lib/dns over
# the host's sockets (lib/socket) with the servers of the host's
# /etc/resolv.conf; unix only (it calls plat/unix/hostfs.h, which only the
# unix platform library provides).
$(eval $(call fs_lib,dns_unix,lib/dns_unix/system.c))

# The unikernel of its real-peer test (test/dhcp/dnsmasq.sh), linked
# exactly as a unix unikernel is.
DNS_UNIX_LIBS := $(patsubst %,$(B)/lib/mirage/libmirage_%.a,\
	dns_unix dns socket net random rt)
DNS_UNIX_OBJ := $(call fs_obj,test/dhcp/system_image.c test/dhcp/lookups.c)
$(B)/test-images/dns_system: $(DNS_UNIX_OBJ) $(B)/lib/mirage/unix/start.o \
		$(B)/lib/mirage/unix/libplat.a $(DNS_UNIX_LIBS)
	@mkdir -p $(@D)
	$(CC) $(PLAT_UNIX_LDFLAGS) -o $@ $(B)/lib/mirage/unix/start.o \
		$(DNS_UNIX_OBJ) -Wl,--start-group $(DNS_UNIX_LIBS) \
		$(B)/lib/mirage/unix/libplat.a -Wl,--end-group -lgcc
TEST_TARGETS += $(B)/test-images/dns_system
