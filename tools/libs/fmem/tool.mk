# libfmem of the dom0 tool libraries: its sources go into $(XTOOLS_LIB) (rules in tools/libs/call/tool.mk).
XTOOLS_FMEM_SRCS := $(wildcard tools/libs/fmem/*.c)
XTOOLS_SRCS += $(XTOOLS_FMEM_SRCS)
$(XTOOLS_LIB): $(patsubst %.c,$(XTOOLS_OBJDIR)/%.o,$(XTOOLS_FMEM_SRCS))
