# plat/solo5: the guest-side code the Solo5-style targets (hvt, spt,
# virtio) share. Its sources are compiled into each of those targets'
# libplat.a by their own module.mk; here are only its hosted unit tests.
$(call unit_test,solo5_cmdline,test/unit/solo5_cmdline_test.c \
	plat/solo5/cmdline.c)
$(call unit_test,solo5_manifest,test/unit/solo5_manifest_test.c \
	plat/solo5/manifest.c,tender_common)
