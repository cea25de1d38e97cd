# lib/socket: the socket stack (socket_stackv4, socket_udpv4,
# socket_tcpv4 ...), UDP and TCP over the host kernel's sockets through
# plat/unix/hostsock.h; linked into unix images only.
SOCKET_SRCS := $(wildcard lib/socket/*.c)
$(eval $(call fs_lib,socket,$(SOCKET_SRCS)))

# The test image test/socket/socket.sh runs: a unix unikernel linked as
# any other, with the libraries it uses.
SOCKET_TEST_LIBS := $(patsubst %,$(B)/lib/mirage/libmirage_%.a,\
	socket net rt)
$(B)/test-images/socket_unix: $(call fs_obj,test/socket/socket_test.c) \
		$(B)/lib/mirage/unix/start.o $(B)/lib/mirage/unix/libplat.a \
		$(SOCKET_TEST_LIBS)
	@mkdir -p $(@D)
	$(CC) $(PLAT_UNIX_LDFLAGS) -o $@ $(B)/lib/mirage/unix/start.o \
		$(call fs_obj,test/socket/socket_test.c) -Wl,--start-group \
		$(SOCKET_TEST_LIBS) $(B)/lib/mirage/unix/libplat.a \
		-Wl,--end-group -lgcc
TEST_TARGETS += $(B)/test-images/socket_unix
