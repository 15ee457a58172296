# xenconsoled: the dom0 console daemon and the xenconsole client (static, for the dom0 initramfs),
# linked with the tool libraries; host tests (ASan/UBSan) of the ring, queue, pty relay and client.
XENCONSOLED_DIR  := tools/xenconsoled
XENCONSOLED_CORE := $(addprefix $(XENCONSOLED_DIR)/,cons_ring.c outbuf.c console.c client.c domains.c)
XENCONSOLED_SRCS := $(filter-out $(XENCONSOLED_DIR)/xenconsole.c,$(wildcard $(XENCONSOLED_DIR)/*.c)) \
	tools/common/daemon.c tools/common/ringmap.c
XENCONSOLE_SRCS  := $(XENCONSOLED_DIR)/xenconsole.c $(XENCONSOLED_DIR)/client.c \
	$(XENCONSOLED_DIR)/client_xs.c
XENCONSOLED_HDRS := $(wildcard $(XENCONSOLED_DIR)/*.h tools/common/*.h) include/public/io/console.h
XENCONSOLED_TESTS := $(patsubst tests/tools/xenconsoled/%.c,$(BUILD)/tools/xenconsoled/tests/%,\
	$(wildcard tests/tools/xenconsoled/test-*.c))

TOOLS += $(BUILD)/tools/xenconsoled/xenconsoled $(BUILD)/tools/xenconsoled/xenconsole
TOOLS_CHECKS += xenconsoled-check

$(BUILD)/tools/xenconsoled/xenconsoled: $(XENCONSOLED_SRCS) $(XENCONSOLED_HDRS) $(XTOOLS_LIB)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(CC) $(TOOLS_CFLAGS) -static -o $@ $(XENCONSOLED_SRCS) $(XTOOLS_LIB) $(XTOOLS_LDLIBS)

$(BUILD)/tools/xenconsoled/xenconsole: $(XENCONSOLE_SRCS) $(XENCONSOLED_HDRS) $(XTOOLS_LIB)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(CC) $(TOOLS_CFLAGS) -static -o $@ $(XENCONSOLE_SRCS) $(XTOOLS_LIB) $(XTOOLS_LDLIBS)

$(BUILD)/tools/xenconsoled/tests/test-%: tests/tools/xenconsoled/test-%.c \
		tests/tools/libs/check.h tests/tools/xenconsoled/read_quiet.h $(XENCONSOLED_CORE) $(XENCONSOLED_HDRS)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(CC) $(TOOLS_TEST_CFLAGS) -I$(XENCONSOLED_DIR) -Itests/tools/libs -o $@ $< $(XENCONSOLED_CORE)

.PHONY: xenconsoled-check
xenconsoled-check: $(XENCONSOLED_TESTS)
	@fail=0; pass=0; for t in $(XENCONSOLED_TESTS); do \
	  if $$t; then pass=$$((pass+1)); else echo "FAILED: $$t"; fail=$$((fail+1)); fi; \
	done; echo "xenconsoled unit: $$pass passed, $$fail failed"; [ $$fail -eq 0 ]
