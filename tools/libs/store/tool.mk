# libstore of the dom0 tool libraries: its sources go into $(XTOOLS_LIB) (rules in tools/libs/call/tool.mk).
XTOOLS_STORE_SRCS := $(wildcard tools/libs/store/*.c)
XTOOLS_SRCS += $(XTOOLS_STORE_SRCS)
$(XTOOLS_LIB): $(patsubst %.c,$(XTOOLS_OBJDIR)/%.o,$(XTOOLS_STORE_SRCS))
