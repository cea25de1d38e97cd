# The unix target, for the Makefiles `mirage configure` generates
# (installed as lib/mirage/unix/target.mk). An image is a static Linux
# executable without libc, started by start.o's _start; the default GNU ld
# layout is used. No build id, so identical inputs give identical images.
TARGET_SUFFIX :=
TARGET_LDFLAGS := -static -nostdlib -no-pie -Wl,--gc-sections \
	-Wl,--build-id=none -Wl,-z,noexecstack
