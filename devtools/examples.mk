# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors

# Build one example of the pack with plain make and pkg-config, the way a
# user builds against an installed DPDK and an installed librte_mpsupport:
#
#   make -f devtools/examples.mk APP=dpdk-simple_mp \
#        SRCDIR=examples/multi_process/simple_mp \
#        SRCS="commands.cpp main.cpp messaging.cpp" [INCDIRS="../common"] [static]
#
# SRCS and INCDIRS are relative to SRCDIR. Point PKG_CONFIG_PATH at the
# directory holding librte_mpsupport.pc when it is not installed system-wide;
# libdpdk.pc is found the same way (or in the system path).

APP ?= $(error set APP, the binary name)
SRCDIR ?= $(error set SRCDIR, the example directory)
SRCS ?= $(error set SRCS, the sources relative to SRCDIR)
INCDIRS ?=
BUILDDIR ?= build
PKGCONF ?= pkg-config
PC_MODULES ?= libdpdk librte_mpsupport

ifneq ($(shell $(PKGCONF) --exists $(PC_MODULES) && echo yes),yes)
$(error "no installation of $(PC_MODULES) found by $(PKGCONF)")
endif

comma := ,

# DPDK's headers are not ours to keep free of warnings: take them as system
# headers, as the Meson build does.
PC_CFLAGS := $(patsubst -I%,-isystem%,$(shell $(PKGCONF) --cflags $(PC_MODULES)))
WARNINGS := -Wall -Wextra -Werror -Wno-missing-field-initializers
CPPFLAGS += -DALLOW_EXPERIMENTAL_API $(addprefix -I$(SRCDIR)/,$(INCDIRS)) -I$(SRCDIR)
CFLAGS += -O2 -std=gnu11 $(WARNINGS) $(PC_CFLAGS)
CXXFLAGS += -O2 -std=c++17 $(WARNINGS) $(PC_CFLAGS)
LIBDIR := $(shell $(PKGCONF) --variable=libdir librte_mpsupport 2>/dev/null)
LDFLAGS_SHARED := $(shell $(PKGCONF) --libs $(PC_MODULES)) \
	$(if $(LIBDIR),-Wl$(comma)-rpath$(comma)$(LIBDIR))
# Static: our archive, then DPDK's own static link line (which lists each
# DPDK archive once; asking for both modules would list them twice).
LDFLAGS_STATIC := $(if $(LIBDIR),$(LIBDIR)/librte_mpsupport.a) \
	$(shell $(PKGCONF) --static --libs libdpdk)

# Executables are PIE either way: one set of objects serves both links.
# Sources may live above SRCDIR (../common/x.cpp): their objects go to up/.
obj_of = $(BUILDDIR)/obj/$(subst ../,up/,$(1)).o
OBJS := $(foreach s,$(SRCS),$(call obj_of,$(s)))

define compile_rule
$(call obj_of,$(1)): $(SRCDIR)/$(1)
	@mkdir -p $$(dir $$@)
	$(if $(filter %.c,$(1)),$$(CC) $$(CPPFLAGS) $$(CFLAGS),$$(CXX) $$(CPPFLAGS) $$(CXXFLAGS)) \
		-c -o $$@ $$<
endef
$(foreach s,$(SRCS),$(eval $(call compile_rule,$(s))))

.PHONY: all shared static clean
all: shared
shared: $(BUILDDIR)/$(APP)-shared
static: $(BUILDDIR)/$(APP)-static

$(BUILDDIR)/$(APP)-shared: $(OBJS)
	$(CXX) -o $@ $^ $(LDFLAGS) $(LDFLAGS_SHARED) -lpthread

$(BUILDDIR)/$(APP)-static: $(OBJS)
	$(CXX) -o $@ $^ $(LDFLAGS) $(LDFLAGS_STATIC) -lpthread

clean:
	rm -rf $(BUILDDIR)
