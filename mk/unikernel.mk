# Generic rules of the Makefiles `mirage configure` generates (installed
# as lib/mirage/unikernel.mk). The generated Makefile sets
#   MIRAGE_ROOT   the tool's installation root
#   NAME, TARGET  the image's name and target
#   CONFIG_FILE   the configuration file (config.c)
#   MIRAGE_LIBS   the libraries the selected devices need (libmirage_*.a
#                 names without the prefix), what they need included
#   PKG_LIBS      the packages' link flags
#   GEN_SRCS      the C sources configure generated (mirage/main.c, the
#                 manifest, the devices' files): the recorded list
#   APP_SOURCES   more application sources: make wildcard patterns
#                 (mirage_register's .sources)
#   APP_CFLAGS    more compiler flags for the application
#                 (mirage_register's .cflags)
# then includes this file. The application's *.c files (config.c
# excepted), APP_SOURCES and GEN_SRCS are compiled freestanding and with
# -Werror, with `-include mirage/start.h`; objects go to mirage/obj/,
# the image to dist/$(NAME) plus the target's suffix, linked by
# mk/link.mk's mirage_link.
#
# mirage/inputs.mk, which configure writes, lists config.c and every file
# and directory the devices' configure actions read (CONFIG_INPUTS): when
# one changes, appears or disappears, make configures again with the
# cached arguments, then reads the new Makefile and builds.
.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:

MIRAGE_LIBDIR := $(MIRAGE_ROOT)/lib/mirage
MIRAGE_INC := $(MIRAGE_ROOT)/include
include $(MIRAGE_LIBDIR)/freestanding.mk
include $(MIRAGE_LIBDIR)/$(TARGET)/target.mk
include $(MIRAGE_LIBDIR)/link.mk
CC := gcc
FS_CFLAGS += -ffile-prefix-map=$(CURDIR)=.

APP_SRCS := $(sort $(filter-out config.c,$(wildcard *.c)) \
	$(wildcard $(APP_SOURCES)))
OBJS := $(patsubst %.c,mirage/obj/%.o,$(APP_SRCS) $(GEN_SRCS))
ARCHIVES := $(patsubst %,$(MIRAGE_LIBDIR)/libmirage_%.a,$(MIRAGE_LIBS))
IMAGE := dist/$(NAME)$(TARGET_SUFFIX_$(TARGET))

all: $(IMAGE)

include mirage/inputs.mk
mirage/inputs.mk: $(CONFIG_INPUTS)
	$(MIRAGE_ROOT)/bin/mirage configure --cached -f $(CONFIG_FILE)

$(IMAGE): $(OBJS) $(ARCHIVES) $(call target_files,$(TARGET))
	@mkdir -p $(@D)
	$(call mirage_link,$@,$(TARGET),$(OBJS),$(ARCHIVES),$(PKG_LIBS))

mirage/obj/%.o: %.c mirage/start.h Makefile
	@mkdir -p $(@D)
	$(CC) $(FS_CFLAGS) $(APP_CFLAGS) -include mirage/start.h -MMD -MP \
		-c $< -o $@

clean:
	rm -rf mirage/obj dist

-include $(OBJS:.o=.d)
.PHONY: all clean
