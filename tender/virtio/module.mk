# mirage-virtio, the QEMU launcher for virtio images: a shell script
# copied into $(B)/bin beside the tenders.
$(call install_file,tender/virtio/mirage-virtio,$(B)/bin/mirage-virtio)
