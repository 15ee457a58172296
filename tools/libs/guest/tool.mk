# libguest (the PVH domain builder) of the dom0 tool libraries, plus the hypervisor's pure-logic
# sources it reuses (built hosted with -DHV_HOSTED; rules in tools/libs/call/tool.mk).
XTOOLS_GUEST_HV_SRCS := hv/common/pvh_build.c hv/common/acpi_build.c hv/common/libelf.c \
	hv/common/bzimage.c $(sort $(wildcard hv/common/decompress/*.c))
XTOOLS_GUEST_SRCS := $(wildcard tools/libs/guest/*.c)
XTOOLS_SRCS += $(XTOOLS_GUEST_SRCS) $(XTOOLS_GUEST_HV_SRCS)
$(XTOOLS_LIB): $(patsubst %.c,$(XTOOLS_OBJDIR)/%.o,$(XTOOLS_GUEST_SRCS) $(XTOOLS_GUEST_HV_SRCS))
# The builder includes the hypervisor's headers (hv/pvh_build.h, ...) in their hosted form.
$(patsubst %.c,$(XTOOLS_OBJDIR)/%.o,$(XTOOLS_GUEST_SRCS)): XTOOLS_CFLAGS += -DHV_HOSTED -Ihv/include
