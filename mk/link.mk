# The link of a unikernel image: one function for the Makefiles `mirage
# configure` generates (through unikernel.mk, which includes the installed
# copy, lib/mirage/link.mk) and for the tree's own test images
# (mk/rules.mk's unikernel). Set MIRAGE_LIBDIR (the directory holding
# libmirage_*.a and one directory per target) and include the target's
# target.mk before expanding it.
#
#   $(call mirage_link,OUT,TARGET,OBJS,ARCHIVES[,LINK_FLAGS])
#
# links OBJS after the target's start.o, with ARCHIVES, LINK_FLAGS (the
# packages' -l flags) and the target's libplat.a in one group: static,
# no libc, unused sections dropped (TARGET_LDFLAGS_<target>).
mirage_link = $(CC) $(TARGET_LDFLAGS_$(2)) -o $(1) \
	$(MIRAGE_LIBDIR)/$(2)/start.o $(3) -Wl,--start-group $(4) $(5) \
	$(MIRAGE_LIBDIR)/$(2)/libplat.a -Wl,--end-group -lgcc
# What an image of TARGET depends on besides its objects and archives.
target_files = $(MIRAGE_LIBDIR)/$(1)/start.o $(MIRAGE_LIBDIR)/$(1)/libplat.a \
	$(TARGET_FILES_$(1))
