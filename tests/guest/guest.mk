# Test guests: tests/guest/<name>/main.c + lib/ -> $(BUILD)/guests/<name>.elf (PVH kernels booted as dom0).
#   make guests                 build every test guest
#   make $(BUILD)/guests/hello.elf
# Each guest is an ELF64 linked at 1 MiB carrying XEN_ELFNOTE_PHYS32_ENTRY; hello-elf32.elf is
# the hello guest converted to ELF32 (same code) to exercise the loader's 32-bit ELF path.

GUEST_SRC   := tests/guest
GUEST_OUT   := $(BUILD)/guests
GUEST_NAMES := $(sort $(patsubst $(GUEST_SRC)/%/main.c,%,$(wildcard $(GUEST_SRC)/*/main.c)))

GUEST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -nostdlib -fno-pic -fno-pie \
	-static -fno-stack-protector -mno-red-zone -mgeneral-regs-only -mcmodel=small \
	-fno-asynchronous-unwind-tables -fno-strict-aliasing -fcf-protection=none -fno-builtin \
	-Iinclude -I$(GUEST_SRC)/lib -MMD -MP
GUEST_ASFLAGS := $(filter-out -std=gnu11,$(GUEST_CFLAGS)) -D__ASSEMBLY__
GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
	-Wl,-z,noexecstack -Wl,-T,$(GUEST_SRC)/lib/guest.lds

GUEST_LIB_SRCS := $(sort $(wildcard $(GUEST_SRC)/lib/*.c $(GUEST_SRC)/lib/*.S))
GUEST_LIB_OBJS := $(patsubst $(GUEST_SRC)/lib/%,$(GUEST_OUT)/lib/%.o,$(GUEST_LIB_SRCS))

# Keep the objects: make would otherwise delete them as intermediates of the pattern rules.
.SECONDARY: $(GUEST_LIB_OBJS) $(GUEST_NAMES:%=$(GUEST_OUT)/%/main.c.o)

.PHONY: guests
guests: $(GUEST_NAMES:%=$(GUEST_OUT)/%.elf) $(GUEST_OUT)/hello-elf32.elf

$(GUEST_OUT)/lib/%.c.o: $(GUEST_SRC)/lib/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OUT)/lib/%.S.o: $(GUEST_SRC)/lib/%.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(GUEST_ASFLAGS) -c $< -o $@

$(GUEST_OUT)/%/main.c.o: $(GUEST_SRC)/%/main.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OUT)/%.elf: $(GUEST_OUT)/%/main.c.o $(GUEST_LIB_OBJS) $(GUEST_SRC)/lib/guest.lds
	@echo "  LD      $@"
	@$(CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $< $(GUEST_LIB_OBJS)

$(GUEST_OUT)/hello-elf32.elf: $(GUEST_OUT)/hello.elf
	@echo "  OBJCOPY $@"
	@$(OBJCOPY) -O elf32-i386 $< $@
