# xenstored: the dom0 xenstore daemon (static, for the dom0 initramfs), its unit tests (ASan/UBSan)
# and a test against xenstore-utils. main.c and ring_xen.c need the tool libraries ($(XTOOLS_LIB));
# the unit tests link the rest with in-memory ring backends.
XENSTORED_SRCS := $(sort $(wildcard tools/xenstored/*.c)) tools/common/daemon.c tools/common/ringmap.c
XENSTORED_LIB_SRCS := $(filter-out tools/xenstored/main.c tools/xenstored/ring_xen.c \
	tools/common/%,$(XENSTORED_SRCS))
XENSTORED_HDRS := $(wildcard tools/xenstored/*.h tools/common/*.h) include/public/io/xs_wire.h
XENSTORED_TESTS := $(patsubst tests/tools/xenstored/%.c,$(BUILD)/tools/xenstored/tests/%,\
	$(wildcard tests/tools/xenstored/test-*.c))

TOOLS += $(BUILD)/tools/xenstored/xenstored
TOOLS_CHECKS += xenstored-check

$(BUILD)/tools/xenstored/xenstored: $(XENSTORED_SRCS) $(XENSTORED_HDRS) $(XTOOLS_LIB)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(CC) $(TOOLS_CFLAGS) -static -o $@ $(XENSTORED_SRCS) $(XTOOLS_LIB) $(XTOOLS_LDLIBS)

$(BUILD)/tools/xenstored/tests/test-%: tests/tools/xenstored/test-%.c tests/tools/xenstored/xs_test.h tests/tools/libs/check.h \
		$(XENSTORED_LIB_SRCS) $(XENSTORED_HDRS)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(CC) $(TOOLS_TEST_CFLAGS) -Itools/xenstored -Itests/tools/libs -o $@ $< $(XENSTORED_LIB_SRCS)

.PHONY: xenstored-check xenstored-unit xenstored-utils-check
xenstored-unit: $(XENSTORED_TESTS)
	@fail=0; pass=0; for t in $(XENSTORED_TESTS); do \
	  if $$t; then pass=$$((pass+1)); else echo "FAILED: $$t"; fail=$$((fail+1)); fi; \
	done; echo "xenstored unit: $$pass passed, $$fail failed"; [ $$fail -eq 0 ]

# Debian's xenstore-utils are the real clients of the integration test (installed if missing).
xenstored-utils-check: $(BUILD)/tools/xenstored/xenstored
	@command -v xenstore-read >/dev/null || \
	  (echo "  APT     xenstore-utils"; DEBIAN_FRONTEND=noninteractive apt-get install -y -q xenstore-utils >/dev/null)
	@tests/tools/xenstored/test-xenstore-utils.sh $(BUILD)/tools/xenstored/xenstored

xenstored-check: xenstored-unit xenstored-utils-check
