# libctrl of the dom0 tool libraries: its sources go into $(XTOOLS_LIB) (rules in tools/libs/call/tool.mk).
XTOOLS_CTRL_SRCS := $(wildcard tools/libs/ctrl/*.c)
XTOOLS_SRCS += $(XTOOLS_CTRL_SRCS)
$(XTOOLS_LIB): $(patsubst %.c,$(XTOOLS_OBJDIR)/%.o,$(XTOOLS_CTRL_SRCS))
