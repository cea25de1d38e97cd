# Generic rules for the Makefiles `mirage configure` generates. The
# generated Makefile sets MIRAGE_ROOT (the tool's installation root), NAME
# (the image's name), TARGET, PKG_LIBS (link flags of the packages) and
# EXTRA_SRCS (generated sources beside mirage/main.c), then includes this
# file from $(MIRAGE_ROOT)/lib/mirage/.
#
# Every *.c of the application directory except config.c, plus
# mirage/main.c, EXTRA_SRCS and the other generated mirage/*.c (the
# devices' configure actions write some), is compiled freestanding with
# `-include mirage/start.h`; objects go to mirage/obj/, the image to
# dist/$(NAME)$(TARGET_SUFFIX).
.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:

TARGET_DIR := $(MIRAGE_ROOT)/lib/mirage/$(TARGET)
MIRAGE_INC := $(MIRAGE_ROOT)/include
include $(MIRAGE_ROOT)/lib/mirage/freestanding.mk
include $(TARGET_DIR)/target.mk
CC := gcc
FS_CFLAGS += -ffile-prefix-map=$(CURDIR)=.

APP_SRCS := $(filter-out config.c,$(sort $(wildcard *.c))) mirage/main.c \
	$(EXTRA_SRCS) $(filter-out mirage/main.c $(EXTRA_SRCS),\
	$(sort $(wildcard mirage/*.c)))
APP_OBJS := $(patsubst %.c,mirage/obj/%.o,$(APP_SRCS))
MIRAGE_LIBS := $(filter-out %/libmirage_config.a,\
	$(sort $(wildcard $(MIRAGE_ROOT)/lib/mirage/libmirage_*.a)))
IMAGE := dist/$(NAME)$(TARGET_SUFFIX)

all: $(IMAGE)

$(IMAGE): $(APP_OBJS) $(MIRAGE_LIBS) $(TARGET_DIR)/libplat.a \
		$(TARGET_DIR)/start.o
	@mkdir -p $(@D)
	$(CC) $(TARGET_LDFLAGS) -o $@ $(TARGET_DIR)/start.o $(APP_OBJS) \
		-Wl,--start-group $(MIRAGE_LIBS) $(PKG_LIBS) \
		$(TARGET_DIR)/libplat.a -Wl,--end-group -lgcc

mirage/obj/%.o: %.c mirage/start.h Makefile
	@mkdir -p $(@D)
	$(CC) $(FS_CFLAGS) -include mirage/start.h -MMD -MP -c $< -o $@

clean:
	rm -rf mirage/obj dist

-include $(APP_OBJS:.o=.d)
.PHONY: all clean
