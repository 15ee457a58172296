# libguest (the PVH domain builder) of the dom0 tool libraries, plus the hypervisor's pure-logic
# sources it reuses (built hosted with -DHV_HOSTED; rules in tools/libs/call/tool.mk).
XTOOLS_GUEST_HV_SRCS := hv/common/pvh_build.c hv/common/acpi_build.c hv/common/libelf.c \
	hv/common/bzimage.c $(sort $(wildcard hv/common/decompress/*.c))
XTOOLS_GUEST_SRCS := $(wildcard tools/libs/guest/*.c)
XTOOLS_SRCS += $(XTOOLS_GUEST_SRCS) $(XTOOLS_GUEST_HV_SRCS)
$(XTOOLS_LIB): $(patsubst %.c,$(XTOOLS_OBJDIR)/%.o,$(XTOOLS_GUEST_SRCS) $(XTOOLS_GUEST_HV_SRCS))
# The builder includes the hypervisor's headers (hv/pvh_build.h, ...) in their hosted form.
$(patsubst %.c,$(XTOOLS_OBJDIR)/%.o,$(XTOOLS_GUEST_SRCS)): XTOOLS_CFLAGS += -DHV_HOSTED -Ihv/include

# Host test: the whole builder into an in-memory domain, with Debian's vmlinux and vmlinuz.
$(BUILD)/tools/libs/tests/test-guest: tests/tools/libs/test-guest.c tests/tools/libs/check.h \
		$(XTOOLS_ALL_SRCS) $(XTOOLS_GUEST_HV_SRCS) $(wildcard tools/libs/*/*.h)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(CC) $(TOOLS_TEST_CFLAGS) -DHV_HOSTED -Ihv/include -Itools/libs -Itests/tools/libs -o $@ \
		$< $(XTOOLS_ALL_SRCS) $(XTOOLS_GUEST_HV_SRCS)

.PHONY: xtools-guest-check
xtools-guest-check: $(BUILD)/tools/libs/tests/test-guest cache/kernel-version
	$(BUILD)/tools/libs/tests/test-guest cache/vmlinux cache/vmlinuz
TOOLS_CHECKS += xtools-guest-check
