# xl: the toolstack front end. `tools' builds $(BUILD)/tools/xl (static, for the dom0 image);
# `tools-check' runs the parser unit/fuzz test, the formatting unit test and the golden tests,
# all under ASan/UBSan. The parser and formatting sources (XL_CORE_SRCS) need no hypervisor; the
# commands (cmd_*.c and the domain lifecycle) link the tool libraries $(XTOOLS_LIB).
XL_DIR       := tools/xl
XL_CMD_SRCS  := $(wildcard $(XL_DIR)/cmd_*.c) $(addprefix $(XL_DIR)/,ctx.c build.c xstree.c \
	lifecycle.c monitor.c xl.c)
XL_CORE_SRCS := $(filter-out $(XL_CMD_SRCS) $(XL_DIR)/init_dom0.c $(XL_DIR)/xenstore_cli.c,\
	$(wildcard $(XL_DIR)/*.c))
XL_SRCS      := $(XL_CORE_SRCS) $(XL_CMD_SRCS)
XL_HDRS      := $(wildcard $(XL_DIR)/*.h) $(wildcard tools/include/xenolith/*.h)
# xl console is xenconsoled's client (tools/xenconsoled/client.c, console_client.h).
XL_CONSOLE_SRCS := tools/xenconsoled/client.c tools/xenconsoled/console_client.h
XL_BIN       := $(BUILD)/tools/xl
XL_ASAN_BIN  := $(BUILD)/tools/xl-asan
XL_UNIT_BIN  := $(BUILD)/tools/xl-cfg-unit
XL_FMT_BIN   := $(BUILD)/tools/xl-fmt-unit
XL_XSTREE_BIN := $(BUILD)/tools/xl-xstree-test
# xen-init-dom0: dom0's xenstore identity at boot (the dom0 image's /init runs it).
XL_INIT_DOM0 := $(BUILD)/tools/xen-init-dom0

# xenstore: xenstore-{read,write,ls,rm,list} (the dom0 image links those names to it).
XL_XENSTORE  := $(BUILD)/tools/xenstore

TOOLS += $(XL_BIN) $(XL_INIT_DOM0) $(XL_XENSTORE)

$(XL_XENSTORE): $(XL_DIR)/xenstore_cli.c $(wildcard tools/include/xenolith/*.h) $(XTOOLS_LIB)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(TOOLS_CFLAGS) -static -o $@ $(XL_DIR)/xenstore_cli.c $(XTOOLS_LIB)

$(XL_INIT_DOM0): $(XL_DIR)/init_dom0.c $(wildcard tools/include/xenolith/*.h) $(XTOOLS_LIB)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(TOOLS_CFLAGS) -static -o $@ $(XL_DIR)/init_dom0.c $(XTOOLS_LIB)
TOOLS_CHECKS += xl-cfg-check

$(XL_BIN): $(XL_SRCS) $(XL_CONSOLE_SRCS) $(XL_HDRS) $(XTOOLS_LIB)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(TOOLS_CFLAGS) -static -o $@ $(XL_SRCS) $(filter %.c,$(XL_CONSOLE_SRCS)) $(XTOOLS_LIB) $(XTOOLS_LDLIBS)

$(XL_ASAN_BIN): $(XL_SRCS) $(XL_CONSOLE_SRCS) $(XL_HDRS) $(XTOOLS_LIB)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(TOOLS_TEST_CFLAGS) -o $@ $(XL_SRCS) $(filter %.c,$(XL_CONSOLE_SRCS)) $(XTOOLS_LIB) $(XTOOLS_LDLIBS)

# The xl host tests count and report through tests/tools/libs/check.h.
XL_TEST_CFLAGS := $(TOOLS_TEST_CFLAGS) -I$(XL_DIR) -Itests/tools/libs

$(XL_UNIT_BIN): tests/tools/xl-cfg/unit.c tests/tools/libs/check.h $(XL_CORE_SRCS) $(XL_HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(XL_TEST_CFLAGS) -o $@ tests/tools/xl-cfg/unit.c $(XL_CORE_SRCS)

$(XL_FMT_BIN): tests/tools/xl-cfg/fmt_unit.c tests/tools/libs/check.h $(XL_DIR)/fmt.c $(XL_HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(XL_TEST_CFLAGS) -o $@ tests/tools/xl-cfg/fmt_unit.c $(XL_DIR)/fmt.c

# The xenstore tree xl writes for a new domain, against the real xenstored (socket only).
$(XL_XSTREE_BIN): tests/tools/xl-cfg/xstree_test.c tests/tools/libs/check.h $(XL_DIR)/xstree.c $(XL_HDRS) $(XTOOLS_LIB)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(XL_TEST_CFLAGS) -o $@ tests/tools/xl-cfg/xstree_test.c \
	  $(XL_DIR)/xstree.c $(XTOOLS_LIB)

.PHONY: xl-cfg-check
xl-cfg-check: $(XL_ASAN_BIN) $(XL_UNIT_BIN) $(XL_FMT_BIN) $(XL_XSTREE_BIN) \
		$(BUILD)/tools/xenstored/xenstored
	$(XL_UNIT_BIN)
	$(XL_FMT_BIN)
	$(XL_XSTREE_BIN) $(BUILD)/tools/xenstored/xenstored
	tests/tools/xl-cfg/run.sh $(abspath $(XL_ASAN_BIN))
