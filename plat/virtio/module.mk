# plat/virtio: the guest bindings for the virtio target (an image QEMU,
# Firecracker and cloud-hypervisor boot by PVH, GRUB by multiboot, with
# virtio-net and virtio-blk devices over virtio-mmio and virtio-pci),
# with the shared Solo5 guest code of plat/solo5: libplat.a, start.o and
# link.ld (plat/virtio's own) in $(B)/lib/mirage/virtio/; and the hosted
# unit tests of its pure parts (test/virtio/).
$(call plat_lib,virtio,$(filter-out plat/virtio/start.c,$(wildcard \
	plat/virtio/*.c plat/virtio/*.S)) $(wildcard plat/solo5/*.c),\
	plat/virtio/start.c)
$(call install_file,plat/virtio/link.ld,$(B)/lib/mirage/virtio/link.ld)

$(call unit_test,virtio_queue,test/virtio/fake_device.c \
	test/virtio/virtqueue_test.c $(addprefix plat/virtio/,virtqueue.c \
	device.c net.c blk.c))
$(call unit_test,virtio_boot,test/virtio/boot_test.c \
	$(addprefix plat/virtio/,aml.c bootinfo.c cmdline.c match.c rtc.c) \
	plat/solo5/cmdline.c)
