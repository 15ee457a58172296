# libevtchn of the dom0 tool libraries: its sources go into $(XTOOLS_LIB) (rules in tools/libs/call/tool.mk).
XTOOLS_EVTCHN_SRCS := $(wildcard tools/libs/evtchn/*.c)
XTOOLS_SRCS += $(XTOOLS_EVTCHN_SRCS)
$(XTOOLS_LIB): $(patsubst %.c,$(XTOOLS_OBJDIR)/%.o,$(XTOOLS_EVTCHN_SRCS))
