# libgnttab of the dom0 tool libraries: its sources go into $(XTOOLS_LIB) (rules in tools/libs/call/tool.mk).
XTOOLS_GNTTAB_SRCS := $(wildcard tools/libs/gnttab/*.c)
XTOOLS_SRCS += $(XTOOLS_GNTTAB_SRCS)
$(XTOOLS_LIB): $(patsubst %.c,$(XTOOLS_OBJDIR)/%.o,$(XTOOLS_GNTTAB_SRCS))
