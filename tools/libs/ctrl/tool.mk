# libctrl of the dom0 tool libraries: its sources go into $(XTOOLS_LIB) (rules in tools/libs/call/tool.mk).
XTOOLS_CTRL_SRCS := $(wildcard tools/libs/ctrl/*.c)
XTOOLS_SRCS += $(XTOOLS_CTRL_SRCS)
$(XTOOLS_LIB): $(patsubst %.c,$(XTOOLS_OBJDIR)/%.o,$(XTOOLS_CTRL_SRCS))

# Host test: call/ctrl against a stand-in hypervisor; evtchn/gntdev/privcmd encodings.
$(BUILD)/tools/libs/tests/test-ctrl: tests/tools/libs/test-ctrl.c tests/tools/libs/check.h \
		$(XTOOLS_ALL_SRCS) $(wildcard tools/libs/*/*.h)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(CC) $(TOOLS_TEST_CFLAGS) -DHV_HOSTED -Ihv/include -Itools/libs -Itests/tools/libs -o $@ \
		$< $(filter-out tools/libs/guest/%,$(XTOOLS_ALL_SRCS))

.PHONY: xtools-ctrl-check
xtools-ctrl-check: $(BUILD)/tools/libs/tests/test-ctrl
	$(BUILD)/tools/libs/tests/test-ctrl
TOOLS_CHECKS += xtools-ctrl-check
