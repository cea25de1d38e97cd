# The spt target (mk/targets.mk; installed as lib/mirage/spt/target.mk for
# the Makefiles `mirage configure` generates): a process for mirage-spt or
# Solo5's solo5-spt, laid out by plat/solo5/link.ld, carrying a Solo5
# manifest of its devices.
TARGET_SUFFIX_spt := .spt
TARGET_MANIFEST_spt := solo5
TARGET_RUNNER_spt := mirage-spt
TARGET_FILES_spt = $(MIRAGE_LIBDIR)/spt/link.ld
TARGET_LDFLAGS_spt = -static -nostdlib -no-pie -Wl,--gc-sections \
	-Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack -Wl,-z,norelro \
	-Wl,--build-id=none -Wl,-T,$(MIRAGE_LIBDIR)/spt/link.ld
