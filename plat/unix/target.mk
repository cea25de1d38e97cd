# The unix target (mk/targets.mk; installed as lib/mirage/unix/target.mk
# for the Makefiles `mirage configure` generates): an image is a static
# Linux executable without libc, started by start.o's _start, in the
# default GNU ld layout. No build id, so identical inputs give identical
# images.
TARGET_SUFFIX_unix :=
TARGET_MANIFEST_unix :=
TARGET_RUNNER_unix :=
TARGET_FILES_unix :=
TARGET_LDFLAGS_unix := -static -nostdlib -no-pie -Wl,--gc-sections \
	-Wl,--build-id=none -Wl,-z,noexecstack
