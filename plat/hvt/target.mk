# The hvt target, for Makefiles that link unikernels (installed as
# lib/mirage/hvt/target.mk). Set TARGET_DIR to this file's directory; the
# image is linked as
#   $(CC) $(TARGET_LDFLAGS) -o dist/NAME$(TARGET_SUFFIX) $(TARGET_DIR)/start.o \
#     OBJS -Wl,--start-group LIBS $(TARGET_DIR)/libplat.a -Wl,--end-group -lgcc
# and must include an object holding the manifest (SOLO5_MANIFEST).
TARGET_SUFFIX := .hvt
TARGET_LDFLAGS = -static -nostdlib -no-pie -Wl,--gc-sections \
	-Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack -Wl,-z,norelro \
	-Wl,--build-id=none -Wl,-T,$(TARGET_DIR)/link.ld
