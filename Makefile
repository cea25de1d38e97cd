# MirageC top-level build: one non-recursive GNU make over the whole tree.
# Every directory adds its pieces in a module.mk using the functions of
# mk/rules.mk (the order the module.mk files are read in does not
# matter); everything lands in $(B), laid out as it is installed:
#   $(B)/bin/                     the mirage tool and the tenders
#   $(B)/include -> ../include    public headers (a link in the tree)
#   $(B)/lib/mirage/              freestanding libraries, the host
#                                 configuration library, the make files
#                                 the generated Makefiles include
#   $(B)/lib/mirage/<target>/     platform library, start code, target.mk
# and, not installed: $(B)/san/ (the libraries built for the unit tests),
# $(B)/test/ (unit tests), $(B)/test-images/ (test unikernels), $(B)/gen/.
.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:

B := build
PREFIX ?= /usr/local
DESTDIR ?=
VERSION := 0.1.0

include mk/flags.mk
include mk/rules.mk
include mk/link.mk
include mk/targets.mk
include $(sort $(wildcard tool/module.mk lib/*/module.mk plat/*/module.mk \
                          tender/*/module.mk test/module.mk bench/module.mk \
                          fuzz/module.mk))
$(mk_finish)

all: $(ALL_TARGETS) $(B)/include

tests: $(TEST_TARGETS)

$(B)/include:
	@mkdir -p $(B)
	ln -sfn ../include $@

# The dependency installer: idempotent, installs only what is missing.
deps:
	@scripts/install-deps.sh

check: deps
	@$(MAKE) --no-print-directory all tests
	@test/run

demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh

bench:
	@scripts/install-deps.sh bench
	@$(MAKE) --no-print-directory all
	@bench/run

install: all
	scripts/install.sh "$(B)" "$(DESTDIR)$(PREFIX)"

clean:
	rm -rf $(B)

.PHONY: all deps check demo bench install clean tests
