# libstore of the dom0 tool libraries: its sources go into $(XTOOLS_LIB) (rules in tools/libs/call/tool.mk).
XTOOLS_STORE_SRCS := $(wildcard tools/libs/store/*.c)
XTOOLS_SRCS += $(XTOOLS_STORE_SRCS)
$(XTOOLS_LIB): $(patsubst %.c,$(XTOOLS_OBJDIR)/%.o,$(XTOOLS_STORE_SRCS))

# Host test: the client against the real xenstored (ASan/UBSan build of the library sources).
XTOOLS_TEST_CFLAGS := $(TOOLS_TEST_CFLAGS) -Itools/libs -Itests/tools/libs
$(BUILD)/tools/libs/tests/test-store: tests/tools/libs/test-store.c tests/tools/libs/check.h \
		$(XTOOLS_STORE_SRCS) $(wildcard tools/libs/store/*.h)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(CC) $(XTOOLS_TEST_CFLAGS) -o $@ $< $(XTOOLS_STORE_SRCS)

.PHONY: xtools-store-check
xtools-store-check: $(BUILD)/tools/libs/tests/test-store $(BUILD)/tools/xenstored/xenstored
	$(BUILD)/tools/libs/tests/test-store $(BUILD)/tools/xenstored/xenstored
TOOLS_CHECKS += xtools-store-check
