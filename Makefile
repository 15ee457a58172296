# Xenolith top-level build: hypervisor image, unit/ABI checks, QEMU system tests.
#   make            build build/xenolith (multiboot, for qemu -kernel) and build/xenolith.gz (multiboot2, for GRUB)
#   make test       install missing packages, fetch Debian's kernel, run every check and system test
#   make run        boot the stack in QEMU with dom0's console on this terminal

BUILD   ?= build
CC      := gcc
LD      := ld
OBJCOPY := objcopy

HV_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	-mno-red-zone -mgeneral-regs-only -mcmodel=small -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -fno-strict-aliasing -fcf-protection=none \
	-Iinclude -Ihv/include -Ihv/arch/x86/include -MMD -MP
HV_ASFLAGS := $(filter-out -std=gnu11,$(HV_CFLAGS)) -D__ASSEMBLY__

HV_C_SRCS := $(sort $(shell find hv -name '*.c' ! -name 'asm-offsets.c'))
HV_S_SRCS := $(sort $(shell find hv -name '*.S' ! -name '*.lds.S'))
HV_OBJS   := $(patsubst %.c,$(BUILD)/%.o,$(HV_C_SRCS)) $(patsubst %.S,$(BUILD)/%.o,$(HV_S_SRCS))

.PHONY: all hv clean test check unit abi format-check format run deps kernel system-test guests bench bench-create
all: hv guests abi tools initramfs

hv: $(BUILD)/xenolith $(BUILD)/xenolith.gz

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(HV_CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.S $(BUILD)/asm-offsets.h
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(HV_ASFLAGS) -I$(BUILD) -c $< -o $@

# Struct offsets used by assembly, generated from C so they can never drift.
$(BUILD)/asm-offsets.h: hv/arch/x86/asm-offsets.c
	@mkdir -p $(dir $@)
	$(CC) $(HV_CFLAGS) -S $< -o $(BUILD)/asm-offsets.s
	sed -n 's/.*@@OFFSET \([A-Z_0-9]*\) \$$\{0,1\}\([0-9-]*\).*/#define \1 \2/p' $(BUILD)/asm-offsets.s > $@

$(BUILD)/hv.lds: hv/arch/x86/hv.lds.S
	@mkdir -p $(dir $@)
	$(CC) -E -P -D__ASSEMBLY__ -Ihv/arch/x86/include -x c $< -o $@

$(BUILD)/xenolith: $(HV_OBJS) $(BUILD)/hv.lds
	$(LD) -n -nostdlib --no-warn-rwx-segments -z max-page-size=4096 -z noexecstack -T $(BUILD)/hv.lds -o $@ $(HV_OBJS)

$(BUILD)/xenolith.gz: $(BUILD)/xenolith
	gzip -9 -n -c $< > $@

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# ---- host-side checks ----
include tests/unit/unit.mk
include tests/abi/abi.mk
include tests/guest/guest.mk
# tools.mk first: the dom0 image rule in system.mk lists the tools as prerequisites.
include tools/tools.mk
include tests/system/system.mk

FORMAT_SRCS = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
format-check:
	@clang-format --dry-run --Werror $(FORMAT_SRCS) && echo "format-check: OK"
format:
	clang-format -i $(FORMAT_SRCS)

deps:
	@scripts/deps.sh

kernel: deps
	@scripts/fetch-kernel.sh

check: unit abi format-check tools-check

test: deps
	$(MAKE) all
	$(MAKE) check
	$(MAKE) kernel
	$(MAKE) system-test

run: deps
	$(MAKE) all kernel initramfs
	scripts/run.sh

bench: deps
	$(MAKE) all kernel initramfs
	bench/boot/run.sh

# `xl create` time and create -> guest marker, Xenolith vs Xen 4.17 (bench/create/run.sh).
bench-create: deps
	$(MAKE) all kernel initramfs
	bench/create/run.sh

clean:
	rm -rf $(BUILD)

# ==== GRUB: install, ISO images, GRUB tests (scripts/grub/, tools/grub/) ====
#   make install [DESTDIR=dir]   $(DESTDIR)/boot/xenolith-<version>.gz + xenolith.gz link,
#                                $(DESTDIR)/etc/grub.d/20_xenolith (then run update-grub yourself)
#   make grub-iso                build/grub/xenolith.iso: GRUB (BIOS + UEFI) boots Xenolith + dom0;
#                                GRUB_ISO_ARGS='--entry generated' or '--system xen' are passed on
#   make grub-test               the GRUB and install tests only (tests/system/test_grub*, test_install)
DESTDIR       ?=
GRUB_ISO_ARGS ?=
.PHONY: install grub-iso grub-test

install: $(BUILD)/xenolith.gz
	scripts/grub/install.sh $(BUILD)/xenolith.gz "$(DESTDIR)"

grub-iso: deps
	$(MAKE) all kernel initramfs
	XENOLITH_HV=$(abspath $(BUILD)/xenolith) $(PYTHON3) scripts/grub/grub_iso.py $(GRUB_ISO_ARGS)

grub-test: $(BUILD)/xenolith kernel initramfs
	XENOLITH_HV=$(abspath $(BUILD)/xenolith) XENOLITH_INITRD=$(abspath $(DOM0_INITRD)) \
	  $(PYTHON3) tests/system/run_tests.py -k test_grub -k test_install $(SYSTEM_TEST_ARGS)
# ==== end of GRUB block ====
