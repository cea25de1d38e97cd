# The virtio target (mk/targets.mk; installed as lib/mirage/virtio/target.mk
# for the Makefiles `mirage configure` generates): one ELF that QEMU's
# -kernel, Firecracker and cloud-hypervisor boot by PVH and GRUB by
# multiboot, laid out by plat/virtio/link.ld, carrying a Solo5 manifest
# of its devices, which the guest gives the virtio devices it finds.
TARGET_SUFFIX_virtio := .virtio
TARGET_MANIFEST_virtio := solo5
TARGET_RUNNER_virtio := mirage-virtio
TARGET_FILES_virtio = $(MIRAGE_LIBDIR)/virtio/link.ld
TARGET_LDFLAGS_virtio = -static -nostdlib -no-pie -Wl,--gc-sections \
	-Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack -Wl,-z,norelro \
	-Wl,--build-id=none -Wl,-T,$(MIRAGE_LIBDIR)/virtio/link.ld
