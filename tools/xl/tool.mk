# xl: the toolstack front end (xl.cfg parser, command table). `tools' builds $(BUILD)/tools/xl;
# `tools-check' runs the parser unit/fuzz test and the golden tests, both under ASan/UBSan.
XL_DIR      := tools/xl
XL_LIB_SRCS := $(filter-out $(XL_DIR)/xl.c,$(wildcard $(XL_DIR)/*.c))
XL_HDRS     := $(wildcard $(XL_DIR)/*.h)
XL_BIN      := $(BUILD)/tools/xl
XL_ASAN_BIN := $(BUILD)/tools/xl-asan
XL_UNIT_BIN := $(BUILD)/tools/xl-cfg-unit

TOOLS += $(XL_BIN)
TOOLS_CHECKS += xl-cfg-check

$(XL_BIN): $(XL_LIB_SRCS) $(XL_DIR)/xl.c $(XL_HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(TOOLS_CFLAGS) -o $@ $(XL_LIB_SRCS) $(XL_DIR)/xl.c

$(XL_ASAN_BIN): $(XL_LIB_SRCS) $(XL_DIR)/xl.c $(XL_HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(TOOLS_TEST_CFLAGS) -o $@ $(XL_LIB_SRCS) $(XL_DIR)/xl.c

$(XL_UNIT_BIN): tests/tools/xl-cfg/unit.c $(XL_LIB_SRCS) $(XL_HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(TOOLS_TEST_CFLAGS) -I$(XL_DIR) -o $@ tests/tools/xl-cfg/unit.c $(XL_LIB_SRCS)

.PHONY: xl-cfg-check
xl-cfg-check: $(XL_ASAN_BIN) $(XL_UNIT_BIN)
	$(XL_UNIT_BIN)
	tests/tools/xl-cfg/run.sh $(abspath $(XL_ASAN_BIN))
