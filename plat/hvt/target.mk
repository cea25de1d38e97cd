# The hvt target (mk/targets.mk; installed as lib/mirage/hvt/target.mk for
# the Makefiles `mirage configure` generates): a KVM guest for mirage-hvt
# or Solo5's solo5-hvt, laid out by plat/solo5/link.ld, carrying a Solo5
# manifest of its devices.
TARGET_SUFFIX_hvt := .hvt
TARGET_MANIFEST_hvt := solo5
TARGET_RUNNER_hvt := mirage-hvt
TARGET_FILES_hvt = $(MIRAGE_LIBDIR)/hvt/link.ld
TARGET_LDFLAGS_hvt = -static -nostdlib -no-pie -Wl,--gc-sections \
	-Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack -Wl,-z,norelro \
	-Wl,--build-id=none -Wl,-T,$(MIRAGE_LIBDIR)/hvt/link.ld
