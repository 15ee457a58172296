# Dom0 tool libraries: the shared rules for $(XTOOLS_LIB) (every tools/libs/*/tool.mk adds its
# sources to XTOOLS_SRCS and its objects as prerequisites of the archive) plus libxencall's part.
# Tools link `$(XTOOLS_LIB) $(XTOOLS_LDLIBS)`; host tests of the libraries are in tests/tools/libs.
XTOOLS_OBJDIR := $(BUILD)/tools/libs
XTOOLS_CFLAGS := $(TOOLS_CFLAGS) -Itools/libs -MMD -MP
# The hypervisor's pure-logic sources (ELF, PVH layout, ACPI, decompressors) built hosted.
XTOOLS_HV_CFLAGS := $(XTOOLS_CFLAGS) -DHV_HOSTED -Ihv/include
XTOOLS_LDLIBS :=
# Every library source (host tests compile them all with ASan/UBSan instead of using the archive).
XTOOLS_ALL_SRCS := $(sort $(wildcard tools/libs/*/*.c))
XTOOLS_OBJS = $(patsubst %.c,$(XTOOLS_OBJDIR)/%.o,$(XTOOLS_SRCS))

XTOOLS_CALL_SRCS := $(wildcard tools/libs/call/*.c)
XTOOLS_SRCS += $(XTOOLS_CALL_SRCS)
$(XTOOLS_LIB): $(patsubst %.c,$(XTOOLS_OBJDIR)/%.o,$(XTOOLS_CALL_SRCS))

# One recipe; each lib's tool.mk only adds prerequisites, so include order does not matter.
$(XTOOLS_LIB):
	@mkdir -p $(dir $@)
	@echo "  AR      $@"
	@rm -f $@ && ar rcs $@ $^

$(XTOOLS_OBJDIR)/tools/libs/%.o: tools/libs/%.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(CC) $(XTOOLS_CFLAGS) -c $< -o $@

$(XTOOLS_OBJDIR)/hv/%.o: hv/%.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(CC) $(XTOOLS_HV_CFLAGS) -c $< -o $@

TOOLS += $(XTOOLS_LIB)
