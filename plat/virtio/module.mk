# plat/virtio: the guest bindings for the virtio target (an image QEMU,
# Firecracker and cloud-hypervisor boot by PVH, GRUB by multiboot, with
# virtio-net and virtio-blk devices over virtio-mmio and virtio-pci),
# with the shared Solo5 guest code of plat/solo5: libplat.a, start.o and
# link.ld (plat/virtio's own) in $(B)/lib/mirage/virtio/.
$(call plat_lib,virtio,$(filter-out plat/virtio/start.c,$(wildcard \
	plat/virtio/*.c plat/virtio/*.S)) $(wildcard plat/solo5/*.c),\
	plat/virtio/start.c)
$(call install_file,plat/virtio/link.ld,$(B)/lib/mirage/virtio/link.ld)
