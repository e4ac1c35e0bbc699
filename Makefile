# lunatik-pipeline: one entry point.
#
#   make deps     install packages, kernel trees and Lua source (as root)
#   make          Lua port, kernel module for every target kernel, BPF, userspace
#   make test     host tier + VM tier on every kernel; ends with "N passed, N failed"
#   make demo     the main job: start the VM and run the demo pipeline in it
#
# Kernel series are built side by side; SERIES="6.12" limits a run to one.

SERIES ?= 6.12 6.1
JOBS ?= $(shell nproc)
BUILD := $(CURDIR)/build
DEPS := $(BUILD)/deps
LUA_SRC := $(DEPS)/lua/src
LUA_OUT := $(BUILD)/lua
USERSPACE := $(BUILD)/userspace
CMAKE_BUILD_TYPE ?= RelWithDebInfo

.PHONY: all deps lua-port kmod userspace bpf test test-host test-vm demo \
	install clean distclean $(addprefix kmod-,$(SERIES))

all: lua-port kmod userspace bpf

deps:
	SERIES="$(SERIES)" scripts/deps.sh

$(LUA_SRC)/lua.h:
	@echo "missing Lua source: run 'make deps' first" >&2; exit 1

# The patched tree is rebuilt whenever the port step or the source changes.
LUA_PORT_INPUTS := $(shell find kmod/lua -type f 2>/dev/null)
$(LUA_OUT)/.stamp: $(LUA_SRC)/lua.h $(LUA_PORT_INPUTS)
	kmod/lua/port.sh $(LUA_SRC) $(LUA_OUT)
	touch $@

lua-port: $(LUA_OUT)/.stamp

# Stage the module sources with the patched Lua under build/kmod/<series>
# (Kbuild needs one tree) and build against the cached headers; rsync keeps
# mtimes so rebuilds stay incremental. KMOD_KEEP protects build products
# from --delete.
KMOD_KEEP := $(foreach p,*.o *.ko *.mod *.mod.c .*.cmd Module.symvers \
	modules.order .tmp_* include/ *.a,'--filter=P $(p)')
kmod: $(addprefix kmod-,$(SERIES))

$(addprefix kmod-,$(SERIES)): kmod-%: lua-port
	@test -e $(DEPS)/kernel/$*/.done || \
		{ echo "missing kernel tree $*: run 'make deps'" >&2; exit 1; }
	@mkdir -p $(BUILD)/kmod/$*
	rsync -a --delete --exclude /lua/ $(KMOD_KEEP) kmod/ $(BUILD)/kmod/$*/
	rsync -a $(LUA_OUT)/ $(BUILD)/kmod/$*/lua/ --exclude .stamp
	rsync -a --delete include/ $(BUILD)/kmod/$*/include/
	$(MAKE) -C $(DEPS)/kernel/$*/kdir M=$(BUILD)/kmod/$* -j$(JOBS) modules
	@mkdir -p $(BUILD)/kmod-selftest/$*
	rsync -a tests/vm/kmod/ $(BUILD)/kmod-selftest/$*/
	$(MAKE) -C $(DEPS)/kernel/$*/kdir M=$(BUILD)/kmod-selftest/$* \
		KBUILD_EXTRA_SYMBOLS=$(BUILD)/kmod/$*/Module.symvers modules

# The host tests load the BPF objects (tests/bpf).
userspace: lua-port bpf
	cmake -S . -B $(USERSPACE) -DCMAKE_BUILD_TYPE=$(CMAKE_BUILD_TYPE) >/dev/null
	cmake --build $(USERSPACE) -j$(JOBS)

# BPF objects (bpf/*.bpf.c) arrive with the XDP issue; built when present.
BPF_SRCS := $(wildcard bpf/*.bpf.c)
BPF_OBJS := $(patsubst bpf/%.bpf.c,$(BUILD)/bpf/%.bpf.o,$(BPF_SRCS))
# UAPI headers include <asm/types.h>, which lives in the multiarch directory.
BPF_SYS_INC := -idirafter /usr/include/$(shell gcc -dumpmachine)
bpf: $(BPF_OBJS)
$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c $(wildcard bpf/*.h)
	@mkdir -p $(@D)
	clang -O2 -g -Wall -Werror -target bpf -D__TARGET_ARCH_x86 \
		-I bpf -I include $(BPF_SYS_INC) -c $< -o $@

test: all
	tests/run-all.sh

test-host: userspace
	tests/run-all.sh --host-only

test-vm: lua-port kmod userspace
	tests/run-all.sh --vm-only

demo: all
	tests/vm/run --kernel $(firstword $(SERIES)) examples/demo/run.sh

install: all
	cmake --install $(USERSPACE)

clean:
	rm -rf $(BUILD)/kmod $(BUILD)/lua $(BUILD)/userspace $(BUILD)/bpf $(BUILD)/vm

distclean:
	rm -rf $(BUILD)
