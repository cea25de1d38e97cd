# plat/virtio: the guest bindings for the virtio target (an image QEMU,
# Firecracker and cloud-hypervisor boot by PVH, GRUB by multiboot, with
# virtio-net and virtio-blk devices over virtio-mmio and virtio-pci),
# built with the shared Solo5 guest code by the rules in
# plat/solo5/rules.mk: libplat.a, start.o and link.ld (plat/virtio's own)
# in $(B)/lib/mirage/virtio/, the test guests of test/virtio/guests in
# $(B)/test-images/; and the hosted unit tests of its pure parts.
include plat/solo5/rules.mk
$(call solo5_target,virtio)

$(call unit_test,virtio_queue,test/virtio/fake_device.c \
	test/virtio/virtqueue_test.c $(addprefix plat/virtio/,virtqueue.c \
	device.c net.c blk.c))
$(call unit_test,virtio_boot,test/virtio/boot_test.c \
	$(addprefix plat/virtio/,aml.c bootinfo.c cmdline.c match.c rtc.c) \
	plat/solo5/cmdline.c plat/solo5/manifest.c)

# The TCP test unikernel of lib/tcp/module.mk (test/tcp/peer.bash) on
# virtio too, for test/tcp/offload.sh and test/virtio/offload.sh.
UK_tcp_peer_TARGETS += virtio
$(call unit_test,virtio_net_offload,test/virtio/fake_device.c \
	test/virtio/net_offload_test.c $(addprefix plat/virtio/,virtqueue.c \
	device.c net.c))
